"""Resuming a killed crawl: records already in the WARC archive but not in the published
dataset (the crawl died before publishing) are re-extracted from the archive, not fetched
again. They then count as known, so the next crawl goes on from their sidebars (the listings
they add) and from probes.

Only the WARC files of runs that never finished are replayed: a finished run wrote its report
(`OUTPUT/runs/<run id>.json`), and the records it left out on purpose (`--series`, `--since`,
`--limit`) stay out."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from gpscrape.archive.reader import run_id_of, warc_files
from gpscrape.archive.replay import Located, ReplayCounts, latest_responses, replay
from gpscrape.incremental.state import DatasetState, load_state
from gpscrape.run_report import RUNS_DIR

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Recovery:
    """What a recovery replayed from the archive."""

    records: int
    quarantined: int


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


def unfinished_files(warc: Path, runs: Path) -> list[Path]:
    """The WARC files of runs without a report (killed before the end)."""
    return [path for path in warc_files(warc)
            if (run_id := run_id_of(path)) is None or not (runs / f"{run_id}.json").exists()]


def recover(output: Path, warc: Path) -> Recovery:
    """Publish the archived records the dataset under `output` lacks; what was recovered."""
    from pipelines.chain import process

    unfinished = unfinished_files(warc, Path(output) / RUNS_DIR)
    if not unfinished:
        return Recovery(0, 0)
    pending = unpublished(latest_responses(warc, unfinished), load_state(output))
    if not pending:
        return Recovery(0, 0)
    counts = ReplayCounts()
    result = process(replay(pending, counts), Path(output))
    logger.info("recovered %d records (%d quarantined) from the archive of a crawl cut short",
                counts.records, result.quarantined)
    return Recovery(counts.records, result.quarantined)
