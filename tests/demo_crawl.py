"""One `gpscrape demo` crawl per test session, shared by the report and notebook tests."""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path

from gpscrape import exit_codes

ROOT = Path(__file__).resolve().parents[1]
RECORDS = 40


@cache
def demo_output(session_tmp: Path) -> Path:
    """The output root of a demo crawl of a 40-record mirror under `session_tmp`."""
    output = session_tmp / "demo-crawl"
    done = subprocess.run([sys.executable, "-m", "gpscrape", "demo", "--records", str(RECORDS),
                           "--output", str(output)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == exit_codes.OK, done.stdout + done.stderr
    assert (output / "articles").is_dir(), done.stdout + done.stderr
    return output
