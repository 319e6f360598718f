"""The `gpscrape` script exits with the command's code, its heap frozen out of the garbage
collector's last pass (`gpscrape.cli.run`)."""

from __future__ import annotations

import gc
import subprocess
import sys

import pytest

from gpscrape import cli


def test_run_exits_with_the_command_code_and_the_heap_frozen(monkeypatch) -> None:
    monkeypatch.setattr(cli, "main", lambda: 3)
    before = gc.get_freeze_count()
    try:
        with pytest.raises(SystemExit) as exit_:
            cli.run()
        assert exit_.value.code == 3
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()


def test_python_m_gpscrape_runs_the_command_line() -> None:
    done = subprocess.run([sys.executable, "-m", "gpscrape", "schema", "--nonsense"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 2 and "unrecognized arguments: --nonsense" in done.stderr
    done = subprocess.run([sys.executable, "-m", "gpscrape", "--version"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("gpscrape ")
