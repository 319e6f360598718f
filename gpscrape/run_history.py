"""A run's own history: the earlier run reports of the same command under `OUTPUT/runs/`.

The history checks of `gpscrape.run_report` compare a run with the median of its
predecessors, the way spidermon compares a job with earlier jobs. Only runs that had records
count (at least `min_records` of them): a run that found nothing new has no coverage to
compare and must not drag the median. Unreadable or foreign files are skipped: the history is
a yardstick, and `gpscrape report` lists the reports it cannot read.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gpscrape.locations import runs_dir


@dataclass(frozen=True, slots=True)
class PastRun:
    """What the history checks need of one earlier run report."""

    run_id: str
    records: int
    coverage: dict[str, float]
    warned_share: float | None  # None: the report predates warnings


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def past_run(values: Mapping[str, Any]) -> PastRun | None:
    """The run of a report's JSON object, or None when it lacks a run id or record count."""
    records = values.get("records")
    run_id = values.get("run_id")
    if not isinstance(run_id, str) or isinstance(records, bool) or not isinstance(records, int):
        return None
    shares = values.get("coverage")
    coverage = {name: float(share) for name, share in shares.items()
                if _number(share) is not None} if isinstance(shares, dict) else {}
    warnings = values.get("warnings")
    warned = _number(warnings.get("share")) if isinstance(warnings, dict) else None
    return PastRun(run_id, records, coverage, warned)


def _reports_newest_first(output: Path) -> Iterator[dict[str, Any]]:
    folder = runs_dir(output)
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.json"), reverse=True):  # run ids sort by start time
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(values, dict):
            yield values


def past_runs(output: Path, command: str, last: int, min_records: int = 1) -> list[PastRun]:
    """The last `last` runs of `command` under `output/runs/` with at least `min_records`
    (and at least one) records, oldest first."""
    found: list[PastRun] = []
    if last <= 0:
        return found
    for values in _reports_newest_first(output):
        run = past_run(values) if values.get("command") == command else None
        if run is not None and run.records >= max(min_records, 1):
            found.append(run)
            if len(found) == last:
                break
    return found[::-1]


def median_coverage(history: Sequence[PastRun], name: str) -> float | None:
    """The median share of records with field `name` over the runs that measured it."""
    values = [run.coverage[name] for run in history if name in run.coverage]
    return statistics.median(values) if values else None


def median_warned(history: Sequence[PastRun]) -> float | None:
    """The median share of warned records over the runs that counted warnings."""
    values = [run.warned_share for run in history if run.warned_share is not None]
    return statistics.median(values) if values else None
