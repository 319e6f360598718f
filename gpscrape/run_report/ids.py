"""Run ids and where a run's report goes."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from gpscrape.locations import runs_dir


def new_run_id() -> str:
    """A run id: the UTC start time to the microsecond and a short random suffix; ids sort by
    start time, also for runs started within one second."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S.%fZ}-{os.urandom(3).hex()}"


def report_path(output: Path, run_id: str) -> Path:
    """Where the report of run `run_id` is written: `output/runs/<run id>.json`."""
    return runs_dir(output) / f"{run_id}.json"
