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
    if f.clean == DATE:
        return as_date(value)
    if type(value) in RECORD_TYPES:
        return _record(value)
    if isinstance(value, str):
        text = paragraphs(value) if f.clean == PARAGRAPHS else line(value)
        return text if text or not (f.nullable or f.is_list) else None
    if isinstance(value, list):
        items = [_value(f, v) for v in value]
        if f.clean == NAMES:
            return [v for v in items if v is not None]
        return items
    return value


def _record(obj: Any) -> Any:
    return replace(obj, **{f.name: _value(f, getattr(obj, f.name))
                           for f in record_fields(type(obj))})


def normalise_record(record: PageRecord) -> PageRecord:
    """A normalised copy of the record (the input is left as it was)."""
    return _record(record)


def normalise_item(item: PageItem | QuarantineItem) -> PageItem | QuarantineItem:
    """A page item with its record normalised; a quarantine item as it is."""
    if isinstance(item, PageItem) and isinstance(item.record, PageRecord):
        return replace(item, record=normalise_record(item.record))
    return item


class NormalisePipeline:
    """Scrapy pipeline: `normalise_item` on every item."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalisePipeline:
        return cls()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        return normalise_item(item)
