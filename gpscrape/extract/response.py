"""A fetched page's record and links from the tree the crawler parsed once.

Scrapy gives each HTML response a parsel `Selector`: the page decoded by Scrapy's rules and
parsed by lxml. `extract_response` reads the page record and the page's links from that one tree,
so the crawler never parses a page twice. `extract_page(html, url)` stays the entry point for
saved pages; both give the same record wherever Scrapy decodes the page to the same text as
`blocks.decode`. Where the two may differ (a page that is neither valid UTF-8 nor plain ASCII
under an ASCII-compatible charset, or one holding control characters, which our parse drops),
the record is read from the bytes instead (`Read.reparsed`).

`extract_body` is the same read for a process that holds the page's bytes but no parsed tree
(the crawl's extraction worker, `gpscrape.extract_worker`): where the decodings agree it parses
the bytes once, with `blocks.parse_tree`, for the record and the links alike; elsewhere it
reads the page as `extract_response` does. `declared_encoding` and `same_bytes_decoding` tell
whether the decodings agree from the bytes alone, without a Scrapy response.

`link_urls` turns a page's links (and its listing's entries) into the absolute URLs the crawl
may follow, each once, wherever the page was read.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urljoin

from lxml import etree
from w3lib.encoding import http_content_type_encoding, read_bom

from gpscrape.extract._scan import CONTROL, NOT_UTF8, scan
from gpscrape.extract.blocks import blocks_of_tree, has_markup, parse_tree
from gpscrape.extract.page import extract_blocks, extract_page
from gpscrape.extract.record import PageRecord
from gpscrape.extract.w3lib_guard import body_declared_encoding

if TYPE_CHECKING:  # parsel is imported by Scrapy's responses; a worker reading bytes needs none
    from parsel import Selector

_LINKS = etree.XPath("//a/@href", smart_strings=False)
_CONTROL_BYTES = bytes([*range(0, 9), 11, 12, *range(14, 32), 127])
_ASCII_SUPERSETS = frozenset(("utf-8", "cp1252", "iso8859-1", "ascii"))


class HtmlResponse(Protocol):
    """What `extract_response` reads of a Scrapy `TextResponse`."""

    url: str
    body: bytes

    @property
    def text(self) -> str: ...

    @property
    def encoding(self) -> str: ...

    @property
    def selector(self) -> Selector: ...


@dataclass(frozen=True, slots=True)
class Read:
    """A page's record, its links (`href` values, as written) and how the record was read."""

    record: PageRecord
    links: list[str]
    reparsed: bool  # read from the bytes: Scrapy's decoding may differ from ours on this page


def page_links(selector: Selector) -> list[str]:
    """Every `<a href>` of the page, in document order."""
    return _LINKS(selector.root)


def tree_links(root: etree._Element) -> list[str]:
    """`page_links` of a page's lxml tree (`blocks.parse_tree`)."""
    return _LINKS(root)


def extract_selector(selector: Selector, url: str) -> tuple[PageRecord, list[str]]:
    """The page record and links of a page parsel parsed (comments in its tree are dropped)."""
    return extract_blocks(blocks_of_tree(selector.root), url), page_links(selector)


def extract_response(response: HtmlResponse) -> Read:
    """The page record and links of a fetched HTML page, parsed once where the decodings agree.

    Raises `ExtractError` as `extract_page` does.
    """
    if same_text(response):
        record, links = extract_selector(response.selector, response.url)
        return Read(record, links, reparsed=False)
    record = extract_page(response.body, response.url)
    return Read(record, page_links(response.selector), reparsed=True)


def extract_body(response: HtmlResponse, html: bool = True) -> Read:
    """`extract_response` without Scrapy's tree where the decodings agree: the page's bytes
    parsed once (`html`: whether parsel would parse the page as HTML, not XML).

    Raises `ExtractError` as `extract_page` does.
    """
    if html and same_decoding(response):
        root = parse_tree(response.body)
        links = tree_links(root)
        return Read(extract_blocks(blocks_of_tree(root), response.url), links, reparsed=False)
    return extract_response(response)


def same_text(response: HtmlResponse) -> bool:
    """Whether Scrapy's text of the page is the text `blocks.decode` gives, control characters
    aside (none may occur), and parsel parsed it as HTML."""
    return same_decoding(response) and response.selector.type == "html"


def same_decoding(response: HtmlResponse) -> bool:
    """Whether Scrapy's text of the page is the text `blocks.decode` gives, control characters
    aside (none may occur)."""
    body = response.body
    if not has_markup(body) or len(body.translate(None, _CONTROL_BYTES)) != len(body):
        return False
    encoding = codecs.lookup(response.encoding).name
    if body.isascii():
        return encoding in _ASCII_SUPERSETS
    return encoding == "utf-8" and "\ufffd" not in response.text


def declared_encoding(body: bytes, content_type: bytes | None, given: str | None) -> str | None:
    """The encoding a Scrapy `TextResponse` of `body` (with that `Content-Type` header, built
    with encoding `given`) declares, as its `encoding` reads it first: the one given, a BOM's,
    the header's charset, the page's own declaration; None where Scrapy would infer one from
    the bytes."""
    header = "" if content_type is None else content_type.decode("latin-1")
    return (given or read_bom(body)[0] or http_content_type_encoding(header)
            or body_declared_encoding(body))


def same_bytes_decoding(body: bytes, encoding: str) -> bool:
    """`same_decoding` of a response of `body` whose encoding is `encoding`, from the bytes
    alone, in one pass over them (`_scan.scan`): valid UTF-8 holds U+FFFD only where its
    bytes write it. False for an encoding Python does not know."""
    if not has_markup(body):
        return False
    flags = scan(body)
    if flags & CONTROL:
        return False
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return False
    if body.isascii():
        return name in _ASCII_SUPERSETS
    return name == "utf-8" and not flags & NOT_UTF8 and b"\xef\xbf\xbd" not in body


def link_urls(page_url: str, hrefs: list[str], record: PageRecord | None = None) -> list[str]:
    """The absolute URLs of `hrefs` (as written in the page at `page_url`) and of the
    record's listing entries, each once, in that order; fragments, `javascript:` and `mailto:`
    links left out."""
    # Each distinct href once (a page's sidebar and menus repeat most of them, and its listing
    # entries are among its links): an href's first occurrence is where its URL first occurs.
    distinct = dict.fromkeys(hrefs)
    if record is not None:
        distinct.update(dict.fromkeys([entry.url for entry in record.listing if entry.url]))
    origin = "/".join(page_url.split("/", 3)[:3])  # scheme://host[:port]
    found: dict[str, None] = {}
    for href in distinct:
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        if href.startswith(("http://", "https://")):
            url = href
        elif href.startswith("/") and not href.startswith("//"):
            url = origin + href  # root-relative: no need for a full urljoin
        else:
            url = urljoin(page_url, href)
        found[url] = None
    return list(found)
