"""Any markup -> an ordered list of text blocks.

This is the only module that knows HTML tags. A block is one line of rendered text: a new
block starts wherever a browser would start a new line (a block-level element begins or ends,
or a `<br>`). Each block records tag-free hints that the segmentation uses: whether all its
text is emphasised (bold or a heading element), the emphasised text it starts with, and the
link it carries. Parsing is one lxml parse plus one walk that skips chrome subtrees whole;
the walk, and the making of each line's block, run in C (`_walk.pyx`, compiled at install),
which calls back here for the chrome verdicts. The tag vocabularies and rules live here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice

from lxml import etree

from gpscrape.extract._scan import CONTROL, NOT_UTF8, scan
from gpscrape.extract._walk import ALWAYS, BLOCK, BREAK, CHECKED, EMPH, LINK, PRE, SKIP, walk
from gpscrape.extract.errors import ExtractError
from gpscrape.extract.vocab import ABOUT_AUTHOR
from gpscrape.extract.w3lib_guard import body_declared_encoding, body_to_unicode

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
# What sits beside an article (sidebars and their widgets, related posts, sharing buttons, tag
# lists, comment areas), named by a whole class or id: a `content-sidebar-wrap` or a
# `has-sidebar` wrapper holds the article. (Not `comment` or `comments`: the site calls its
# commentaries comments.)
_ASIDE_ATTR = re.compile(
    r"(?:^|\s)(?:(?:left|right)[-_])?(?:sidebar|side-bar|widgets?|widget-area|related"
    r"|related[-_]?(?:posts|articles|stories)|jp-relatedposts|yarpp-related|sharedaddy|sharing"
    r"|sd-sharing-enabled|tags|tags?-links|post-tags|entry-tags|tagcloud|comments-area"
    r"|comment-respond|comment-list|commentlist|respond)(?:[-_](?:left|right|\d+))?(?=$|\s)",
    re.I,
)
_SMALL_FORM = 300  # a form with less text than this is a search box or a subscribe box
_OPENING_TEXTS = 4  # texts read at the top of an aside for a listing mark
_CHROME_CONTAINERS = frozenset(
    ("div", "ul", "ol", "header", "span", "table", "section", "a", "p", "li", "td"))
# Elements checked for chrome at all (hidden inline `<b>`s and the like are not worth a look).
_CHROME_TAGS = _CHROME_CONTAINERS | {"nav", "footer", "form", "aside", "tr", "font",
                                     "article", "main", "figure", "center", "dl", "h1", "h2",
                                     "h3", "h4", "h5", "h6"}
_TEXT_CHECKED = frozenset(("nav", "footer", "form"))  # the text inside decides, hidden or not
_ALWAYS_CHECKED = _TEXT_CHECKED | {"aside"}  # looked at whatever their attributes
# What each tag does in the walk (bits of `_walk`): skipped whole, checked for chrome (by its
# attributes, or always), breaks the line where it starts (`BREAK`) or where it ends too
# (`BLOCK`), emphasis, link, preformatted. Tags not listed do none of these.
_TAG_ROLES: dict[str, int] = {
    tag: ((SKIP if tag in SKIP_TAGS else 0) | (CHECKED if tag in _CHROME_TAGS else 0)
          | (ALWAYS if tag in _ALWAYS_CHECKED else 0)
          | (BREAK | BLOCK if tag in BLOCK_TAGS else BREAK if tag == "br" else 0)
          | (EMPH if tag in EMPHASIS_TAGS else 0) | (LINK if tag == "a" else 0)
          | (PRE if tag == "pre" else 0))
    for tag in SKIP_TAGS | _CHROME_TAGS | BLOCK_TAGS | EMPHASIS_TAGS | {"a", "br", "pre"}
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TAG = re.compile(rb"<\s*[a-zA-Z!/]")
# (the lookahead only spares the search a try of both branches at every character)
_LISTING_MARK = re.compile(r"(?=[cp])(?:CWA\s*#\s*\d|PREVIOUS\s+COMMENTS)", re.I)
# (no table of `id` attributes: nothing looks an element up by its id)
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False,
                           collect_ids=False)
_UTF8_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, default_doctype=False,
                                collect_ids=False, encoding="utf-8")
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
    text = _decode(html)[0]
    assert text is not None  # made whenever it is needed
    return text


def _decode(html: bytes | str, text_needed: bool = True) -> tuple[str | None, bool, bytes | None]:
    """`decode`; whether the text may hold control characters (false when it was decoded by an
    ASCII-compatible codec from bytes holding none); and the bytes when they are UTF-8 without
    control characters (lxml parses them faster than the text). Without `text_needed`, the
    text of such bytes is not made (None): one pass in C (`_scan.scan`) told all of that."""
    if isinstance(html, str):
        return html, True, None
    if not html or html.isspace():  # `not html.strip()`, without a copy of the page
        raise ExtractError("empty page", no_content=True)
    if b"\x00" in html[:2048] and not html.startswith((b"\xff\xfe", b"\xfe\xff")):
        html = html.replace(b"\x00", b"")
    if not _TAG.search(html, 0, 65536):
        raise ExtractError("not HTML: no markup found")
    if not html.startswith((b"\xff\xfe", b"\xfe\xff")):
        flags = scan(html)  # valid UTF-8 with non-ASCII bytes is UTF-8, whatever is declared
        if not flags & NOT_UTF8:
            if flags & CONTROL:
                return html.decode("utf-8-sig"), True, None
            return html.decode("utf-8-sig") if text_needed else None, False, html
        if body_declared_encoding(html) is None:  # the web's default: windows-1252
            return html.decode("cp1252", errors="replace"), bool(flags & CONTROL), None
    return body_to_unicode(html), True, None


def has_markup(html: bytes) -> bool:
    """Whether a page has text and a tag early on (else `decode` rejects it)."""
    return bool(html) and not html.isspace() and _TAG.search(html, 0, 65536) is not None


def parse_blocks(html: bytes | str) -> list[Block]:
    """Render a page to its ordered text blocks."""
    return _collect(parse_tree(html))


def parse_tree(html: bytes | str) -> etree._Element:
    """A page's lxml tree, decoded as `decode` does (control characters, comments and
    processing instructions dropped); raises `ExtractError` when it is no HTML page."""
    text, maybe_control, utf8 = _decode(html, text_needed=False)
    if text is None:  # UTF-8 bytes with markup early on (so neither blank nor without `<`)
        assert utf8 is not None
        if _xml_declared(utf8):
            source, parser = _XML_DECL.sub("", utf8.decode("utf-8-sig"), count=1), _PARSER
        else:
            source, parser = utf8, _UTF8_PARSER
    else:
        if maybe_control:
            text = _CONTROL.sub("", text)
        if not text or text.isspace():
            raise ExtractError("empty page", no_content=True)
        if text.find("<", 0, 65536) < 0:
            raise ExtractError("not HTML: no markup found")
        source, parser = _XML_DECL.sub("", text, count=1), _PARSER
    try:
        root = etree.fromstring(source, parser)
    except (etree.ParserError, ValueError) as error:
        raise ExtractError(f"not parseable as HTML: {error}") from error
    if root is None:
        raise ExtractError("not parseable as HTML: no document")
    return root


def _xml_declared(utf8: bytes) -> bool:
    """Whether UTF-8 bytes open with an XML declaration (`_XML_DECL`), decoding only what lies
    up to their first `>`, where such a declaration ends."""
    end = utf8.find(b">")
    return end >= 0 and _XML_DECL.match(utf8[: end + 1].decode("utf-8-sig")) is not None


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


def _text_verdict(el: etree._Element, tag: str, body: etree._Element, page: list[int]) -> bool:
    """The chrome verdict of a navigation container, an aside (a sidebar, related posts and
    the like) or a form, which their text decides: a small form is chrome; a container holding
    listing entries is not; an aside (an `<aside>`, or a container named like one) or a
    footer that opens with `About the author` is the article's bio, and an aside that holds
    most of the page's text is the article's wrapper: neither is chrome. `page` holds the
    body's text length once it was needed."""
    if tag == "form":
        return _shown_length(el, _text_of(el)) < _SMALL_FORM
    aside = tag == "aside" or (tag not in _ALWAYS_CHECKED and _aside_names(
        f"{el.get('class') or ''} {el.get('id') or ''}"))
    if aside and _opens_kept(el):
        return False
    text = _text_of(el)
    if _marks_listing(text):
        return False
    if tag == "footer":
        return ABOUT_AUTHOR.match(text.lstrip()) is None
    if aside:
        if not page:
            page.append(_shown_length(body, _text_of(body)))
        return 2 * _shown_length(el, text) <= page[0]
    return True


