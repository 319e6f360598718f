"""Normalise a page record: Unicode NFC, whitespace collapsed and trimmed, dates as `date`.

Each field is cleaned as its declaration in `gpscrape.extract.record` says (`clean`): text of a
`PARAGRAPHS` field keeps its blank line between paragraphs, every other string becomes one
trimmed line; an empty string becomes null where null is allowed (in a list, an empty item
becomes null, and a `NAMES` list drops it). A `DATE` field given as a `datetime` or as a
dateparser-style result (an object with a `value`) becomes a `date`. Anything else is left for
the validator to judge.
"""

from __future__ import annotations

import operator
import re
import unicodedata
from dataclasses import replace
from datetime import date, datetime
from functools import cache
from typing import Any

from gpscrape.extract.record import (
    DATE,
    NAMES,
    PARAGRAPHS,
    RECORD_TYPES,
    PageRecord,
    field_values,
    record_fields,
)
from gpscrape.items import CheckedPageItem, PageItem, QuarantineItem

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


@cache
def _plan(cls: type) -> tuple[tuple[str, str, bool], ...]:
    """Each field of a record class as (name, how it is cleaned, whether an empty text becomes
    null: a nullable field or a list's item)."""
    return tuple((f.name, f.clean, f.nullable or f.is_list) for f in record_fields(cls))


def _value(clean: str, null_ok: bool, value: Any) -> Any:
    """The cleaned value; the very object given when cleaning changes nothing (so an already
    clean record is not copied)."""
    if clean == DATE:
        return as_date(value)
    if type(value) in RECORD_TYPES:
        return _record(value)
    if isinstance(value, str):
        return _text(clean, null_ok, value)
    if isinstance(value, list):
        return _list(clean, null_ok, value)
    return value


def _text(clean: str, null_ok: bool, value: str) -> str | None:
    if clean == PARAGRAPHS:
        text = paragraphs(value)
    else:  # `line`, quicker for ASCII text (always NFC)
        text = " ".join(value.split()) if value.isascii() else line(value)
    if not text and null_ok:
        return None
    return value if text == value else text


def _list(clean: str, null_ok: bool, value: list) -> list:
    items = [_value(clean, null_ok, v) for v in value]
    if clean == NAMES:
        items = [v for v in items if v is not None]
    if len(items) == len(value) and all(map(operator.is_, items, value)):
        return value
    return items


def _record(obj: Any) -> Any:
    changes = {}
    for name, clean, null_ok in _plan(type(obj)):
        old = getattr(obj, name)
        kind = type(old)
        if clean == DATE:
            if old is None or kind is date:
                continue
            new = as_date(old)
        elif kind is str:
            new = _text(clean, null_ok, old)
        elif kind is list:
            new = _list(clean, null_ok, old)
        elif kind in RECORD_TYPES:
            new = _record(old)
        else:
            continue  # None, numbers, dates...: nothing to clean
        if new is not old:
            changes[name] = new
    return replace(obj, **changes) if changes else obj


def _unchanged(items: list) -> bool:
    """Whether cleaning leaves every record of `items` (a non-empty list) as it is. The texts
    of all their fields, nested records included, are gathered and cleaned at once (a record
    holds hundreds of short texts, in its listing entries above all). Never true wrongly: a
    record it cannot vouch for is cleaned by `_record` as usual."""
    lines: list[str] = []
    paragraphs: list[str] = []
    return (_gather(items, lines, paragraphs) and _clean_lines(lines)
            and _clean_paragraphs(paragraphs))


def _gather(items: list, lines: list[str], paragraphs: list[str]) -> bool:
    """Add the texts of `items` (records of one class) to `lines` and `paragraphs`, checked a
    field at a time over all of them; False as soon as a value is not one cleaning leaves
    as it is whatever its text (an empty text where it becomes null, a datetime...)."""
    cls = type(items[0])
    if cls not in RECORD_TYPES or not all(type(item) is cls for item in items):
        return False
    columns = zip(*map(field_values(cls), items), strict=True)
    for (_, clean, null_ok), column in zip(_plan(cls), columns, strict=True):
        kinds = set(map(type, column))
        if clean == DATE:
            if not kinds <= _DATES:
                return False
        elif kinds.isdisjoint(_CLEANED):
            continue  # None, numbers, dates...: nothing to clean
        elif kinds <= _TEXT:  # an empty text stays so where it cannot be null
            texts = [value for value in column if value is not None and (value or null_ok)]
            (paragraphs if clean == PARAGRAPHS else lines).extend(texts)
        elif kinds == _LIST:
            flat = [value for values in column for value in values]
            inner = set(map(type, flat))
            if not flat or inner <= _NUMBERS:
                continue
            if inner == _STR and clean != PARAGRAPHS:
                if not all(flat):  # an empty item becomes null
                    return False
                lines.extend(flat)
            elif not (len(inner) == 1 and inner <= _RECORDS and _gather(flat, lines,
                                                                        paragraphs)):
                return False
        else:
            return False
    return True


# Types of the values `_record` cleans outside a `DATE` field (None, numbers, dates... stay).
_CLEANED = frozenset({str, list, *RECORD_TYPES})
_DATES = frozenset({date, type(None)})
_TEXT = frozenset({str, type(None)})
_LIST = {list}
_STR = {str}
_NUMBERS = frozenset({int})
_RECORDS = frozenset(RECORD_TYPES)


def _clean_lines(texts: list[str]) -> bool:
    """Whether each text is a non-empty clean `line`: joined by single spaces, their text is
    one clean line exactly when each is (a space never composes with a neighbour in NFC, so
    only the texts that are not ASCII are checked for NFC, joined)."""
    joined = " ".join(texts)
    if not (all(texts) and _one_line(joined)):
        return False
    return joined.isascii() or unicodedata.is_normalized(
        "NFC", " ".join([text for text in texts if not text.isascii()]))


def _one_line(text: str) -> bool:
    """Whether `text` is `" ".join(text.split())`: no double, leading or trailing space and no
    other whitespace. Every character `split` splits on but the space is unprintable
    (`str.isprintable`), so only the characters that are not printable ASCII are looked at:
    those left when the UTF-8 text drops its printable ASCII bytes (which never occur inside a
    character of several bytes). One of them unprintable but no whitespace (a soft hyphen, a
    lone surrogate) sends the text to `split`."""
    if "  " in text or text[:1] == " " or text[-1:] == " ":
        return False
    others = text.encode("utf-8", "surrogatepass").translate(None, _PRINTABLE_ASCII)
    return (not others or others.decode("utf-8", "surrogatepass").isprintable()
            or " ".join(text.split()) == text)


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def _clean_paragraphs(texts: list[str]) -> bool:
    """Whether each text is non-empty `paragraphs`: clean lines separated by blank lines. The
    texts' paragraphs joined by spaces are the texts so joined with each blank line (`\\n\\n`)
    made a space; a paragraph that is not a clean line leaves that text unclean."""
    return not texts or (all(texts) and _clean_lines([" ".join(texts).replace("\n\n", " ")]))


def normalise_record(record: PageRecord) -> PageRecord:
    """The record normalised: a copy where anything changes, else the record itself (the
    input is never changed)."""
    return record if _unchanged([record]) else _record(record)


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
        if type(item) is CheckedPageItem:  # normalised by the extraction worker
            return item
        return normalise_item(item)
