"""Validate a page item against the data contract; a breaking item becomes a QuarantineItem.

Nothing is dropped: an item that breaks a rule is replaced by a `QuarantineItem` carrying the
URL, every broken rule as the reason, and the fetch metadata. The rules cover what the Arrow
schemas need (integers within int64, text that is valid Unicode), so a record the tables cannot
hold is caught here rather than by the writer.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import fields
from datetime import UTC, date, datetime
from typing import Any

from gpscrape.extract.record import ListingEntry, PageRecord, Section, Topic
from gpscrape.extract.warnings import WARNINGS
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.schema import PRECISIONS, SECTION_KINDS

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_FIELDS = {kind: tuple(f.name for f in fields(kind))
           for kind in (PageRecord, Topic, Section, ListingEntry)}


_INT64 = range(-(2**63), 2**63)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in _INT64


def _is_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _optional(value: Any, kind: type) -> bool:
    return value is None or isinstance(value, kind)


def _list_of(value: Any, check: Any) -> bool:
    return isinstance(value, list) and all(check(v) for v in value)


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def record_problems(record: PageRecord) -> Iterator[str]:
    """Every way the record breaks the contract, as readable sentences."""
    for name in ("record_no", "cwa_no", "volume"):
        value = getattr(record, name)
        if value is not None and not _is_int(value):
            yield f"{name} is {value!r}, not an integer or null"
    if not isinstance(record.url, str) or not record.url.strip():
        yield "url is missing"
    for name in ("series", "series_raw", "title", "issue_line_raw", "published_raw", "byline",
                 "photo_source", "standfirst", "about_author"):
        if not _optional(getattr(record, name), str):
            yield f"{name} is not text or null"
    if not isinstance(record.body_text, str):
        yield "body_text is not text"
    for name in ("issue_numbers", "numbers"):
        if not _list_of(getattr(record, name), _is_int):
            yield f"{name} is not a list of integers"
    if not _list_of(record.authors, _is_str):
        yield "authors is not a list of names"
    if not _list_of(record.warnings, lambda w: w in WARNINGS):
        yield f"warnings {record.warnings!r} are not all codes of the warning vocabulary"
    yield from _date_problems(record)
    if not _list_of(record.topics, lambda t: isinstance(t, Topic)):
        yield "topics is not a list of topics"
    else:
        for index, topic in enumerate(record.topics):
            yield from (f"topic {index}: {p}" for p in _topic_problems(topic))
    if not _list_of(record.listing, lambda e: isinstance(e, ListingEntry)):
        yield "listing is not a list of listing entries"
    else:
        for index, entry in enumerate(record.listing):
            yield from (f"listing entry {index}: {p}" for p in _entry_problems(entry))
    if not record.topics and not record.listing and not record.title:
        yield "an article record needs a title or topics (a listing page needs entries)"


def _date_problems(record: PageRecord) -> Iterator[str]:
    if record.published is not None and not _is_date(record.published):
        yield f"published is {record.published!r}, not a date or null"
    if record.published_precision is not None and record.published_precision not in PRECISIONS:
        yield (f"published_precision is {record.published_precision!r}, "
               f"not one of {', '.join(PRECISIONS)} or null")
    if (record.published is None) != (record.published_precision is None):
        yield "published and published_precision must be both set or both null"


def _topic_problems(topic: Topic) -> Iterator[str]:
    if not _optional(topic.title, str) or not _optional(topic.standfirst, str):
        yield "title and standfirst must be text or null"
    if not _list_of(topic.authors, _is_str):
        yield "authors is not a list of names"
    if not _list_of(topic.sections, lambda s: isinstance(s, Section)):
        yield "sections is not a list of sections"
        return
    for index, section in enumerate(topic.sections):
        if section.kind not in SECTION_KINDS:
            yield f"section {index}: kind {section.kind!r} is not in the vocabulary"
        if not isinstance(section.text, str) or not _optional(section.heading, str):
            yield f"section {index}: text must be text and heading text or null"


def _entry_problems(entry: ListingEntry) -> Iterator[str]:
    for name in ("cwa_no", "record_no"):
        value = getattr(entry, name)
        if value is not None and not _is_int(value):
            yield f"{name} is {value!r}, not an integer or null"
    if entry.month is not None and not _is_date(entry.month):
        yield f"month is {entry.month!r}, not a date or null"
    if not _list_of(entry.authors, _is_str):
        yield "authors is not a list of names"


def item_problems(item: PageItem) -> list[str]:
    """Every contract rule the page item breaks (empty when it is valid)."""
    if not isinstance(item.record, PageRecord):
        return [f"not a page record: {type(item.record).__name__}"]
    problems = list(record_problems(item.record))
    if not isinstance(item.fetched_at, datetime) or item.fetched_at.tzinfo is None:
        problems.append("fetched_at is not a timezone-aware datetime")
    if not isinstance(item.content_sha256, str) or not _SHA256.match(item.content_sha256):
        problems.append("content_sha256 is not a SHA-256 hex digest")
    if not problems:
        problems.extend(_unicode_problems(item.record))
    return problems


def _unicode_problems(record: PageRecord) -> Iterator[str]:
    """Text Parquet cannot store (a lone surrogate from a badly decoded page)."""
    stack: list[tuple[str, Any]] = [("record", record)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    yield f"{path} is not valid Unicode text"
        elif isinstance(value, list):
            stack.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, (PageRecord, Topic, Section, ListingEntry)):
            stack.extend((f"{path}.{name}", getattr(value, name)) for name in _FIELDS[type(value)])


def validate_item(item: PageItem | QuarantineItem) -> PageItem | QuarantineItem:
    """The item itself when valid, else a QuarantineItem saying why."""
    if isinstance(item, QuarantineItem):
        return item
    problems = item_problems(item)
    if not problems:
        return item
    record = item.record if isinstance(item.record, PageRecord) else None
    record_no = record.record_no if record is not None and _is_int(record.record_no) else None
    url = record.url if record is not None and isinstance(record.url, str) else ""
    fetched_at = item.fetched_at
    if not isinstance(fetched_at, datetime) or fetched_at.tzinfo is None:
        fetched_at = datetime.now(UTC)
    return QuarantineItem(
        url=url or "(no url)",
        reason="; ".join(problems),
        fetched_at=fetched_at,
        record_no=record_no,
        content_sha256=item.content_sha256 if isinstance(item.content_sha256, str) else None,
        extractor_version=item.extractor_version,
    )


class ValidatePipeline:
    """Scrapy pipeline: a page item breaking the contract goes on as a QuarantineItem."""

    def __init__(self, stats: Any = None) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidatePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        checked = validate_item(item)
        if checked is not item and self.stats is not None:
            self.stats.inc_value("gpscrape/quarantined")  # the run's total, as the spider's
            self.stats.inc_value("gpscrape/validate/quarantined")
        return checked