def _shown_length(el: etree._Element, text: str) -> int:
    """The length of an element's text (`text`) without the text that opens its unrendered
    elements (`SKIP_TAGS`: scripts and styles above all), which `_text_of` keeps (a page's
    inline scripts can outweigh its article)."""
    return len(text) - sum(len(hidden.text or "") for hidden in el.iter(*SKIP_TAGS))


@lru_cache(maxsize=1024)
def _aside_names(names: str) -> bool:
    """Whether `class id` names an aside (a sidebar, a widget, related posts...), and not
    navigation."""
    return _ASIDE_ATTR.search(names) is not None and not _chrome_names(names)


def _opens_kept(el: etree._Element) -> bool:
    """Whether an aside opens with what is kept: a listing mark (its `PREVIOUS COMMENTS`
    heading or first entry: the whole text of a sidebar listing dozens of entries is then not
    needed), or `About the author` (an article's bio box)."""
    opening = "".join(islice(el.itertext(), _OPENING_TEXTS))
    return (_LISTING_MARK.search(opening) is not None  # (a few lines: no cache needed)
            or ABOUT_AUTHOR.match(opening.lstrip()) is not None)


@lru_cache(maxsize=2048)
def _attribute_verdict(tag: str, hidden: bool, style: str | None, names: str | None,
                       ident: str | None) -> bool | None:
    """Whether an element of `tag` with these attributes (a `hidden` one; the first `style`,
    `class` and `id`; no others count) is chrome; None when the text inside decides (a `nav`,
    `footer` or `form`, a shown `aside`, a container named like navigation or an aside). Once per
    distinct set, as pages repeat the same few; the walk asks only of elements with one of
    them, or always checked."""
    if tag in _TEXT_CHECKED:
        return None
    if hidden:
        return True
    if style is not None and _HIDDEN_STYLE.search(style):
        return True
    if tag == "aside":
        return None
    if tag not in _CHROME_CONTAINERS:
        return False
    if names is None and ident is None:
        return False
    both = f"{names or ''} {ident or ''}"
    return None if _chrome_names(both) or _ASIDE_ATTR.search(both) else False


@lru_cache(maxsize=4096)
def _chrome_names(names: str) -> bool:
    """Whether `class id` names a navigation container (pages repeat the same few names)."""
    return _CHROME_ATTR.search(names) is not None


@lru_cache(maxsize=256)
def _marks_listing(text: str) -> bool:
    """Whether a container's text holds a listing mark; once per distinct text, as every page
    repeats its menus and footer (a search that ignores case is slow on their text)."""
    return _LISTING_MARK.search(text) is not None


def _text_of(el: etree._Element) -> str:
    """All the text inside an element (`"".join(el.itertext())`, serialised by libxml2)."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _collect(root: etree._Element) -> list[Block]:
    """One walk over the document's body: skip chrome, break lines at blocks and `<br>`.

    The walk and the lines' blocks are made in C (`_walk.walk`, which reads libxml2's nodes);
    it calls back here for the chrome verdicts: `_attribute_verdict`, then `_text_verdict`
    where the text inside decides.
    """
    body = root.find("body")
    if body is None:
        body = root
    page: list[int] = []

    def text_verdict(el: etree._Element, tag: str) -> bool:
        return _text_verdict(el, tag, body, page)

    return walk(body, _TAG_ROLES, _attribute_verdict, text_verdict, Block)
