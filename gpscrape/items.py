"""What the spiders yield and the pipelines consume (plain dataclasses, itemadapter-compatible)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gpscrape.extract.record import PageRecord


@dataclass(slots=True)
class PageItem:
    """One extracted page with its fetch metadata."""

    record: PageRecord
    fetched_at: datetime  # timezone-aware, UTC
    content_sha256: str  # hex digest of the response body as received
    extractor_version: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class QuarantineItem:
    """A page that could not be turned into a valid record, and why."""

    url: str
    reason: str
    fetched_at: datetime
    record_no: int | None = None
    content_sha256: str | None = None
    extractor_version: str | None = None
