"""What identifies a version of a record's content: the hash of its content fields.

The content is the page record without `record_no` (the key), `url` (a record is linked under
several), `series_raw` (the site echoes the label of the URL it was asked for: the normalised
`series` stays in), `listing` (the PREVIOUS COMMENTS sidebar changes whenever anything new is
published) and `warnings` (the extractor's doubts, not the page's content). Empty fields (null,
"", []) are left out, so a field added to the record later does not make every record look
changed. The raw body's SHA-256 (`content_sha256`) is no use here: the page's chrome changes
with every new article.

Apart from the dataset's history (`gpscrape.dataset.history`), which needs pyarrow, so that a
crawl's extraction worker computes a checked record's version without importing it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from functools import cache
from typing import Any

import msgspec

from gpscrape.extract.record import RECORD_TYPES, PageRecord

NOT_CONTENT = ("record_no", "url", "series_raw", "listing", "warnings")
CONTENT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(PageRecord) if f.name not in NOT_CONTENT)
FIELD_DIGEST_CHARS = 16
# In JSON's key order (names JSON writes as they are, in quotes).
_SORTED_CONTENT_FIELDS = tuple(sorted(CONTENT_FIELDS))


@dataclass(frozen=True, slots=True)
class Version:
    """One version of a record's content: its hash and a digest per non-empty content field
    (`field:digest`, sorted), which tell which fields changed between two versions."""

    sha256: str
    digests: tuple[str, ...]

    def changed_fields(self, before: Version) -> list[str]:
        """Content fields whose value differs from `before`, in record order. Only today's
        content fields count, so a version hashed when the content had other fields (one
        since left out, such as `series_raw`) is the same content when these agree."""
        mine, theirs = _by_field(self.digests), _by_field(before.digests)
        return [n for n in CONTENT_FIELDS if mine.get(n) != theirs.get(n)]


def _by_field(digests: Iterable[str]) -> dict[str, str]:
    return dict(d.split(":", 1) for d in digests)


def _canonical(value: Any) -> str:
    """Stable JSON text: keys sorted, dates in ISO form (as `PageRecord.to_dict` gives)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=date.isoformat)


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _as_dict(value: Any) -> Any:
    """A nested record as `dataclasses.asdict` gives it (lists and records copied as plain
    lists and dicts), without its generic deep copy."""
    if is_dataclass(value):
        return {name: _as_dict(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, list):
        return [_as_dict(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    """A field's value with its nested records (topics, sections) as dicts."""
    if isinstance(value, list):
        return [_as_dict(v) if is_dataclass(v) else v for v in value]
    return value


def _field_json(value: Any) -> bytes:
    """`_canonical(_plain(value))` of a field's value, as UTF-8. A value made of text,
    integers, booleans, nulls, dates, records (topics, sections) and lists of them, as every
    validated record's are, is written by msgspec, which writes it as `json.dumps` does
    (records' fields in sorted order); any other (a datetime, a float...) by `json.dumps`."""
    if _msgspec_writes(value):
        try:
            return _ENCODER.encode(value)
        except (OverflowError, UnicodeEncodeError):  # beyond 64 bits; a lone surrogate
            pass
    return _canonical(_plain(value)).encode()


def _msgspec_writes(value: Any) -> bool:
    """Whether `value` holds only values msgspec writes as `json.dumps` does."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is list:
        return set(map(type, value)) <= _SCALARS or all(map(_msgspec_writes, value))
    if kind in RECORD_TYPES:
        return all(_msgspec_writes(getattr(value, name)) for name in _field_names(kind))
    return False


_SCALARS = frozenset({str, int, bool, type(None), date})
_ENCODER = msgspec.json.Encoder(order="sorted")


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def version_of(record: PageRecord) -> Version:
    """The version of a record's content (see the module's docstring)."""
    # Each non-empty field's canonical text, by name: the whole content's is made of them (as
    # `_canonical(content)` gives it), so no value is encoded twice.
    values = {name: getattr(record, name) for name in _SORTED_CONTENT_FIELDS}
    texts = {name: _field_json(value) for name, value in values.items()
             if not _is_empty(value)}
    digests = tuple(
        f"{name}:{hashlib.sha256(text).hexdigest()[:FIELD_DIGEST_CHARS]}"
        for name, text in texts.items())
    whole = b"{" + b",".join([_KEYS[name] + text for name, text in texts.items()]) + b"}"
    return Version(hashlib.sha256(whole).hexdigest(), digests)


# Each content field's key in the canonical JSON, as UTF-8.
_KEYS = {name: f'"{name}":'.encode() for name in CONTENT_FIELDS}
