"""Run reports: what one run of crawl, backfill or reextract did, written to
`OUTPUT/runs/<run id>.json`."""

from __future__ import annotations

import os
from datetime import UTC, datetime


def new_run_id() -> str:
    """A run id: the UTC start time and a short random suffix; ids sort by start time."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.urandom(3).hex()}"
