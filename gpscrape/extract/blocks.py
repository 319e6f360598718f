"""Any markup -> an ordered list of text blocks.

This is the only module that knows HTML tags. A block is one line of rendered text: a new
block starts wherever a browser would start a new line (a block-level element begins or ends,
or a `<br>`). Each block records tag-free hints that the segmentation uses: whether all its
text is emphasised (bold or a heading element), the emphasised text it starts with, and the
link it carries. Parsing is one lxml parse plus one walk that skips chrome subtrees whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from lxml import etree
from w3lib.encoding import html_body_declared_encoding, html_to_unicode

from gpscrape.extract.errors import ExtractError

# Elements whose start or end breaks the line.
BLOCK_TAGS = frozenset(
    """address article aside blockquote body center dd details dialog dir div dl dt fieldset
    figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 header hgroup hr html
    legend li main menu nav ol p pre section summary table tbody td tfoot th thead title tr
    ul caption option""".split()
)
EMPHASIS_TAGS = frozenset(["b", "strong", "h1", "h2", "h3", "h4", "h5", "h6", "th"])
# Never rendered, or never article content.
SKIP_TAGS = frozenset(("script", "style", "noscript", "template", "head", "svg", "select",
                       "button", "iframe", "object", "textarea"))
# Navigation containers recognised by their class or id (kept out of the article).
_CHROME_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|menubar|breadcrumbs?|cookie|share|footer|screen-reader-text"
    r"|sr-only|visually-hidden|skip-link)(?:$|[\s_-])", re.I
)
_SMALL_FORM = 300  # a form with less text than this is a search box or a subscribe box
_CHROME_CONTAINERS = frozenset(
    ("div", "ul", "ol", "header", "span", "table", "section", "a", "p", "li"))
# Elements checked for chrome at all (hidden inline `<b>`s and the like are not worth a look).
_CHROME_TAGS = _CHROME_CONTAINERS | {"nav", "footer", "form", "aside", "td", "tr", "font",
                                     "article", "main", "figure", "center", "dl", "h1", "h2",
                                     "h3", "h4", "h5", "h6"}
_ALWAYS_CHECKED = frozenset(("nav", "footer", "form"))  # looked at whatever their attributes
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])  # the same, as bytes
_TAG = re.compile(rb"<\s*[a-zA-Z!/]")
_LISTING_MARK = re.compile(r"CWA\s*#\s*\d|PREVIOUS\s+COMMENTS", re.I)
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
_UTF8_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False,
                                encoding="utf-8")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


@dataclass(slots=True)
class Block:
    """One rendered line of text and its markup hints."""

    text: str  # whitespace collapsed, trimmed
    emphasised: bool = False  # all of the text is bold or inside a heading element
    lead: str = ""  # the emphasised text the block starts with ("" if none)
    href: str | None = None  # the first link inside the block
    linked: bool = False  # all of the text is inside links (a menu item, a listing title)


def decode(html: bytes | str) -> str:
    """Bytes to text, honouring a BOM or a declared charset, never failing on bad bytes."""
    return _decode(html)[0]


def _decode(html: bytes | str) -> tuple[str, bool, bytes | None]:
    """`decode`; whether the text may hold control characters (false when it was decoded by an
    ASCII-compatible codec from bytes holding none); and the bytes when they are UTF-8 without
    control characters (lxml parses them faster than the text)."""
    if isinstance(html, str):
        return html, True, None
    if not html.strip():
        raise ExtractError("empty page", no_content=True)
    if b"\x00" in html[:2048] and not html.startswith((b"\xff\xfe", b"\xfe\xff")):
        html = html.replace(b"\x00", b"")
    if not _TAG.search(html[:65536]):
        raise ExtractError("not HTML: no markup found")
    if not html.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:  # valid UTF-8 with non-ASCII bytes is UTF-8, whatever the page declares
            text = html.decode("utf-8-sig")
        except UnicodeDecodeError:
            if html_body_declared_encoding(html) is None:  # the web's default: windows-1252
                return html.decode("cp1252", errors="replace"), _has_control_bytes(html), None
        else:
            control = _has_control_bytes(html)
            return text, control, None if control else html
    _encoding, text = html_to_unicode(None, html)
    return text, True, None


def _has_control_bytes(html: bytes) -> bool:
    return len(html.translate(None, _CONTROL_BYTES)) != len(html)


def has_markup(html: bytes) -> bool:
    """Whether a page has text and a tag early on (else `decode` rejects it)."""
    return bool(html.strip()) and _TAG.search(html[:65536]) is not None


def parse_blocks(html: bytes | str) -> list[Block]:
    """Render a page to its ordered text blocks."""
    return _collect(parse_tree(html))


def parse_tree(html: bytes | str) -> etree._Element:
    """A page's lxml tree, decoded as `decode` does (control characters, comments and
    processing instructions dropped); raises `ExtractError` when it is no HTML page."""
    text, maybe_control, utf8 = _decode(html)
    if maybe_control:
        text = _CONTROL.sub("", text)
    if not text.strip():
        raise ExtractError("empty page", no_content=True)
    if "<" not in text[:65536]:
        raise ExtractError("not HTML: no markup found")
    if utf8 is not None and not _XML_DECL.match(text):
        source: str | bytes = utf8  # the same text, parsed from its bytes
        parser = _UTF8_PARSER
    else:
        source, parser = _XML_DECL.sub("", text, count=1), _PARSER
    try:
        root = etree.fromstring(source, parser)
    except (etree.ParserError, ValueError) as error:
        raise ExtractError(f"not parseable as HTML: {error}") from error
    if root is None:
        raise ExtractError("not parseable as HTML: no document")
    return root


def blocks_of_tree(root: etree._Element) -> list[Block]:
    """The blocks of a document another parser built (parsel's, for one).

    Our parser drops comments and processing instructions, joining the text around them; they
    are dropped here the same way, in place, so that both trees give the same blocks.
    """
    for node in list(root.iter(etree.Comment, etree.ProcessingInstruction)):
        _drop_keeping_tail(node)
    return _collect(root)


def _drop_keeping_tail(node: etree._Element) -> None:
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _is_chrome(el: etree._Element, tag: str) -> bool:
    """Hidden elements, navigation, footers and small forms (search or subscribe boxes).

    The attributes decide alone, once per distinct set (pages repeat the same few), except for
    navigation containers and forms, which the text inside decides.
    """
    items = el.items()
    if not items and tag not in _ALWAYS_CHECKED:
        return False
    verdict = _attribute_verdict(tag, tuple(items))
    if verdict is not None:
        return verdict
    if tag == "form":
        return len(_text_of(el)) < _SMALL_FORM
    return not _holds_listing(el)


@lru_cache(maxsize=2048)
def _attribute_verdict(tag: str, items: tuple[tuple[str, str], ...]) -> bool | None:
    """Whether an element of `tag` with these attributes is chrome; None when the text inside
    decides (a `nav`, `footer` or `form`, or a container named like navigation)."""
    if tag in _ALWAYS_CHECKED:
        return None
    attributes: dict[str, str] = {}
    for name, value in items:
        attributes.setdefault(name, value)  # the first of repeated attributes, as `get` reads
    if "hidden" in attributes:
        return True
    style = attributes.get("style")
    if style is not None and _HIDDEN_STYLE.search(style):
        return True
    if tag not in _CHROME_CONTAINERS:
        return False
    names, ident = attributes.get("class"), attributes.get("id")
    if names is None and ident is None:
        return False
    return None if _chrome_names(f"{names or ''} {ident or ''}") else False


@lru_cache(maxsize=4096)
def _chrome_names(names: str) -> bool:
    """Whether `class id` names a navigation container (pages repeat the same few names)."""
    return _CHROME_ATTR.search(names) is not None


def _holds_listing(el: etree._Element) -> bool:
    """Navigation-looking containers that hold listing entries are kept."""
    return _LISTING_MARK.search(_text_of(el)) is not None


def _text_of(el: etree._Element) -> str:
    """All the text inside an element (`"".join(el.itertext())`, serialised by libxml2)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


Segment = tuple[str, bool, str | None]  # text, emphasised, link


def _collect(root: etree._Element) -> list[Block]:
    """One walk over the document: skip chrome, break lines at blocks and `<br>`.

    The walk keeps the state of the open elements on a stack (None for a skipped one) and
    gathers each line's text nodes as segments; `_line` turns a line into its block.
    """
    body = root.find("body")
    if body is None:
        body = root
    blocks: list[Block] = []
    line: list[Segment] = []
    stack: list[tuple[bool, str | None, bool, bool] | None] = []
    emph, link, pre = False, None, 0  # the state inside the innermost open element
    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        if event == "start":
            tag = el.tag
            if tag in SKIP_TAGS or (tag in _CHROME_TAGS and _is_chrome(el, tag)):
                walker.skip_subtree()
                stack.append(None)
                continue
            block = tag in BLOCK_TAGS
            if line and (block or tag == "br"):
                _line(line, blocks)
            is_pre = tag == "pre"
            stack.append((emph, link, block, is_pre))
            if tag in EMPHASIS_TAGS:
                emph = True
            if link is None and tag == "a":
                link = el.get("href")
            if is_pre:
                pre += 1
            text = el.text
        else:
            saved = stack.pop()
            if saved is not None:
                emph, link, block, is_pre = saved
                if is_pre:
                    pre -= 1
                if block and line:
                    _line(line, blocks)
            if not stack:  # the walk's root: its tail is not part of the page
                break
            text = el.tail
        if text:
            if pre:
                _add_preformatted(text, emph, link, line, blocks)
            elif line or not text.isspace():
                line.append((text, emph, link))
    _line(line, blocks)
    return blocks


def _add_preformatted(text: str, emph: bool, link: str | None, line: list[Segment],
                      blocks: list[Block]) -> None:
    """Text inside `<pre>`: every newline ends a line."""
    for i, part in enumerate(text.split("\n")):
        if i:
            _line(line, blocks)
        if part and (line or not part.isspace()):
            line.append((part, emph, link))


def _line(line: list[Segment], blocks: list[Block]) -> None:
    """Append the block of one line's segments (none if it has no text), and empty the line.

    The block is emphasised when all its text is, linked when all of it is inside links; its
    lead is the emphasised text it opens with, its href the first link. Whitespace-only
    segments only separate words.
    """
    if not line:
        return
    if len(line) == 1:
        segment, emph, link = line[0]
        text = squash(segment)
        if text:
            blocks.append(Block(text, emph, text if emph else "", link, link is not None))
        line.clear()
        return
    text = squash("".join([segment for segment, _, _ in line]))
    if text:
        plain = unlinked = False
        lead: list[str] = []
        href = None
        for segment, emph, link in line:
            if segment.isspace():
                continue
            if emph:
                if not plain:
                    lead.append(segment)
            else:
                plain = True
            if link is None:
                unlinked = True
            elif href is None:
                href = link
        blocks.append(Block(text, not plain, squash("".join(lead)) if lead else "", href,
                            not unlinked))
    line.clear()


def squash(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space; trim."""
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", " ").replace("\ufeff", " ")
    return " ".join(text.split())
