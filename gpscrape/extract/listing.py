"""`PREVIOUS COMMENTS` entries and landing-page listings: `Month YYYY | CWA # N`, author, title."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urljoin

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


@dataclass(slots=True)
class Listing:
    """The listing entries of a page and the block indexes they occupy."""

    entries: list[ListingEntry]
    start: int  # first block index of the listing (its `PREVIOUS COMMENTS` line if any)
    end: int  # one past the last block index


def find_listing(blocks: list[Block], page_url: str) -> Listing | None:
    """The page's listing, or None when it has no `Month YYYY | CWA # N` entries."""
    heads = {i: head for i, b in enumerate(blocks) if "#" in b.text and (head := _head(b.text))}
    if not heads:
        return None
    marks = list(heads)
    header = next((i for i, b in enumerate(blocks) if PREVIOUS_COMMENTS.match(b.text)), None)
    if header is not None:
        after = [i for i in marks if i > header]
        marks = _contiguous(after) if after else _contiguous(marks)
    else:
        marks = _longest_run(marks)
    sample = marks[:_LAYOUT_SAMPLE]
    labelled = sum(1 for i in sample if i >= 2 and label_series(blocks[i - 2].text))
    before = labelled * 2 >= len(sample)
    entries: list[ListingEntry] = []
    first, last = marks[0], marks[0]
    stops = set(marks)
    for i in marks:
        entry = ListingEntry(month=heads[i][0], cwa_no=heads[i][1])
        span = (_entry_before(blocks, i, entry, stops, page_url) if before
                else _entry_after(blocks, i, entry, stops, page_url))
        entries.append(entry)
        first, last = min(first, span[0]), max(last, span[1])
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


def _entry_after(blocks: list[Block], i: int, entry: ListingEntry, stops: set[int],
                 page_url: str) -> tuple[int, int]:
    """`Month | CWA # N` / author / title (the PREVIOUS COMMENTS form): fills `entry`, returns
    the span of blocks it occupies."""
    following = [j for j in (i + 1, i + 2) if j < len(blocks) and j not in stops]
    if len(following) == 2 and following[0] == i + 1:
        author, title = blocks[following[0]], blocks[following[1]]
        _fill_author(entry, author.text)
        _fill_title(entry, title, page_url)
        end = i + 3
    elif following and following[0] == i + 1:
        _fill_title(entry, blocks[i + 1], page_url)
        end = i + 2
    else:
        end = i + 1
    if entry.url is None:
        _fill_link(entry, blocks[i], page_url)
    return i, end


def _entry_before(blocks: list[Block], i: int, entry: ListingEntry, stops: set[int],
                  page_url: str) -> tuple[int, int]:
    """label / title / `Month | CWA # N` / author (the /europe/ landing form): fills `entry`,
    returns the span of blocks it occupies."""
    start = i
    if i >= 1 and i - 1 not in stops:
        _fill_title(entry, blocks[i - 1], page_url)
        start = i - 2 if i >= 2 and label_series(blocks[i - 2].text) else i - 1
    end = i + 1
    nxt = i + 1
    if (nxt < len(blocks) and nxt not in stops and not label_series(blocks[nxt].text)):
        _fill_author(entry, blocks[nxt].text)
        end = nxt + 1
    if entry.url is None:
        _fill_link(entry, blocks[i], page_url)
    return start, end


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


def _fill_author(entry: ListingEntry, text: str) -> None:
    name, bar, bio = text.partition("|")
    entry.authors = split_names(name)
    entry.author_bio = bio.strip() or None if bar else None


def _fill_title(entry: ListingEntry, block: Block, page_url: str) -> None:
    entry.title = block.text
    _fill_link(entry, block, page_url)


def _fill_link(entry: ListingEntry, block: Block, page_url: str) -> None:
    href = (block.href or "").strip()
    if href and not href.lower().startswith(("javascript:", "mailto:", "#")):
        entry.url = absolute(href, page_url)
        entry.record_no = record_no_in(entry.url)


def absolute(href: str, page_url: str) -> str:
    """A link made absolute against the page URL: absolute, root-relative and same-folder links
    (`view.php?recordNo=5`) without a `urljoin` each; other forms through `urljoin`."""
    if href.startswith(("http://", "https://")):
        return href
    if href.startswith("/") and not href.startswith("//"):
        scheme, sep, rest = page_url.partition("://")
        if sep:
            return f"{scheme}://{rest.split('/', 1)[0]}{href}"
    if _FILE_HREF.fullmatch(href):
        return _folder(page_url) + href
    return urljoin(page_url, href)


# A file name in the page's folder, maybe with a query: `urljoin` would only replace the last
# path segment (no dot segments, scheme, fragment, empty query or tab/newline to drop).
_FILE_HREF = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.~-]*(?:\?[^#\t\n\r]+)?")


_FOLDERS: dict[str, str] = {}


def _folder(page_url: str) -> str:
    """The page URL's folder, as `urljoin` resolves against it (`http://h/a/`); one per page."""
    folder = _FOLDERS.get(page_url)
    if folder is None:
        if len(_FOLDERS) >= 64:
            _FOLDERS.clear()
        folder = _FOLDERS[page_url] = urljoin(page_url, "x")[:-1]
    return folder
