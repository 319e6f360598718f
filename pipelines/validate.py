"""Validate a page item against the data contract; a breaking item becomes a QuarantineItem.

Nothing is dropped: an item that breaks a rule is replaced by a `QuarantineItem` carrying the
URL, every broken rule as the reason, and the fetch metadata. Each field is checked against
its declaration in `gpscrape.extract.record` (type, null or not, closed vocabulary), then the
rules that tie fields together are checked. The checks cover what the Arrow schemas need
(integers within int64, text that is valid Unicode), so a record the tables cannot hold is
caught here rather than by the writer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from gpscrape.extract.record import (
    NAMES,
    RECORD_TYPES,
    FieldInfo,
    ListingEntry,
    PageRecord,
    Section,
    Topic,
    field_values,
    record_fields,
)
from gpscrape.extract.warnings import WARNINGS
from gpscrape.items import CheckedPageItem, PageItem, QuarantineItem

QUARANTINED_STAT = "gpscrape/validate/quarantined"  # stats key: records the validator rejected
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_INT64 = range(-(2**63), 2**63)
# How a problem inside a nested record is prefixed: `topic 0: section 1: ...`.
_NOUNS = {Topic: "topic", Section: "section", ListingEntry: "listing entry"}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value in _INT64


def _is_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


# Each scalar type: its check, and its name in a problem (singular, plural).
_TYPES: dict[type, tuple[Callable[[Any], bool], str, str]] = {
    int: (_is_int, "an integer", "integers"),
    str: (_is_text, "text", "text"),
    date: (_is_date, "a date", "dates"),
}


def _list_of(value: Any, check: Callable[[Any], bool]) -> bool:
    return isinstance(value, list) and all(check(v) for v in value)


def field_problems(record: Any) -> Iterator[str]:
    """Every way a record (page, topic, section or listing entry) breaks its declaration."""
    for f in record_fields(type(record)):
        value = getattr(record, f.name)
        if f.type in RECORD_TYPES:
            yield from _nested_problems(f, value)
        elif f.is_list:
            check, _, plural = _TYPES[f.type]
            if not _list_of(value, check):
                yield f"{f.name} is not a list of {'names' if f.clean == NAMES else plural}"
        elif not _valid_value(f, value):
            yield from _value_problems(f, value)


def _valid_value(f: FieldInfo, value: Any) -> bool:
    """Whether a scalar value holds to its declaration (the quick test `_value_problems`
    explains)."""
    if value is None:
        return f.nullable
    return _TYPES[f.type][0](value) and (f.vocabulary is None or not f.closed
                                          or value in f.vocabulary)


def _value_problems(f: FieldInfo, value: Any) -> Iterator[str]:
    check, singular, _ = _TYPES[f.type]
    or_null = " or null" if f.nullable else ""
    if value is None and f.nullable:
        return
    if not check(value):
        shown = "" if f.type is str else f"{value!r}, "  # text: the value may be long
        yield f"{f.name} is {shown}not {singular}{or_null}"
    elif f.vocabulary is not None and f.closed and value not in f.vocabulary:
        yield f"{f.name} is {value!r}, not one of {', '.join(f.vocabulary)}{or_null}"


def _nested_problems(f: FieldInfo, value: Any) -> Iterator[str]:
    noun = _NOUNS.get(f.type, f.type.__name__)
    if not _list_of(value, lambda v: isinstance(v, f.type)):
        yield f"{f.name} is not a list of {noun} records"
        return
    for index, record in enumerate(value):
        yield from (f"{noun} {index}: {p}" for p in field_problems(record))


def record_problems(record: PageRecord) -> Iterator[str]:
    """Every way the record breaks the contract, as readable sentences: its fields against
    their declarations, then the rules between fields."""
    yield from field_problems(record)
    yield from _rule_problems(record)


def _rule_problems(record: PageRecord) -> Iterator[str]:
    """The rules between a record's fields it breaks."""
    if _is_text(record.url) and not record.url.strip():
        yield "url is missing"
    # The codes are declared with their checks in `extract.warnings`, which reads the record.
    if _list_of(record.warnings, _is_text) and not all(w in WARNINGS for w in record.warnings):
        yield f"warnings {record.warnings!r} are not all codes of the warning vocabulary"
    if (record.published is None) != (record.published_precision is None):
        yield "published and published_precision must be both set or both null"
    if not record.topics and not record.listing and not record.title:
        yield "an article record needs a title or topics (a listing page needs entries)"


