"""Sorted runs: the external merge sort that keeps the writer's memory flat.

New rows are buffered a few hundred at a time, sorted and written as one small Parquet file
(a run). Runs are merged a bounded number at a time, reading each in small batches, so only a
few batches are ever in memory whatever the number of rows.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from gpscrape.schema import Row, SortKey

SEQ = "_seq"  # order of arrival of the item a staged row came from
READ_BATCH = 64
FAN_IN = 8  # runs merged at once


def staged_schema(schema: pa.Schema) -> pa.Schema:
    """A table's schema plus the arrival order column."""
    return schema.append(pa.field(SEQ, pa.int64(), nullable=False))


def write_rows(path: Path, schema: pa.Schema, rows: Iterable[Row], batch_rows: int) -> int:
    """Write rows to a Parquet file in row groups of `batch_rows`; returns the row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[Row] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(batch, schema), row_group_size=batch_rows)
                count += len(batch)
                batch = []
        if batch or count == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema), row_group_size=batch_rows)
            count += len(batch)
    return count


def read_rows(path: Path, columns: list[str] | None = None) -> Iterator[Row]:
    """Stream a Parquet file's rows as dicts, a small batch at a time."""
    parquet = pq.ParquetFile(path, pre_buffer=False)
    for batch in parquet.iter_batches(batch_size=READ_BATCH, columns=columns, use_threads=False):
        yield from batch.to_pylist()


def merge(sources: Iterable[Iterator[Row]], key: Callable[[Row], SortKey]) -> Iterator[Row]:
    """Merge sorted row streams into one stream sorted by `key` (stable across sources)."""
    return heapq.merge(*sources, key=key)


@dataclass(slots=True)
class SortedRuns:
    """Rows buffered in memory, written as sorted runs under `directory` when `flush`ed, and
    read back as one sorted stream (`merged`), at most FAN_IN runs open at a time."""

    directory: Path
    schema: pa.Schema
    key: Callable[[Row], SortKey]
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
        path = self.directory / f"run-{self.runs_written:06d}.parquet"
        write_rows(path, self.schema, rows, batch_rows=READ_BATCH)
        self.runs.append(path)

    def merged(self) -> Iterator[Row]:
        """Every row written, sorted by `key` (flush first)."""
        while len(self.runs) > FAN_IN:
            batch, self.runs = self.runs[:FAN_IN], self.runs[FAN_IN:]
            self._write_run(merge((read_rows(p) for p in batch), key=self.key))
            for path in batch:
                path.unlink()
        return merge((read_rows(p) for p in self.runs), key=self.key)
