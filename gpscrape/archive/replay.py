"""Replaying the archive: archived responses back into page items, by the spider's rules.

Only `200` answers to pages the spider parses (article and listing pages) are replayed; for
each record (recordNo) or other page the latest response (by WARC-Date) wins. A page with
neither article nor listing gives no item (the crawl counted it as missing); any other
extraction failure gives a QuarantineItem, as in a crawl. Requests that failed for good left
no response, so their quarantine rows cannot be rebuilt from the archive.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gpscrape import urls
from gpscrape.archive.reader import (
    MAX_BODY,
    ArchivedResponse,
    ArchiveError,
    iter_responses,
    read_response,
)
from gpscrape.extract import EXTRACTOR_VERSION
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.outcome import judge_page

PageKey = tuple[str, int] | str


@dataclass(frozen=True, slots=True, order=True)
class Located:
    """Where the latest response for one page key is: ordered by date, then archive order."""

    date: datetime
    path: Path
    offset: int
    url: str = field(compare=False)


@dataclass(slots=True)
class ReplayCounts:
    """What a replay saw."""

    pages: int = 0
    records: int = 0
    listings: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)
    quarantined: list[tuple[str, str]] = field(default_factory=list)


def page_key(url: str) -> PageKey | None:
    """The key a crawl fetches a page once under; None for pages the spider does not parse."""
    key = urls.record_key(url)
    if key is not None:
        return key
    return urls.page_key(url) if urls.is_listing_url(url) else None


def latest_responses(directory: Path, files: list[Path] | None = None
                     ) -> dict[PageKey, Located]:
    """For each page key, where its latest `200` response is in the archive (or in `files`)."""
    latest: dict[PageKey, Located] = {}
    for response in iter_responses(directory, with_body=False, files=files):
        if response.status != 200:
            continue
        key = page_key(response.url)
        if key is None:
            continue
        found = Located(response.date, response.path, response.offset, response.url)
        if key not in latest or found > latest[key]:
            latest[key] = found
    return latest


def replay(located: list[Located], counts: ReplayCounts | None = None,
           on_page: Callable[[], None] | None = None, max_body: int = MAX_BODY
           ) -> Iterator[PageItem | QuarantineItem]:
    """The items of the given archived responses, read in archive order; a body larger than
    `max_body` bytes, decoded, is quarantined (the crawl's DOWNLOAD_MAXSIZE)."""
    counts = counts if counts is not None else ReplayCounts()
    for place in sorted(located, key=lambda p: (p.path, p.offset)):
        counts.pages += 1
        try:
            response = read_response(place.path, place.offset, max_body)
        except (ArchiveError, OSError, ValueError) as error:
            reason = f"archived response unreadable: {error}"
            counts.quarantined.append((place.url, reason))
            yield QuarantineItem(url=place.url, reason=reason, fetched_at=place.date,
                                 record_no=urls.record_no_of(place.url))
        else:
            yield from _items(response, counts)
        if on_page is not None:
            on_page()


def _items(response: ArchivedResponse, counts: ReplayCounts
           ) -> Iterator[PageItem | QuarantineItem]:
    digest = hashlib.sha256(response.body).hexdigest()
    outcome = judge_page(response.body, response.url)
    record = outcome.record
    if outcome.missing is not None:
        counts.missing.append((response.url, outcome.missing))
        return
    if record is None:
        counts.quarantined.append((response.url, outcome.broken))
        yield QuarantineItem(url=response.url, reason=outcome.broken, fetched_at=response.date,
                             record_no=urls.record_no_of(response.url), content_sha256=digest,
                             extractor_version=EXTRACTOR_VERSION)
        return
    if record.record_no is None:
        counts.listings += 1
    else:
        counts.records += 1
    yield PageItem(record=record, fetched_at=response.date, content_sha256=digest,
                   extractor_version=EXTRACTOR_VERSION, etag=response.header("ETag"),
                   last_modified=response.header("Last-Modified"))
