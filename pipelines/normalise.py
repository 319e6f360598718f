"""Normalise a page record: Unicode NFC, whitespace collapsed and trimmed, dates as `date`.

Multi-paragraph text (section text, standfirsts, `about_author`, `body_text`) keeps its blank
line between paragraphs; every other string becomes one trimmed line. An empty optional
string becomes null; empty names are removed from name lists. A date given as a `datetime`
or as a dateparser-style result (an object with a `value`) becomes a `date`. Anything else is
left for the validator to judge.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields, replace
from datetime import date, datetime
from functools import cache
from typing import Any

from gpscrape.extract.record import ListingEntry, PageRecord, Section, Topic
from gpscrape.items import PageItem, QuarantineItem

PARAGRAPH_FIELDS = frozenset({"text", "body_text", "standfirst", "about_author"})
REQUIRED_TEXT = frozenset({"url", "kind", "text", "body_text"})
NAME_LISTS = frozenset({"authors"})
DATE_FIELDS = frozenset({"published", "month"})
_RECORD_TYPES = frozenset({PageRecord, Topic, Section, ListingEntry})

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


def _value(name: str, value: Any) -> Any:
    if name in DATE_FIELDS:
        return as_date(value)
    if type(value) in _RECORD_TYPES:
        return _dataclass(value)
    if isinstance(value, str):
        text = paragraphs(value) if name in PARAGRAPH_FIELDS else line(value)
        return text if text or name in REQUIRED_TEXT else None
    if isinstance(value, list):
        items = [_value(name, v) for v in value]
        if name in NAME_LISTS:
            return [v for v in items if v is not None]
        return items
    return value


def _dataclass(obj: Any) -> Any:
    return replace(obj, **{name: _value(name, getattr(obj, name)) for name in _names(type(obj))})


@cache
def _names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def normalise_record(record: PageRecord) -> PageRecord:
    """A normalised copy of the record (the input is left as it was)."""
    return _dataclass(record)


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
