"""Sorted runs: the external merge sort that keeps the writer's memory flat.

New rows are buffered a few hundred at a time, sorted and written as one small file (a run).
Runs are merged a bounded number at a time, reading each in small batches, so only a few
batches are ever in memory whatever the number of rows. A run is private to the writer that
stages it (written and read back by one process, removed after publishing), so it holds the
rows as JSON, a batch to a line, its dates and timestamps as ISO text read back by the run's
`Temporal` columns: no conversion to Arrow and back, which the published Parquet files alone
need.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import msgspec
import pyarrow as pa
import pyarrow.parquet as pq

from gpscrape.dataset.columns import EPOCH, table_of
from gpscrape.schema import TIMESTAMP, Row, SortKey

SEQ = "_seq"  # order of arrival of the item a staged row came from
READ_BATCH = 64  # rows read at a time from a Parquet file
RUN_BATCH = 4  # rows to a line of a run, read at a time
FAN_IN = 32  # runs merged at once: at most FAN_IN * RUN_BATCH rows read ahead

# The columns of a run holding dates or timestamps, each with its parser of the ISO text.
Temporal = dict[str, Callable[[str], date | datetime]]


def temporal_columns(schema: pa.Schema) -> Temporal:
    """The date and timestamp columns of an Arrow schema (a run of its rows stores them as
    ISO text)."""
    parsers: Temporal = {}
    for column in schema:
        if pa.types.is_timestamp(column.type):
            parsers[column.name] = datetime.fromisoformat
        elif pa.types.is_date(column.type):
            parsers[column.name] = date.fromisoformat
    return parsers


def write_rows(path: Path, schema: pa.Schema, rows: Iterable[Row], batch_rows: int) -> int:
    """Write rows to a Parquet file in row groups of `batch_rows`; returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_rows:
                writer.write_table(table_of(batch, schema), row_group_size=batch_rows)
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(table_of(batch, schema), row_group_size=batch_rows)
            count += len(batch)
    return count


def read_rows(path: Path, columns: list[str] | None = None) -> Iterator[Row]:
    """Stream a Parquet file's rows as dicts, a small batch at a time."""
    parquet = pq.ParquetFile(path, pre_buffer=False)
    for batch in parquet.iter_batches(batch_size=READ_BATCH, columns=columns, use_threads=False):
        yield from rows_of(batch)


def rows_of(batch: pa.RecordBatch) -> list[Row]:
    """The batch's rows as dicts (`to_pylist`), its UTC timestamps made datetimes here: pyarrow
    makes a zone-aware datetime through pandas, whose import alone costs a run some 30 MiB and
    0.3 s."""
    stamps = [index for index, column in enumerate(batch.schema) if column.type == TIMESTAMP]
    for index in stamps:
        column = batch.schema.field(index)
        batch = batch.set_column(index, column.with_type(pa.int64()),
                                 batch.column(index).view(pa.int64()))
    rows = batch.to_pylist()
    if stamps:
        names = [batch.schema.names[index] for index in stamps]
        for row in rows:
            for name in names:
                if (value := row[name]) is not None:
                    row[name] = EPOCH + timedelta(microseconds=value)
    return rows


def write_run(path: Path, rows: Iterable[Row]) -> None:
    """Stage rows as a run file: RUN_BATCH rows to a line of JSON, dates as ISO text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= RUN_BATCH:
                handle.write(_batch_line(batch))
                batch = []
        if batch:
            handle.write(_batch_line(batch))


def _batch_line(batch: list[Row]) -> bytes:
    """One line of JSON, by msgspec (several times quicker than `json`); `json` writes what
    msgspec does not (a lone surrogate)."""
    try:
        return _ENCODER.encode(batch) + b"\n"
    except UnicodeEncodeError:
        return (json.dumps(batch, separators=(",", ":"), default=_iso) + "\n").encode("ascii")


def _iso(value: object) -> str:
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    raise TypeError(f"cannot stage a {type(value).__name__}")


# Dates and timestamps as ISO text; a subclass of a type msgspec writes goes to `_iso`.
_ENCODER = msgspec.json.Encoder(enc_hook=_iso)
_DECODER = msgspec.json.Decoder()


def read_run(path: Path, temporal: Temporal) -> Iterator[Row]:
    """Stream the rows of a run file written by `write_run`, a batch at a time; the
    `temporal` columns parsed back from ISO text."""
    with path.open("rb") as handle:
        for line in handle:
            try:
                batch = _DECODER.decode(line)
            except msgspec.DecodeError:  # a line `json` wrote (a lone surrogate)
                batch = json.loads(line)
            for row in batch:
                for name, parse in temporal.items():
                    if (value := row.get(name)) is not None:
                        row[name] = parse(value)
            yield from batch


def merge(sources: Iterable[Iterator[Row]], key: Callable[[Row], SortKey]) -> Iterator[Row]:
    """Merge sorted row streams into one stream sorted by `key` (stable across sources)."""
    return heapq.merge(*sources, key=key)


@dataclass(slots=True)
class SortedRuns:
    """Rows buffered in memory, written as sorted runs under `directory` when `flush`ed, and
    read back with the rows still buffered as one sorted stream (`merged`), at most FAN_IN
    runs open at a time; rows that `keep` (when given) turns down are dropped as they are
    merged."""

    directory: Path
    key: Callable[[Row], SortKey]
    temporal: Temporal
    keep: Callable[[Row], bool] | None = None
    buffer: list[Row] = field(default_factory=list)
    runs: list[Path] = field(default_factory=list)
    runs_written: int = 0

    def flush(self) -> None:
        if not self.buffer:
            return
        self.buffer.sort(key=self.key)
        self._write_run(iter(self.buffer))
        self.buffer = []

    def _write_run(self, rows: Iterator[Row]) -> None:
        self.runs_written += 1
        path = self.directory / f"run-{self.runs_written:06d}.json"
        write_run(path, rows)
        self.runs.append(path)

    def merged(self) -> Iterator[Row]:
        """Every row added, sorted by `key`: the runs written, then the rows still buffered,
        merged as they are (sorted, never written: the buffer is in memory already). Read
        once: the buffered rows are handed over to the stream."""
        self.buffer.sort(key=self.key)
        buffered, self.buffer = self.buffer, []
        while len(self.runs) > FAN_IN:
            batch, self.runs = self.runs[:FAN_IN], self.runs[FAN_IN:]
            self._write_run(self._merge(batch))
            for path in batch:
                path.unlink()
        return self._merge(self.runs, buffered)

    def _merge(self, runs: list[Path], buffered: list[Row] | None = None) -> Iterator[Row]:
        sources = [read_run(p, self.temporal) for p in runs]
        if buffered:  # the newest rows: last, so that the merge's ties keep arrival order
            sources.append(iter(buffered))
        rows = merge(sources, key=self.key)
        return rows if self.keep is None else filter(self.keep, rows)
