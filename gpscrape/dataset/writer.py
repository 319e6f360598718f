"""`DatasetWriter`: stream items into sorted runs, then merge and publish a new version.

    with DatasetWriter(Path("output")) as writer:
        for item in items:          # PageItem or QuarantineItem, already validated
            writer.add(item)
        result = writer.publish()

Memory holds a few hundred rows per table plus the keys of the rows written in this run; each
touched record's sightings for its history (`revisions`, see `gpscrape.dataset.history`) are
staged on disk like the rows. A row that can no longer win its group is not staged at all.
Merging is an idempotent upsert: rows of the previous version whose record (or listing entry,
or URL) the run fetched again are replaced by the newest fetch; the others are kept. Every
table is written sorted by its key, so the same input gives the same files. Publishing swaps
one symlink, so readers see the previous complete dataset or the new one, never a mix; a
killed run leaves staging that the next writer removes.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

import pyarrow.parquet as pq

from gpscrape.dataset import layout
from gpscrape.dataset.authors import author_rows
from gpscrape.dataset.history import SUMMARY_COLUMNS, History, summaries
from gpscrape.dataset.rows import item_rows, listing_key_row, listing_rank_row, listing_row
from gpscrape.dataset.runs import (
    SEQ,
    SortedRuns,
    merge,
    read_rows,
    temporal_columns,
    write_rows,
)
from gpscrape.items import CheckedPageItem, PageItem, QuarantineItem
from gpscrape.schema import (
    AUTHORS,
    ITEM_TABLES,
    QUARANTINE,
    REVISIONS,
    TABLES,
    Row,
    SortKey,
    Table,
)

BATCH_ROWS = 500  # rows per staged run and per row group of the published files

Checkpoint = Callable[[str], None]


class DatasetBusyError(RuntimeError):
    """Another writer holds the output directory."""


@dataclass(slots=True)
class PublishResult:
    """What a publish wrote."""

    version: str
    rows: dict[str, int]
    items: int
    replaced: int  # page items whose record_no an earlier item of the run also gave
    quarantined: int
    changed: int = 0  # records whose content changed: given a revision after their first


@dataclass(slots=True)
class _TableStage:
    """New rows of one table in this run: the sorted runs they are staged in, the claims."""

    table: Table
    directory: Path
    # group -> the winning item's (rank, seq): the highest rank, then the newest item; group
    # and rank held `_flat`, as a claim is held for every record of the run
    latest: dict[object, tuple[object, int]] = field(default_factory=dict)
    staged: SortedRuns = field(init=False)  # only the rows of each group's winner survive

    def __post_init__(self) -> None:
        self.staged = SortedRuns(self.directory, self.sort_key,
                                 temporal_columns(self.table.schema), keep=self.is_latest)

    def sort_key(self, row: Row) -> tuple[SortKey, int]:
        return self.table.key(row), row[SEQ]

    def token(self, row: Row, seq: int) -> tuple[object, int]:
        """The claim of the row of item `seq` on its group."""
        return (_flat(self.table.rank(row)) if self.table.rank else ()), seq

    def claim(self, group: SortKey, token: tuple[object, int]) -> bool:
        """Let the row (or item) with `token` replace `group` unless a better one did;
        whether its item holds the group now (as `is_latest` judges its rows)."""
        key = _flat(group)
        held = self.latest.get(key)
        if held is None or token > held:
            self.latest[key] = token
            return True
        return held[1] == token[1]

    def holds(self, group: SortKey) -> bool:
        """Whether an item of this run claimed `group`."""
        return _flat(group) in self.latest

    def won_by(self, group: SortKey, seq: int) -> bool:
        """Whether item `seq` holds `group`."""
        winner = self.latest.get(_flat(group))
        return winner is not None and winner[1] == seq

    def is_latest(self, row: Row) -> bool:
        """Whether the row comes from the item that won its group."""
        return self.won_by(self.table.group(row), row[SEQ])


def _flat(key: SortKey) -> object:
    """A key as a claim holds it: a key of one value is that value (a tuple of one costs 56
    bytes more, and tokens compare the same either way)."""
    return key[0] if len(key) == 1 else key


class DatasetWriter:
    """Writes one run's items into a new published version of the dataset under `output`.

    `checkpoint(name)`, when given, is called at each step of publishing ("run_staged",
    "staged", "version_written", "links_ready", "swapped", "cleaned") so tests can stop the
    process there.
    """

    def __init__(self, output: Path, *, checkpoint: Checkpoint | None = None) -> None:
        self.output = Path(output)
        self._checkpoint = checkpoint or (lambda name: None)
        self._lock: IO[bytes] | None = None
        self._stages: dict[str, _TableStage] = {}
        self._seq = 0
        self._replaced = 0
        self._quarantined = 0
        self._staged_history: History | None = None
        self._quarantined_urls: set[SortKey] = set()  # groups of the published quarantine

    # --- life cycle -------------------------------------------------------------------------
    def open(self) -> DatasetWriter:
        """Take the output's lock, remove what killed runs left, start staging."""
        self.output.mkdir(parents=True, exist_ok=True)
        lock = layout.lock_path(self.output).open("ab")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            raise DatasetBusyError(f"another writer is using {self.output}") from None
        self._lock = lock
        for name in TABLES:
            link = self.output / name
            if link.exists() and not link.is_symlink():
                self.close()
                raise FileExistsError(f"{link} exists and is not a gpscrape table link")
        shutil.rmtree(layout.staging_dir(self.output), ignore_errors=True)
        _remove_unpublished_versions(self.output)
        run_dir = layout.staging_dir(self.output) / layout.new_version_name()
        self._stages = {name: _TableStage(TABLES[name], run_dir / name) for name in ITEM_TABLES}
        # The winning fetch of a record gives its `articles` row and all its sections, even
        # when it has none: one set of claims serves both.
        self._stages["sections"].latest = self._stages["articles"].latest
        self._staged_history = History(run_dir / "sightings")
        quarantined = self._published_file(layout.current_version(self.output), QUARANTINE)
        self._quarantined_urls = set() if quarantined is None else {
            QUARANTINE.group(row) for row in read_rows(quarantined, columns=["url"])}
        return self

    def close(self) -> None:
        """Drop unpublished staging and release the lock."""
        shutil.rmtree(layout.staging_dir(self.output), ignore_errors=True)
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> DatasetWriter:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def _history(self) -> History:
        """This run's sightings (staged from `open` on)."""
        if self._staged_history is None:
            raise RuntimeError("DatasetWriter used before open()")
        return self._staged_history

    # --- adding rows ------------------------------------------------------------------------
    def add(self, item: PageItem | QuarantineItem) -> None:
        """Stage the rows of one validated item; a later item for the same key wins."""
        if self._lock is None:
            raise RuntimeError("DatasetWriter.add() before open()")
        self._seq += 1
        if isinstance(item, QuarantineItem):
            self._quarantined += 1
        else:  # a URL that now gives a record leaves quarantine
            quarantine, group = self._stages["quarantine"], (item.record.url,)
            # Claimed only when quarantined (published or staged): a claim per record would
            # hold every URL of the run in memory.
            if group in self._quarantined_urls or quarantine.holds(group):
                quarantine.claim(group, ((), self._seq))
            if item.record.record_no is not None:  # its version already hashed if checked
                version = item.version if isinstance(item, CheckedPageItem) else None
                self._history.see(item.record.record_no, item.fetched_at, item.record, version)
        for name, row in item_rows(item):
            stage = self._stages[name]
            group = stage.table.group(row)
            if name == "sections":  # claimed with the record's articles row, which comes first
                won = stage.won_by(group, self._seq)
            else:
                if name == "articles":
                    self._replaced += stage.holds(group)
                won = stage.claim(group, stage.token(row, self._seq))
            if won:  # else a better row holds the group: merging drops it
                self._stage(stage, row)
        if isinstance(item, PageItem) and item.record.listing:
            self._add_listing(item)

    def _add_listing(self, item: PageItem) -> None:
        """Stage the listing rows of the entries the item wins: each entry's group is claimed
        from its key columns, and only a winner's row is built (most entries of a sidebar
        were listed by a page of a higher record already)."""
        stage = self._stages["listings"]
        token = stage.token(listing_rank_row(item), self._seq)
        group_of, latest = stage.table.group, stage.latest
        for entry in item.record.listing:
            group = _flat(group_of(listing_key_row(entry)))
            held = latest.get(group)  # `stage.claim`, inline: a page lists dozens of entries
            if held is None or token > held:
                latest[group] = token
            elif held[1] != self._seq:
                continue
            self._stage(stage, listing_row(item, entry))

    def _stage(self, stage: _TableStage, row: Row) -> None:
        row[SEQ] = self._seq
        stage.staged.buffer.append(row)
        if len(stage.staged.buffer) >= BATCH_ROWS:
            stage.staged.flush()
            self._checkpoint("run_staged")

    def add_earlier(self, item: PageItem) -> None:
        """Record an earlier fetch of a record for its history only (a rebuild replaying the
        archive adds each record's latest response with `add` and the others here)."""
        if self._lock is None:
            raise RuntimeError("DatasetWriter.add_earlier() before open()")
        if item.record.record_no is not None:
            self._history.see(item.record.record_no, item.fetched_at, item.record)

    def seen_unchanged(self, record_no: int, at: datetime) -> None:
        """Record that the record was found unchanged at `at` (a `304 Not Modified`): its
        `last_seen_at` moves, nothing else does."""
        if self._lock is None:
            raise RuntimeError("DatasetWriter.seen_unchanged() before open()")
        self._history.see(record_no, at)

    # --- publishing -------------------------------------------------------------------------
    def publish(self) -> PublishResult:
        """Merge the staged rows with the published version and publish the result."""
        self._checkpoint("staged")
        previous = layout.current_version(self.output)
        version = layout.new_version_name()
        versions = layout.versions_dir(self.output)
        tmp_dir = versions / f"{version}{layout.TMP_SUFFIX}"
        counts = {REVISIONS.name: self._write_revisions(previous, tmp_dir)}
        counts |= {name: self._write_table(stage, previous, tmp_dir)
                   for name, stage in self._stages.items()}
        counts[AUTHORS.name] = self._write_authors(tmp_dir)
        rows = {name: counts[name] for name in TABLES}
        final_dir = versions / version
        os.replace(tmp_dir, final_dir)
        layout.fsync_dir(versions)
        self._checkpoint("version_written")
        for name in TABLES:
            link = self.output / name
            target = f"{layout.current_link(self.output).name}/{name}"
            if not link.is_symlink() or os.readlink(link) != target:
                layout.replace_symlink(link, target)
        self._checkpoint("links_ready")
        layout.replace_symlink(layout.current_link(self.output), f"{versions.name}/{version}")
        self._checkpoint("swapped")
        _remove_old_versions(self.output, keep={version, previous})
        shutil.rmtree(layout.staging_dir(self.output), ignore_errors=True)
        self._checkpoint("cleaned")
        return PublishResult(version=version, rows=rows, items=self._seq,
                             replaced=self._replaced, quarantined=self._quarantined,
                             changed=self._history.changed)

    def _write_table(self, stage: _TableStage, previous: str | None, out_dir: Path) -> int:
        table = stage.table
        old_file = self._published_file(previous, table)
        path = layout.table_file(out_dir, table.name)
        touched = (stage.latest or (table.name == "articles" and self._history.summarised)
                   or (table.name == "quarantine" and self._stages["articles"].latest))  # heals
        if old_file is not None and not touched and _reusable(old_file, table):
            return _link(old_file, path)
        kept: Iterator[Row] = iter(())
        if old_file is not None:
            kept = (row for row in read_rows(old_file)
                    if not stage.holds(table.group(row)) and not self._healed(table, row))
        new = stage.staged.merged()
        if table.name == "quarantine":
            new = (row for row in new if not self._healed(table, row))
        rows = _last_per_key(merge([kept, new], key=table.key), table.key)
        if table.name == "articles":
            rows = self._with_history(rows, out_dir)
        count = write_rows(path, table.schema, (_without_seq(r) for r in rows), BATCH_ROWS)
        layout.fsync_file(path)
        return count

    def _published_file(self, previous: str | None, table: Table) -> Path | None:
        """The table's file in the published version, if there is one."""
        if previous is None:
            return None
        path = layout.table_file(layout.versions_dir(self.output) / previous, table.name)
        return path if path.exists() else None

    def _write_revisions(self, previous: str | None, out_dir: Path) -> int:
        """The published history with this run's sightings merged in."""
        old_file = self._published_file(previous, REVISIONS)
        path = layout.table_file(out_dir, REVISIONS.name)
        if old_file is not None and not self._history.sightings and _reusable(old_file, REVISIONS):
            return _link(old_file, path)
        published = read_rows(old_file) if old_file is not None else iter(())
        count = write_rows(path, REVISIONS.schema, self._history.merge(published), BATCH_ROWS)
        layout.fsync_file(path)
        return count

    def _with_history(self, rows: Iterator[Row], out_dir: Path) -> Iterator[Row]:
        """`articles` rows with the history columns of the records this run saw, read back
        from the `revisions` table just written in `out_dir` (both in record order)."""
        revisions = read_rows(layout.table_file(out_dir, REVISIONS.name),
                              columns=SUMMARY_COLUMNS)
        pending = summaries(revisions, self._history.summarised)
        current = next(pending, None)
        for row in rows:
            while current is not None and current[0] < row["record_no"]:
                current = next(pending, None)
            if current is not None and current[0] == row["record_no"]:
                row.update(current[1])
            yield row

    def _healed(self, table: Table, row: Row) -> bool:
        """A quarantine row of a record this run published, under whichever of its URLs (the
        site links a record under several)."""
        return (table.name == "quarantine"
                and self._stages["articles"].holds((row["record_no"],)))

    def _write_authors(self, out_dir: Path) -> int:
        articles = read_rows(layout.table_file(out_dir, "articles"),
                             columns=["record_no", "authors", "about_author"])
        listings = read_rows(layout.table_file(out_dir, "listings"),
                             columns=["record_no", "authors", "author_bio"])
        path = layout.table_file(out_dir, AUTHORS.name)
        count = write_rows(path, AUTHORS.schema, author_rows(articles, listings), BATCH_ROWS)
        layout.fsync_file(path)
        return count


