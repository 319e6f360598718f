"""What a dataset already holds, read from its published tables, and the records filters left
out of it (the state lives with the dataset: deleting the output folder means a full crawl)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gpscrape.dataset.layout import table_file
from gpscrape.dataset.runs import read_rows
from gpscrape.incremental.filters import LeftOut, load_left_out
from gpscrape.schema import Row


@dataclass(frozen=True, slots=True)
class Validators:
    """A known record's URL and what a conditional request for it sends."""

    url: str
    etag: str | None
    last_modified: str | None

    def headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(slots=True)
class DatasetState:
    """Known records (with their validators and fetch times), the records the dataset's
    listings link to and the records filters left out."""

    known: dict[int, Validators] = field(default_factory=dict)
    fetched_at: dict[int, datetime] = field(default_factory=dict)
    quarantined_at: dict[int, datetime] = field(default_factory=dict)
    listed: dict[int, str] = field(default_factory=dict)  # record_no -> a URL linking to it
    left_out: dict[int, LeftOut] = field(default_factory=dict)

    @property
    def highest(self) -> int | None:
        """The highest recordNo known to exist (held, or left out by a filter): probing for
        new records starts above it."""
        return max([*self.known, *self.left_out], default=None)

    def unknown_listed(self) -> list[str]:
        """URLs of listed records the dataset does not hold, by recordNo."""
        return [url for n, url in sorted(self.listed.items()) if n not in self.known]


def load_state(output: Path) -> DatasetState:
    """The state of the dataset published under `output` (empty when there is none)."""
    state = DatasetState()
    columns = ["record_no", "url", "etag", "last_modified", "fetched_at"]
    for row in _read(output, "articles", columns):
        state.known[row["record_no"]] = Validators(row["url"], row["etag"], row["last_modified"])
        state.fetched_at[row["record_no"]] = row["fetched_at"]
    for row in _read(output, "quarantine", ["record_no", "fetched_at"]):
        if row["record_no"] is not None:
            previous = state.quarantined_at.get(row["record_no"])
            if previous is None or row["fetched_at"] > previous:
                state.quarantined_at[row["record_no"]] = row["fetched_at"]
    for row in _read(output, "listings", ["record_no", "url"]):
        if row["record_no"] is not None and row["url"]:
            state.listed.setdefault(row["record_no"], row["url"])
    state.left_out = {n: e for n, e in load_left_out(output).items() if n not in state.known}
    return state


def _read(output: Path, table: str, columns: list[str]) -> Iterator[Row]:
    """The `columns` of the published table's rows, a batch at a time (none when there is no
    table)."""
    path = table_file(Path(output), table)
    return read_rows(path, columns) if path.exists() else iter(())
