"""Resuming a killed crawl: records already in the WARC archive but not in the published
dataset (the crawl died before publishing) are re-extracted from the archive, not fetched
again. They then count as known, so the next crawl goes on from their sidebars (the listings
they add) and from probes."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from gpscrape.archive.replay import Located, ReplayCounts, latest_responses, replay
from gpscrape.incremental.state import DatasetState, load_state

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


def recover(output: Path, warc: Path) -> Recovery:
    """Publish the archived records the dataset under `output` lacks; what was recovered."""
    from pipelines.chain import process

    if not Path(warc).is_dir():
        return Recovery(0, 0)
    pending = unpublished(latest_responses(warc), load_state(output))
    if not pending:
        return Recovery(0, 0)
    counts = ReplayCounts()
    result = process(replay(pending, counts), Path(output))
    logger.info("recovered %d records from the archive (a crawl was cut short)", counts.records)
    return Recovery(counts.records, result.quarantined)
