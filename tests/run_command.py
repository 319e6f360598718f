"""Running `gpscrape` from the tests: crawls in a process of their own (Twisted's reactor cannot
restart in one pytest process), usage errors in this process, and the settings of a quick
crawl.

A process of its own is forked from a server that has imported Scrapy, pandas, pyarrow and
gpscrape once (multiprocessing's forkserver), which spares each crawl a second or more of
imports; a run with its own environment, or a script, is a new Python process instead.
"""

from __future__ import annotations

import contextlib
import io
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from scrapy.crawler import Crawler

from gpscrape.cli import main

ROOT = Path(__file__).resolve().parents[1]

# A quick, impolite crawl of a loopback site: no delays, no seeds of the real site.
QUICK = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "LOG_LEVEL": "WARNING",
    "GPSCRAPE_SEEDS": "",
}
# Failed requests retried at once and given up on soon.
QUICK_RETRIES = {"DOWNLOAD_TIMEOUT": "3", "RETRY_TIMES": "2", "GPSCRAPE_RETRY_BACKOFF_BASE": "0"}


def crawl_settings(*groups: dict[str, str], **overrides: object) -> list[str]:
    """`-s NAME=VALUE` options: QUICK, then each of `groups`, then `overrides` (None drops a
    setting)."""
    merged: dict[str, object] = dict(QUICK)
    for group in groups:
        merged.update(group)
    merged.update(overrides)
    return [option for name, value in merged.items() if value is not None
            for option in ("-s", f"{name}={value}")]


# What `gpscrape crawl` imports anyway; none of it installs a Twisted reactor.
PRELOADED = ["scrapy.crawler", "pandas", "pyarrow.parquet", "dateparser", "gpscrape.cli",
             "gpscrape.commands.crawl", "gpscrape.commands.reextract", "gpscrape.spiders.gp",
             "gpscrape.dataset", "gpscrape.run_report", "pipelines.parquet"]
_FORKS = multiprocessing.get_context("forkserver")
_FORKS.set_forkserver_preload(PRELOADED)


def gpscrape(*argv: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
             timeout: float = 120, script: str | None = None) -> subprocess.CompletedProcess:
    """Run `gpscrape ARGV` in a process of its own to its end; output captured as text.

    With `env` (read when modules load) it is `python -m gpscrape ARGV`; with `script` (one
    that patches something and calls `gpscrape.cli.main`), `python -c SCRIPT ARGV`; otherwise
    `gpscrape.cli.main(ARGV)` in a process forked from the preloaded server."""
    if env is None and script is None:
        return _forked(list(argv), cwd, timeout)
    start = ["-c", script] if script else ["-m", "gpscrape"]
    return subprocess.run([sys.executable, *start, *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _forked(argv: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="gpscrape-run-") as folder:
        out, err = Path(folder) / "stdout", Path(folder) / "stderr"
        process = _FORKS.Process(target=_main, args=(argv, cwd, dict(os.environ), out, err))
        process.start()
        process.join(timeout)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(["gpscrape", *argv], timeout)
        return subprocess.CompletedProcess(["gpscrape", *argv], process.exitcode,
                                           out.read_text(errors="replace"),
                                           err.read_text(errors="replace"))


def _main(argv: list[str], cwd: Path, env: dict[str, str], out: Path, err: Path) -> None:
    """The forked process: this test's working folder and environment, output to files."""
    os.chdir(cwd)
    os.environ.clear()
    os.environ.update(env)
    for fd, path in ((1, out), (2, err)):
        file = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        os.dup2(file, fd)
        os.close(file)
    sys.exit(main(argv))  # multiprocessing exits with the code and flushes the streams


def crawl_argv(base_url: str, output: Path, *options: str, command: str = "crawl") -> list[str]:
    """The `gpscrape` arguments of a crawl of `base_url` into `output`."""
    return [command, "--base-url", base_url, "--output", str(output), *options]


def newest_report(output: Path) -> dict:
    """The newest run report under `output/runs`."""
    return json.loads(max((output / "runs").glob("*.json")).read_text())


def output_of(done: subprocess.CompletedProcess) -> str:
    """What a finished command printed, for an assertion message."""
    return done.stdout + done.stderr[-3000:]


@dataclass
class Finished:
    """A command run in this process: its exit code and what it printed."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _no_crawl() -> Iterator[None]:
    """Fail instead of crawling: a case meant to stop at its options must not fetch anything."""
    def refuse(self: Crawler, *args: object, **kwargs: object) -> None:
        raise AssertionError("the command started a crawl")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Crawler, "crawl", refuse)
        patch.setenv("SCRAPY_SETTINGS_MODULE", "gpscrape.settings")  # restored afterwards
        yield


def in_process(*argv: str) -> Finished:
    """Run `gpscrape ARGV` in this process: a command that does not crawl, or options a crawl
    refuses before it starts (a crawl fails the test); argparse's own exit is caught."""
    out, err = io.StringIO(), io.StringIO()
    with _no_crawl(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else 1
    return Finished(code, out.getvalue(), err.getvalue())
