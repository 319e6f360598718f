"""Normalise a page record: Unicode NFC, whitespace collapsed and trimmed, dates as `date`.

Each field is cleaned as its declaration in `gpscrape.extract.record` says (`clean`): text of a
`PARAGRAPHS` field keeps its blank line between paragraphs, every other string becomes one
trimmed line; an empty string becomes null where null is allowed (in a list, an empty item
becomes null, and a `NAMES` list drops it). A `DATE` field given as a `datetime` or as a
dateparser-style result (an object with a `value`) becomes a `date`. Anything else is left for
the validator to judge.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from gpscrape.extract.record import (
    DATE,
    NAMES,
    PARAGRAPHS,
    RECORD_TYPES,
    FieldInfo,
    PageRecord,
    record_fields,
)
from gpscrape.items import PageItem, QuarantineItem

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def _nfc(text: str) -> str:
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def line(text: str) -> str:
    """NFC, every run of whitespace (`&nbsp;` included) to one space, trimmed."""
    return " ".join(_nfc(text).split())


def paragraphs(text: str) -> str:
    """Each paragraph as `line()`, empty ones dropped, joined by a blank line."""
    parts = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(_nfc(text)))
    return "\n\n".join(p for p in parts if p)


def as_date(value: Any) -> Any:
    """`datetime` or a parsed-date result to `date`; other values unchanged."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date) and hasattr(value, "value"):
        return as_date(value.value)
    return value


def _value(f: FieldInfo, value: Any) -> Any:
    """The cleaned value; the very object given when cleaning changes nothing (so an already
    clean record is not copied)."""
    if f.clean == DATE:
        return as_date(value)
    if type(value) in RECORD_TYPES:
        return _record(value)
    if isinstance(value, str):
        text = paragraphs(value) if f.clean == PARAGRAPHS else line(value)
        if not text and (f.nullable or f.is_list):
            return None
        return value if text == value else text
    if isinstance(value, list):
        items = [_value(f, v) for v in value]
        if f.clean == NAMES:
            items = [v for v in items if v is not None]
        unchanged = len(items) == len(value) and all(a is b for a, b in zip(items, value,
                                                                            strict=True))
        return value if unchanged else items
    return value


# Values `_value` returns unchanged outside a `DATE` field (None, numbers, dates...): skipped.
_CLEANED = frozenset({str, list, *RECORD_TYPES})


def _record(obj: Any) -> Any:
    changes = {}
    for f in record_fields(type(obj)):
        old = getattr(obj, f.name)
        if type(old) not in _CLEANED and f.clean != DATE:
            continue
        new = _value(f, old)
        if new is not old:
            changes[f.name] = new
    return replace(obj, **changes) if changes else obj


def normalise_record(record: PageRecord) -> PageRecord:
    """The record normalised: a copy where anything changes, else the record itself (the
    input is never changed)."""
    return _record(record)


def normalise_item(item: PageItem | QuarantineItem) -> PageItem | QuarantineItem:
    """A page item with its record normalised; a quarantine item as it is."""
    if isinstance(item, PageItem) and isinstance(item.record, PageRecord):
        record = normalise_record(item.record)
        return item if record is item.record else replace(item, record=record)
    return item


class NormalisePipeline:
    """Scrapy pipeline: `normalise_item` on every item."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalisePipeline:
        return cls()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        return normalise_item(item)
