"""`PREVIOUS COMMENTS` entries and landing-page listings: `Month YYYY | CWA # N`, author, title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache, partial
from urllib.parse import urljoin

from gpscrape.extract._listing import entries_after, entry_heads, first_match
from gpscrape.extract.blocks import Block
from gpscrape.extract.dates import MONTHS, parse_date
from gpscrape.extract.names import split_names
from gpscrape.extract.record import ListingEntry
from gpscrape.extract.url_keys import record_no_in
from gpscrape.extract.vocab import PREVIOUS_COMMENTS, label_series

ENTRY_LINE = re.compile(
    r"^(?:(?P<month>[A-Za-z]{3,9}\.?,?\s+\d{4})\s*[|,\-–]?\s*)?CWA\s*#\s*(?P<n>\d+)\.?$", re.I
)
_ENTRY_GAP = 4  # at most this many lines between two entries of one listing
_LAYOUT_SAMPLE = 5  # entries looked at to tell the landing-page layout from the sidebar one
PREVIOUS_COMMENTS_FIRST = "Pp"  # what a line `PREVIOUS_COMMENTS` matches opens with


@dataclass(slots=True)
class Listing:
    """The listing entries of a page and the block indexes they occupy."""

    entries: list[ListingEntry]
    start: int  # first block index of the listing (its `PREVIOUS COMMENTS` line if any)
    end: int  # one past the last block index


def find_listing(blocks: list[Block], page_url: str) -> Listing | None:
    """The page's listing, or None when it has no `Month YYYY | CWA # N` entries."""
    heads = entry_heads(blocks, _head)
    if not heads:
        return None
    marks = list(heads)
    header = first_match(blocks, PREVIOUS_COMMENTS_FIRST, PREVIOUS_COMMENTS)
    if header is not None:
        after = [i for i in marks if i > header]
        marks = _contiguous(after) if after else _contiguous(marks)
    else:
        marks = _longest_run(marks)
    sample = marks[:_LAYOUT_SAMPLE]
    labelled = sum(1 for i in sample if i >= 2 and label_series(blocks[i - 2].text))
    base = _base(page_url)
    if labelled * 2 < len(sample):  # the sidebar form: its entries read in C
        entries, last = entries_after(blocks, marks, heads, _links_of(base[0]), partial(
            _resolve, page_url=page_url, base=base), _author_line, ListingEntry)
        first = marks[0]
    else:
        entries = []
        first = last = marks[0]
        stops = set(marks)
        for i in marks:
            entry, span_start, span_end = _entry_before(blocks, i, heads[i], stops, page_url,
                                                        base)
            entries.append(entry)
            first, last = min(first, span_start), max(last, span_end)
    start = header if header is not None and header < first else first
    return Listing(entries, start, last)


def _contiguous(marks: list[int]) -> list[int]:
    run = [marks[0]]
    for i in marks[1:]:
        if i - run[-1] > _ENTRY_GAP:
            break
        run.append(i)
    return run


def _longest_run(marks: list[int]) -> list[int]:
    runs: list[list[int]] = [[marks[0]]]
    for i in marks[1:]:
        if i - runs[-1][-1] > _ENTRY_GAP:
            runs.append([])
        runs[-1].append(i)
    return max(runs, key=len)


def _entry_before(blocks: list[Block], i: int, head: tuple[date | None, int], stops: set[int],
                  page_url: str, base: _Base) -> tuple[ListingEntry, int, int]:
    """label / title / `Month | CWA # N` / author (the /europe/ landing form): the entry at
    block `i` (its head) and the span of blocks it occupies."""
    start = i
    title = url = record_no = None
    if i >= 1 and i - 1 not in stops:
        title = blocks[i - 1].text
        url, record_no = _resolve(blocks[i - 1].href, page_url, base)
        start = i - 2 if i >= 2 and label_series(blocks[i - 2].text) else i - 1
    names: tuple[str, ...] = ()
    bio = None
    end = nxt = i + 1
    if (nxt < len(blocks) and nxt not in stops and not label_series(blocks[nxt].text)):
        names, bio = _author_line(blocks[nxt].text)
        end = nxt + 1
    if url is None:
        url, record_no = _resolve(blocks[i].href, page_url, base)
    return ListingEntry(head[1], head[0], title, list(names), bio, url, record_no), start, end


@lru_cache(maxsize=4096)
def _head(text: str) -> tuple[date | None, int] | None:
    """(month, CWA number) of a `Month YYYY | CWA # N` line, None for another line; once per
    distinct line, as the sidebars of consecutive pages list the same entries."""
    match = ENTRY_LINE.match(text)
    if match is None:
        return None
    return _month(match.group("month")), int(match.group("n"))


def _month(text: str | None) -> date | None:
    """`December 2025` -> 2025-12-01."""
    if not text:
        return None
    name, _, year = text.replace(",", " ").rpartition(" ")
    number = MONTHS.get(name.strip().rstrip(".").lower())
    if number is None:
        parsed = parse_date(text)
        return parsed.value if parsed else None
    return date(int(year), number, 1)


@lru_cache(maxsize=4096)
def _author_line(text: str) -> tuple[tuple[str, ...], str | None]:
    """(names, bio) of an entry's `Name | bio` line; once per distinct line, as the sidebars of
    consecutive pages list the same authors."""
    name, bar, bio = text.partition("|")
    return tuple(split_names(name)), bio.strip() or None if bar else None


_NO_LINK = ("javascript:", "mailto:", "#")
_NO_URL: tuple[str | None, int | None] = (None, None)
_Base = tuple[str | None, str | None]  # a page URL's `scheme://host` and folder (`_base`)


