"""Any markup -> an ordered list of text blocks.

This is the only module that knows HTML tags. A block is one line of rendered text: a new
block starts wherever a browser would start a new line (a block-level element begins or ends,
or a `<br>`). Each block records tag-free hints that the segmentation uses: whether all its
text is emphasised (bold or a heading element), the emphasised text it starts with, and the
link it carries. Parsing is one lxml parse plus one XPath call over the text nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from w3lib.encoding import html_to_unicode

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
SKIP_TAGS = ("script", "style", "noscript", "template", "head", "svg", "select", "button",
             "iframe", "object", "textarea")
# Navigation containers recognised by their class or id (kept out of the article).
_CHROME_ATTR = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|menubar|breadcrumbs?|cookie|share|footer|screen-reader-text"
    r"|sr-only|visually-hidden|skip-link)(?:$|[\s_-])", re.I
)
_SMALL_FORM = 300  # a form with less text than this is a search box or a subscribe box
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(rb"<\s*[a-zA-Z!/]")
_LISTING_MARK = re.compile(r"CWA\s*#\s*\d|PREVIOUS\s+COMMENTS", re.I)
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False)
_TEXT_NODES = etree.XPath("//body//text()")
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
    if isinstance(html, str):
        return html
    if not html.strip():
        raise ExtractError("empty page")
    if b"\x00" in html[:2048] and not html.startswith((b"\xff\xfe", b"\xfe\xff")):
        html = html.replace(b"\x00", b"")
    if not _TAG.search(html[:65536]):
        raise ExtractError("not HTML: no markup found")
    _encoding, text = html_to_unicode(None, html)
    return text


def parse_blocks(html: bytes | str) -> list[Block]:
    """Render a page to its ordered text blocks."""
    text = _CONTROL.sub("", decode(html))
    if not text.strip():
        raise ExtractError("empty page")
    if "<" not in text[:65536]:
        raise ExtractError("not HTML: no markup found")
    text = _XML_DECL.sub("", text, count=1)
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError) as error:
        raise ExtractError(f"not parseable as HTML: {error}") from error
    if root is None:
        raise ExtractError("not parseable as HTML: no document")
    _drop_chrome(root)
    return _collect(root)


def _drop_chrome(root: etree._Element) -> None:
    etree.strip_elements(root, *SKIP_TAGS, etree.Comment, etree.ProcessingInstruction,
                         with_tail=False)
    doomed = [
        el
        for el in root.xpath("//nav | //footer | //form | //*[@class or @id or @style or @hidden]")
        if el.get("hidden") is not None
        or _HIDDEN_STYLE.search(el.get("style") or "")
        or (el.tag in ("nav", "footer") and not _holds_listing(el))
        or (el.tag == "form" and len("".join(el.itertext())) < _SMALL_FORM)
        or (el.tag in ("div", "ul", "ol", "header", "span", "table", "section", "a", "p", "li")
            and _CHROME_ATTR.search(f"{el.get('class') or ''} {el.get('id') or ''}")
            and not _holds_listing(el))
    ]
    for el in doomed:
        _drop(el)


def _drop(el: etree._Element) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        previous = el.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _holds_listing(el: etree._Element) -> bool:
    """Navigation-looking containers that hold listing entries are kept."""
    return _LISTING_MARK.search("".join(el.itertext())) is not None


def _collect(root: etree._Element) -> list[Block]:
    blocks: list[Block] = []
    parts: list[str] = []
    plain = False  # some text of the current block is not emphasised
    unlinked = False  # some text of the current block is outside links
    lead: list[str] = []
    lead_open = True
    href: str | None = None
    current = None  # the block container of the previous text node
    contexts: dict[etree._Element, tuple] = {}
    for node in _TEXT_NODES(root):
        if not node.strip():
            if parts:
                parts.append(" ")
            continue
        if node.is_tail:
            owner = node.getparent()
            start = owner.getparent()
            newline = owner.tag == "br" or owner.tag in BLOCK_TAGS
        else:
            start = node.getparent()
            newline = False
        context = contexts.get(start)
        if context is None:
            context = contexts[start] = _context(start)
        container, emph, link = context
        if not newline and not node.is_tail and start is not container:
            newline = _after_break(start, container)
        if container is not current or newline:
            if parts:
                _flush(blocks, parts, plain, lead, href, unlinked)
            parts, plain, lead, lead_open, href, unlinked = [], False, [], True, None, False
            current = container
        parts.append(node)
        if emph:
            if lead_open:
                lead.append(node)
        else:
            plain = True
            lead_open = False
        if link is None:
            unlinked = True
        elif href is None:
            href = link
    if parts:
        _flush(blocks, parts, plain, lead, href, unlinked)
    return blocks


def _after_break(el: etree._Element, container: etree._Element) -> bool:
    """Whether an inline element's text follows a bare `<br>` or block inside its container."""
    while el is not container and el is not None:
        prev = el.getprevious()
        if prev is not None:
            return (prev.tag == "br" or prev.tag in BLOCK_TAGS) and not (prev.tail or "").strip()
        el = el.getparent()
        if el is not None and (el.text or "").strip():
            return False
    return False


def _context(el: etree._Element) -> tuple[etree._Element, bool, str | None]:
    """The block container of an element, and whether emphasis or a link lies on the way."""
    emph = False
    link = None
    while el is not None:
        tag = el.tag
        if tag in EMPHASIS_TAGS:
            emph = True
        elif tag == "a" and link is None:
            link = el.get("href")
        if tag in BLOCK_TAGS:
            return el, emph, link
        el = el.getparent()
    return el, emph, link


def _flush(blocks: list[Block], parts: list[str], plain: bool, lead: list[str],
           href: str | None, unlinked: bool) -> None:
    text = squash("".join(parts))
    if text:
        blocks.append(Block(text, not plain, squash("".join(lead)) if lead else "", href,
                            not unlinked))


def squash(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space; trim."""
    if "\u200b" in text or "\ufeff" in text:
        text = text.replace("\u200b", " ").replace("\ufeff", " ")
    return " ".join(text.split())
