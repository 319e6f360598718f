"""What the spiders yield and the pipelines consume (plain dataclasses, itemadapter-compatible).

An item's repr is short (record number and URL), so a log line never holds a whole record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gpscrape.content_version import Version
from gpscrape.extract.record import PageRecord

# The fetch fields a page item adds to its record (none is a record field).
FETCH_FIELDS: tuple[str, ...] = (
    "fetched_at", "content_sha256", "extractor_version", "etag", "last_modified")


@dataclass(slots=True, repr=False)
class PageItem:
    """One extracted page with its fetch metadata."""

    record: PageRecord
    fetched_at: datetime  # timezone-aware, UTC
    content_sha256: str  # hex digest of the response body as received
    extractor_version: str
    etag: str | None = None
    last_modified: str | None = None

    def __repr__(self) -> str:
        record = self.record
        return (f"PageItem(record_no={getattr(record, 'record_no', None)!r}, "
                f"url={getattr(record, 'url', None)!r})")

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready flat form a feed writes: the record's `to_dict()` (as `gpscrape
        extract` prints it) plus the fetch fields, `fetched_at` in ISO 8601."""
        fetch = {name: getattr(self, name) for name in FETCH_FIELDS}
        fetch["fetched_at"] = self.fetched_at.isoformat()
        return {**self.record.to_dict(), **fetch}


@dataclass(slots=True, repr=False)
class CheckedPageItem(PageItem):
    """A page item whose record the crawl's extraction worker has already normalised and
    validated (`gpscrape.extract_worker`): the normalise and validate pipelines pass it on as
    it is, and the dataset's history takes the `version` the worker hashed, so the crawl's
    reactor does not repeat that work."""

    version: Version | None = None  # `content_version.version_of(record)`


@dataclass(slots=True, repr=False)
class QuarantineItem:
    """A page that could not be turned into a valid record, and why."""

    url: str
    reason: str
    fetched_at: datetime
    record_no: int | None = None
    content_sha256: str | None = None
    extractor_version: str | None = None

    def __repr__(self) -> str:
        return f"QuarantineItem(record_no={self.record_no!r}, url={self.url!r})"

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form a feed writes, `fetched_at` in ISO 8601."""
        data = {name: getattr(self, name) for name in self.__slots__}
        data["fetched_at"] = self.fetched_at.isoformat()
        return data
