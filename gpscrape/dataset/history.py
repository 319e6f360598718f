"""Each record's history: its versions (`gpscrape.content_version`) seen over time, as the
`revisions` rows.

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

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from gpscrape.content_version import Version, version_of
from gpscrape.dataset.runs import SEQ, SortedRuns
from gpscrape.extract.record import PageRecord
from gpscrape.record_keys import NumberSet
from gpscrape.schema import Row


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

    def see(self, record_no: int, at: datetime, record: PageRecord | None = None,
            version: Version | None = None) -> None:
        """A sighting of the record at `at`: its content (and its `version_of`, when already
        known), or None when seen unchanged (304)."""
        if version is None and record is not None:
            version = version_of(record)
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