def _resolve(href: str | None, page_url: str, base: _Base) -> tuple[str | None, int | None]:
    """(absolute URL, recordNo) of an entry's link; (None, None) without one (or for a
    script, mail or same-page link). (`_listing.entries_after` takes the links met before
    straight from `_links_of(base[0])`.)"""
    if not href:
        return _NO_URL
    links = _links_of(base[0])
    link = links.get(href, _UNSEEN)
    if link is _UNSEEN:
        in_folder = _folder_links_of(base)
        link = in_folder.get(href, _UNSEEN)
        if link is _UNSEEN:
            link, folder_free = _link(href, *base)
            (links if folder_free else in_folder)[href] = link
    if link is not None:
        return link
    url = absolute(href.strip(), page_url)  # a form that needs the whole page URL
    return url, record_no_in(url)


_Link = tuple[str | None, int | None] | None  # `_link`'s answer
# `_link`'s answers, each link once: the sidebars of consecutive pages link the same articles.
# The answers that need only the page's `scheme://host` (absolute and root-relative links,
# most of a sidebar's) are kept per host, for every folder of the site alike (`/`, `/africa/`,
# `/europe/`); the others per page base (`_base`). (A dict per host or base, as a cache keyed by
# link and base would build and hash a key of three strings for each link.)
_LINKS: dict[str | None, dict[str, _Link]] = {}
_FOLDER_LINKS: dict[_Base, dict[str, _Link]] = {}
_LINKS_MAX = 8192  # links kept for a host or a base, for at most `_LINKS_BASES` at once
_LINKS_BASES = 4
_UNSEEN = object()


def _links_of(scheme_host: str | None) -> dict[str, _Link]:
    """The dict of `_link`'s answers that need only this `scheme://host` (a fresh one when
    full)."""
    return _cache_in(_LINKS, scheme_host)


def _folder_links_of(base: _Base) -> dict[str, _Link]:
    """The dict of `_link`'s other answers, for the pages of this base (a fresh one when
    full)."""
    return _cache_in(_FOLDER_LINKS, base)


def _cache_in(caches: dict, key: object) -> dict[str, _Link]:
    """The cache of `caches` for `key`: a fresh one when it is full (all of them dropped when
    `_LINKS_BASES` are kept)."""
    links = caches.get(key)
    if links is None or len(links) >= _LINKS_MAX:
        if len(caches) >= _LINKS_BASES:
            caches.clear()
        links = caches[key] = {}
    return links


def _link(href: str, scheme_host: str | None, folder: str | None) -> tuple[_Link, bool]:
    """`_resolve` for the links that need only the page's `scheme://host` and folder, None for
    the others; and whether the answer holds for every folder of the host."""
    href = href.strip()
    if not href or href.lower().startswith(_NO_LINK):
        return _NO_URL, True
    url = _fast_absolute(href, scheme_host, folder)
    if url is None:
        return None, False
    return (url, record_no_in(url)), href.startswith(("/", "http://", "https://"))


def absolute(href: str, page_url: str) -> str:
    """A link made absolute against the page URL: absolute, root-relative and same-folder links
    (`view.php?recordNo=5`) without a `urljoin` each; other forms through `urljoin`."""
    scheme_host, folder = _base(page_url)
    url = _fast_absolute(href, scheme_host, folder)
    return urljoin(page_url, href) if url is None else url


def _fast_absolute(href: str, scheme_host: str | None, folder: str | None) -> str | None:
    """`absolute` for the forms that need only the page's `scheme://host` and folder; None
    for the others."""
    if href.startswith(("http://", "https://")):
        return href
    if href.startswith("/") and not href.startswith("//") and scheme_host is not None:
        return scheme_host + href
    if folder is not None and _FILE_HREF.fullmatch(href):
        return folder + href
    return None


# A file name in the page's folder, maybe with a query: `urljoin` would only replace the last
# path segment (no dot segments, scheme, fragment, empty query or tab/newline to drop).
_FILE_HREF = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.~-]*(?:\?[^#\t\n\r]+)?")


_BASES: dict[str, _Base] = {}
# An http(s) URL whose folder needs no `urljoin`: a plain host, and a path without dot
# segments or empty segments (which `urljoin` would resolve or drop), no whitespace anywhere.
_PLAIN_URL = re.compile(r"(https?://[A-Za-z0-9.:-]+)(/[^?#\x00-\x20\x7f]*)?(?:[?#][^\x00-\x20\x7f]*)?")


def _base(page_url: str) -> _Base:
    """The page URL's `scheme://host` (None without `://`) and its folder, as `urljoin`
    resolves against it (`http://h/a/`); once per page."""
    base = _BASES.get(page_url)
    if base is None:
        if len(_BASES) >= 64:
            _BASES.clear()
        scheme, sep, rest = page_url.partition("://")
        scheme_host = f"{scheme}://{rest.split('/', 1)[0]}" if sep else None
        base = _BASES[page_url] = (scheme_host, _folder(page_url))
    return base


def _folder(page_url: str) -> str | None:
    """`urljoin(page_url, "x")` without its `x` (None when `urljoin` cannot read the URL);
    a plain http(s) URL's folder is cut from it without a `urljoin`."""
    plain = _PLAIN_URL.fullmatch(page_url)
    if plain is not None:
        path = plain.group(2) or "/"
        if "/." not in path and "//" not in path:
            return plain.group(1) + path[: path.rfind("/") + 1]
    try:
        return urljoin(page_url, "x")[:-1]
    except ValueError:  # not a URL urljoin reads: each link goes to `urljoin` (and fails)
        return None
