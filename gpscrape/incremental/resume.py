"""Resuming a killed crawl: records already in the WARC archive but not in the published
dataset (the crawl died before publishing) are re-extracted from the archive, not fetched
again. They then count as known, so the next crawl goes on from their sidebars (the listings
they add) and from probes.

Only the WARC files of runs that never finished are read: a finished run wrote its report
(`OUTPUT/runs/<run id>.json`). Once a run's files are recovered (their records published, or
nothing to publish), the marker `OUTPUT/runs/<run id>.recovered` is written, so no later start
reads them again; a plain `scrapy crawl gp` run, which writes no report, is read once. The
filters of the killed run (`--series`, `--since`, `--limit`, in its warcinfo records) apply to
what is recovered; the records they leave out are remembered (`gpscrape.incremental.filters`).
A file still being written by a live crawl is left alone.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from scrapy.settings import BaseSettings

from gpscrape.archive.reader import MAX_BODY, run_id_of, warc_files, warcinfo
from gpscrape.archive.replay import Located, latest_responses, replay
from gpscrape.archive.writer import OPEN_SUFFIX, SUFFIX
from gpscrape.dataset.layout import fsync_dir
from gpscrape.incremental.filters import LeftOut, RecordFilter, save_left_out
from gpscrape.incremental.state import DatasetState, load_state
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.locations import runs_dir as runs_folder
from pipelines.chain import process

logger = logging.getLogger(__name__)

RECOVERED_SUFFIX = ".recovered"


@dataclass(frozen=True, slots=True)
class Recovery:
    """What a recovery did: WARC files read, records published, quarantined, left out."""

    records: int
    quarantined: int
    files: int = 0
    left_out: int = 0


def unpublished(located: dict, state: DatasetState) -> list[Located]:
    """Archived article responses newer than anything the dataset holds for their record."""
    found = []
    for key, place in located.items():
        if not isinstance(key, tuple):
            continue  # landing and listing pages are fetched again anyway
        record_no = key[1]
        times = [t for t in (state.fetched_at.get(record_no), state.quarantined_at.get(record_no))
                 if t is not None]
        if not times or place.date > max(times):
            found.append(place)
    return found


def archive_run(path: Path) -> str:
    """The run a WARC file belongs to: its run id, else (a file not named by gpscrape) its
    name without the `.open` suffix."""
    return run_id_of(path) or Path(path).name.removesuffix(OPEN_SUFFIX).removesuffix(SUFFIX)


def marker(runs: Path, run: str) -> Path:
    return runs / f"{run}{RECOVERED_SUFFIX}"


def unfinished_files(warc: Path, runs: Path) -> list[Path]:
    """The WARC files of runs without a report (killed before the end, or plain Scrapy runs)
    not yet recovered, and not being written by a live crawl."""
    return [path for path in warc_files(warc)
            if not (runs / f"{archive_run(path)}.json").exists()
            and not marker(runs, archive_run(path)).exists() and not _in_use(path)]


def recover(output: Path, warc: Path, max_body: int = MAX_BODY,
            settings: BaseSettings | None = None) -> Recovery:
    """Publish the archived records the dataset under `output` lacks, by the filters of the
    runs that archived them (bodies up to `max_body` bytes, decoded), through the pipelines
    of `settings` (the project's by default); mark those runs recovered. What was
    recovered."""
    runs_dir = runs_folder(output)
    unfinished = unfinished_files(warc, runs_dir)
    if not unfinished:
        return Recovery(0, 0)
    logger.info("reading %d WARC files of runs that did not finish", len(unfinished))
    pending = unpublished(latest_responses(warc, unfinished), load_state(output))
    outcome = Recovered(max_body=max_body)
    if pending:
        result = process(outcome.kept(pending), Path(output), settings=settings)
        save_left_out(Path(output), outcome.left_out, outcome.published)
        logger.info("recovered %d records (%d quarantined, %d left out by their run's "
                    "filters) from the archive of a crawl cut short", len(outcome.published),
                    result.quarantined, len(outcome.left_out))
        outcome.quarantined = result.quarantined
    _mark_recovered(runs_dir, {archive_run(path) for path in unfinished})
    return Recovery(len(outcome.published), outcome.quarantined, len(unfinished),
                    len(outcome.left_out))


@dataclass(slots=True)
class Recovered:
    """The records a recovery publishes and those the runs' filters leave out."""

    published: list[int] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    quarantined: int = 0
    max_body: int = MAX_BODY  # the replay's cap on a decoded body

    def kept(self, pending: list[Located]) -> Iterator[PageItem | QuarantineItem]:
        """The replayed items each run's filter keeps: at most its `limit` article records,
        of its series and since its date (its warcinfo record says which)."""
        runs: dict[str, list[Located]] = {}
        for place in pending:
            runs.setdefault(archive_run(place.path), []).append(place)
        for _, places in sorted(runs.items()):
            run_filter = RecordFilter.from_info(warcinfo(places[0].path))
            kept = 0
            for item in replay(places, max_body=self.max_body):
                record = item.record if isinstance(item, PageItem) else None
                if record is None or record.record_no is None:
                    yield item
                elif not run_filter.keeps(record.series, record.published):
                    self.left_out.append(LeftOut(record.record_no, record.url, record.series,
                                                 record.published))
                elif run_filter.limit is None or kept < run_filter.limit:
                    kept += 1
                    self.published.append(record.record_no)
                    yield item


def _mark_recovered(runs: Path, recovered: set[str]) -> None:
    """Write each run's marker atomically (after its records were published)."""
    runs.mkdir(parents=True, exist_ok=True)
    for run in sorted(recovered):
        path = marker(runs, run)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text("recovered\n")
        os.replace(tmp, path)
    fsync_dir(runs)


def _in_use(path: Path) -> bool:
    """Whether a live writer holds the file (an open file locked by another crawl)."""
    if not path.name.endswith(OPEN_SUFFIX):
        return False
    with path.open("rb") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
    return False