def _without_seq(row: Row) -> Row:
    row.pop(SEQ, None)
    return row


def _last_per_key(rows: Iterator[Row], key: Callable[[Row], SortKey]) -> Iterator[Row]:
    """Of consecutive rows with one key, keep the last (the newest, rows being sorted)."""
    pending: Row | None = None
    pending_key: SortKey | None = None
    for row in rows:
        row_key = key(row)
        if pending is not None and pending_key != row_key:
            yield pending
        pending, pending_key = row, row_key
    if pending is not None:
        yield pending


def _row_count(path: Path) -> int:
    return pq.ParquetFile(path).metadata.num_rows


def _reusable(old_file: Path, table: Table) -> bool:
    """Whether a published file can be reused as it is (written with the current schema)."""
    return pq.read_schema(old_file).equals(table.schema)


def _link(old_file: Path, path: Path) -> int:
    """Reuse the published file (nothing new for its table); its row count."""
    path.parent.mkdir(parents=True, exist_ok=True)
    os.link(old_file, path)
    return _row_count(path)


def _remove_unpublished_versions(output: Path) -> None:
    """Remove versions a killed run wrote but never published (newer than the current one)."""
    current = layout.current_version(output)
    versions = layout.versions_dir(output)
    if not versions.is_dir():
        return
    for path in versions.iterdir():
        if path.name.endswith(layout.TMP_SUFFIX) or current is None or path.name > current:
            shutil.rmtree(path, ignore_errors=True)


def _remove_old_versions(output: Path, keep: set[str | None]) -> None:
    """Remove every version but the current and the one before (readers may still hold it)."""
    for path in layout.versions_dir(output).iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
