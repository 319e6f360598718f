"""Each record's history: what identifies a version of a record, and the `revisions` rows.

A version is identified by the hash of the record's content fields: the page record without
`record_no` (the key), `url` (a record is linked under several), `series_raw` (the site
echoes the label of the URL it was asked for: the normalised `series` stays in), `listing`
(the PREVIOUS COMMENTS sidebar changes whenever anything new is published) and `warnings`
(the extractor's doubts, not the page's content). Empty fields (null, "", []) are left out,
so a field added to the record later does not make every record look changed. The raw
body's SHA-256 (`content_sha256`) is no use here: the page's chrome changes with every new
article.

A run records sightings: a fetched record (its version, at its `fetched_at`) or a record
answered `304 Not Modified` (seen unchanged). At publishing, a record's sightings are merged
with its published revisions by time: consecutive sightings of one version make one revision,
from its first to its last sighting; a 304 extends the version current at its time; at one
time, the run's version replaces the published one (a rebuild with a new extractor). Merging
the same sightings again changes nothing, so a rebuild from the archive reproduces the history.

A run's sightings are staged on disk in sorted runs (`gpscrape.dataset.runs`), as the tables'
rows are, so memory does not grow with the number of records a run touches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, is_dataclass
from datetime import date, datetime
from functools import cache
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import Any

import msgspec

from gpscrape.dataset.runs import SEQ, SortedRuns
from gpscrape.extract.record import RECORD_TYPES, PageRecord
from gpscrape.record_keys import NumberSet
from gpscrape.schema import Row

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


@dataclass(slots=True)
class Span:
    """Sightings of one version from `first` to `last`; no version: seen unchanged (304)."""

    first: datetime
    last: datetime
    version: Version | None


# The `revisions` columns a record's history in brief is read from.
SUMMARY_COLUMNS = ["record_no", "revision", "first_seen_at", "last_seen_at"]


def summary_columns(first: Row, last: Row) -> Row:
    """A record's history in brief, as its `articles` row carries it, from its first and last
    `revisions` rows."""
    return {"revision": last["revision"], "first_seen_at": first["first_seen_at"],
            "last_seen_at": last["last_seen_at"],
            "changed_at": last["first_seen_at"] if last["revision"] > 1 else None}


def summaries(revisions: Iterable[Row], records: NumberSet) -> Iterator[tuple[int, Row]]:
    """Each record of `records` with its history in brief, in record order, from `revisions`
    rows sorted by record and revision (`SUMMARY_COLUMNS` at least)."""
    for record_no, group in groupby(revisions, key=itemgetter("record_no")):
        if record_no in records:
            rows = list(group)
            yield record_no, summary_columns(rows[0], rows[-1])


def merge_revisions(record_no: int, published: list[Row], spans: list[Span]) -> list[Row]:
    """The record's `revisions` rows: its published rows merged with a run's sightings."""
    points = [(row[at], 0, Version(row["record_sha256"], tuple(row["field_digests"])))
              for row in published for at in ("first_seen_at", "last_seen_at")]
    points += [(at, 1, span.version) for span in spans for at in (span.first, span.last)]
    at_time: dict[datetime, Version | None] = {}
    for at, _, version in sorted(points, key=lambda p: (p[0], p[1])):
        if version is not None or at not in at_time:
            at_time[at] = version
    rows: list[Row] = []
    current: Version | None = None
    for at in sorted(at_time):
        version = at_time[at] or current
        if version is None:
            continue  # a 304 before any known version
        if current is not None and not version.changed_fields(current):
            rows[-1]["last_seen_at"] = at
            continue
        rows.append({
            "record_no": record_no, "revision": len(rows) + 1, "record_sha256": version.sha256,
            "first_seen_at": at, "last_seen_at": at,
            "changed_fields": version.changed_fields(current) if current else [],
            "field_digests": list(version.digests),
        })
        current = version
    return rows


# A staged sighting is a row of `record_no`, `at` (when), `sha256` and `digests` (its version;
# None: seen unchanged, a 304) and SEQ (order of arrival).
BATCH_SIGHTINGS = 500  # sightings per staged run


def _sighting_order(row: Row) -> tuple[int, int]:
    return row["record_no"], row[SEQ]


def spans_of(sightings: Iterable[tuple[datetime, Version | None]]) -> list[Span]:
    """A record's sightings, in the order they were made, as spans: a sighting of the last
    span's version (or a 304) at or after its end extends it, any other starts a new one."""
    spans: list[Span] = []
    for at, version in sightings:
        last = spans[-1] if spans else None
        if last is not None and at >= last.last and version in (None, last.version):
            last.last = at
        else:
            spans.append(Span(at, at, version))
    return spans


class History:
    """One run's sightings, staged under `directory`, merged into the published `revisions`
    at publishing. Memory holds one batch of sightings at a time."""

    def __init__(self, directory: Path) -> None:
        self._staged = SortedRuns(Path(directory), _sighting_order,
                                  {"at": datetime.fromisoformat})
        self.sightings = 0
        # Records `merge` gave revisions: their `articles` rows take new history columns. A
        # bit each, not a summary each: the summaries are read back from the written table.
        self.summarised = NumberSet()
        self.changed = 0  # records given a revision after their first, filled by `merge`

    def see(self, record_no: int, at: datetime, record: PageRecord | None = None) -> None:
        """A sighting of the record at `at`: its content, or None when seen unchanged (304)."""
        version = version_of(record) if record is not None else None
        self.sightings += 1
        self._staged.buffer.append({
            "record_no": record_no, "at": at, SEQ: self.sightings,
            "sha256": version.sha256 if version is not None else None,
            "digests": list(version.digests) if version is not None else None})
        if len(self._staged.buffer) >= BATCH_SIGHTINGS:
            self._staged.flush()

    def _spans(self) -> Iterator[tuple[int, list[Span]]]:
        """Each record seen in this run, in order, with its spans."""
        for record_no, rows in groupby(self._staged.merged(), key=lambda row: row["record_no"]):
            yield record_no, spans_of(
                (row["at"], Version(row["sha256"], tuple(row["digests"]))
                 if row["sha256"] is not None else None) for row in rows)

    def merge(self, published: Iterator[Row]) -> Iterator[Row]:
        """The `revisions` rows: `published` (sorted by record and revision) with the run's
        sightings merged in, in the same order. Fills `summarised` and `changed` on the way."""
        pending = self._spans()
        current = next(pending, None)
        for record_no, group in groupby(published, key=lambda row: row["record_no"]):
            while current is not None and current[0] < record_no:
                yield from self._merged(*current, [])
                current = next(pending, None)
            if current is not None and current[0] == record_no:
                yield from self._merged(*current, list(group))
                current = next(pending, None)
            else:
                yield from group
        while current is not None:
            yield from self._merged(*current, [])
            current = next(pending, None)

    def _merged(self, record_no: int, spans: list[Span], published: list[Row]) -> list[Row]:
        rows = merge_revisions(record_no, published, spans)
        if not rows:
            return rows
        self.changed += len(rows) > max(len(published), 1)
        self.summarised.add(record_no)
        return rows
