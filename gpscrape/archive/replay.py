"""Replaying the archive: archived responses back into page items, by the spider's rules.

Only `200` answers to pages the spider parses (article and listing pages) are replayed; for
each record (recordNo) or other page the latest response (by WARC-Date) wins. Each page gets
its verdict from `gpscrape.outcome`, as in a crawl: a record or listing gives a PageItem, a
quarantined page (or an unreadable archived response) a QuarantineItem, the others no item.
Requests that failed for good left no response, so their quarantine rows cannot be rebuilt
from the archive. A place found by a member index (`gpscrape.archive.member_index`) is read in
one go and checked against the index.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from gpscrape import urls
from gpscrape.archive.member_index import StaleIndexError
from gpscrape.archive.members import read_member
from gpscrape.archive.reader import (
    MAX_BODY,
    ArchivedResponse,
    ArchiveError,
    iter_responses,
    response_at,
    response_in,
)
from gpscrape.extract import EXTRACTOR_VERSION
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.outcome import LISTING, QUARANTINED, RECORD, Verdicts, judge_page

PageKey = tuple[str, int] | str


@dataclass(frozen=True, slots=True, order=True)
class Located:
    """Where the latest response for one page key is: ordered by date, then archive order."""

    date: datetime
    path: Path
    offset: int
    url: str = field(compare=False)
    length: int | None = field(default=None, compare=False)  # of the member, from an index


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


def replay(located: list[Located], verdicts: Verdicts | None = None,
           on_page: Callable[[], None] | None = None, max_body: int = MAX_BODY
           ) -> Iterator[PageItem | QuarantineItem]:
    """The items of the given archived responses, read in archive order; each page's verdict
    is added to `verdicts`. A body larger than `max_body` bytes, decoded, is quarantined (the
    crawl's DOWNLOAD_MAXSIZE)."""
    verdicts = verdicts if verdicts is not None else Verdicts()
    # The places are sorted by file: one file is open at a time.
    handle: BinaryIO | None = None
    opened: Path | None = None
    try:
        for place in sorted(located, key=lambda p: (p.path, p.offset)):
            try:
                if handle is None or opened != place.path:
                    if handle is not None:
                        handle.close()
                    handle, opened = None, place.path
                    handle = place.path.open("rb")
                response = (response_at(handle, place.path, place.offset, max_body)
                            if place.length is None else read_indexed(handle, place, max_body))
            except (ArchiveError, OSError, ValueError) as error:
                reason = f"archived response unreadable: {error}"
                verdicts.add(QUARANTINED, place.url, reason)
                yield QuarantineItem(url=place.url, reason=reason, fetched_at=place.date,
                                     record_no=urls.record_no_of(place.url))
            else:
                yield from _items(response, verdicts)
            if on_page is not None:
                on_page()
    finally:
        if handle is not None:
            handle.close()


def read_indexed(handle: BinaryIO, place: Located, max_body: int = MAX_BODY
                 ) -> ArchivedResponse:
    """The response record at `place` (found by a member index) read from `handle`, an open
    file of `place.path`, its body decoded up to `max_body` bytes (ArchiveError beyond);
    StaleIndexError when the member there is not that record (the index is stale)."""
    member = read_member(handle, place.offset, place.length)
    response = None if member is None else response_in(member[0], place.path, place.offset,
                                                        max_body)
    if response is None or response.url != place.url or response.date != place.date:
        raise StaleIndexError(f"the member index of {place.path} does not match it at byte "
                              f"{place.offset}")
    return response


def _items(response: ArchivedResponse, verdicts: Verdicts
           ) -> Iterator[PageItem | QuarantineItem]:
    digest = hashlib.sha256(response.body).hexdigest()
    verdict = judge_page(response.body, response.url, response.status, response.guess)
    verdicts.add(verdict.name, response.url, verdict.reason)
    record = verdict.record
    if verdict.name == QUARANTINED:
        yield QuarantineItem(url=response.url, reason=verdict.reason, fetched_at=response.date,
                             record_no=urls.record_no_of(response.url), content_sha256=digest,
                             extractor_version=EXTRACTOR_VERSION)
    elif verdict.name in (RECORD, LISTING) and record is not None:
        yield PageItem(record=record, fetched_at=response.date, content_sha256=digest,
                       extractor_version=EXTRACTOR_VERSION, etag=response.header("ETag"),
                       last_modified=response.header("Last-Modified"))