def item_problems(item: PageItem) -> list[str]:
    """Every contract rule the page item breaks (empty when it is valid)."""
    if not isinstance(item.record, PageRecord):
        return [f"not a page record: {type(item.record).__name__}"]
    texts: list[str] = []
    if (_fields_valid([item.record], texts) and not any(_rule_problems(item.record))
            and isinstance(item.fetched_at, datetime) and item.fetched_at.tzinfo is not None
            and isinstance(item.content_sha256, str) and _SHA256.match(item.content_sha256)
            and _texts_encodable(texts)):
        return []
    problems = list(record_problems(item.record))
    if not isinstance(item.fetched_at, datetime) or item.fetched_at.tzinfo is None:
        problems.append("fetched_at is not a timezone-aware datetime")
    if not isinstance(item.content_sha256, str) or not _SHA256.match(item.content_sha256):
        problems.append("content_sha256 is not a SHA-256 hex digest")
    if not problems:
        problems.extend(_unicode_problems(item.record))
    return problems


def _fields_valid(records: list, texts: list[str]) -> bool:
    """Whether every record of `records` (a non-empty list) holds to its declaration, checked a
    field at a time over all of them; their texts are added to `texts`. Never true wrongly:
    what it cannot vouch for, `field_problems` judges (and explains)."""
    cls = type(records[0])
    if cls not in RECORD_TYPES or not all(type(record) is cls for record in records):
        return False
    columns = zip(*map(field_values(cls), records), strict=True)
    for f, column in zip(record_fields(cls), columns, strict=True):
        if f.type in RECORD_TYPES or f.is_list:
            if set(map(type, column)) != _LIST:
                return False
            values = [value for values in column for value in values]
            if not values:
                continue
            if f.type in RECORD_TYPES:
                if set(map(type, values)) != {f.type} or not _fields_valid(values, texts):
                    return False
                continue
        else:
            values = [value for value in column if value is not None]
            if not f.nullable and len(values) < len(column):
                return False
        if not _scalars_valid(f, values, texts):
            return False
    return True


_LIST = {list}


def _scalars_valid(f: FieldInfo, values: list, texts: list[str]) -> bool:
    """Whether non-null values (of a scalar field or a list's items) have the field's type and
    vocabulary; text values are added to `texts`."""
    kinds = set(map(type, values))
    if not values or kinds != {f.type}:
        return not values
    if f.type is int:
        return min(values) in _INT64 and max(values) in _INT64
    if f.type is str:
        texts.extend(values)
        return f.vocabulary is None or not f.closed or set(values) <= set(f.vocabulary)
    return True  # dates: exactly `date`, never a `datetime`


def _texts_encodable(texts: list[str]) -> bool:
    """Whether every text is valid Unicode (no lone surrogate): the texts that are not ASCII
    (`isascii` reads a flag) checked joined, at once."""
    joined = "".join([text for text in texts if not text.isascii()])
    try:
        joined.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _encodable(record: Any) -> bool:
    """Whether every text in the record (nested records and lists included) is valid Unicode."""
    stack = [record]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return False
        elif isinstance(value, list):
            stack.extend(value)
        elif type(value) in RECORD_TYPES:
            stack.extend([getattr(value, f.name) for f in record_fields(type(value))])
    return True


def _unicode_problems(record: PageRecord) -> Iterator[str]:
    """Text Parquet cannot store (a lone surrogate from a badly decoded page)."""
    if _encodable(record):
        return
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
        elif type(value) in RECORD_TYPES:
            stack.extend((f"{path}.{f.name}", getattr(value, f.name))
                         for f in record_fields(type(value)))


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
        if type(item) is CheckedPageItem:  # validated by the extraction worker
            return item
        checked = validate_item(item)
        if checked is not item and self.stats is not None:
            self.stats.inc_value(QUARANTINED_STAT)
        return checked
