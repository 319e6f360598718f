"""Killing a `gpscrape` process mid-work, and proving the kill landed: the process is stopped
at a known point (a mirror that holds its answers, or a publish step that waits), then
SIGKILLed; the caller checks what it left on disk."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from run_command import ROOT

from gpscrape.archive.writer import OPEN_SUFFIX
from gpscrape.mirror import MirrorServer
from gpscrape.mirror.urls import parse_target

# The steps of `DatasetWriter.publish`, in order; "swapped" is the first with the new version
# published (the writer's `checkpoint` hook names them).
PUBLISH_STEPS = ("staged", "version_written", "links_ready", "swapped", "cleaned")
BEFORE_SWAP = PUBLISH_STEPS[:3]

# `python -c PAUSING ARGV` runs `gpscrape ARGV`, but every DatasetWriter, at the publish step
# named by $GPSCRAPE_TEST_PAUSE_AT, writes the step's name to $GPSCRAPE_TEST_PAUSED and waits
# there for good: the test sees the file, kills the process and knows where it stood.
PAUSING = """
import os, sys, threading
from pathlib import Path
from gpscrape.dataset import writer
step, marker = os.environ["GPSCRAPE_TEST_PAUSE_AT"], Path(os.environ["GPSCRAPE_TEST_PAUSED"])
original = writer.DatasetWriter.__init__
def init(self, output, *, checkpoint=None):
    def pause(name):
        if checkpoint is not None:
            checkpoint(name)
        if name == step:
            marker.with_suffix(".tmp").write_text(name)
            os.replace(marker.with_suffix(".tmp"), marker)
            threading.Event().wait()
    original(self, output, checkpoint=pause)
writer.DatasetWriter.__init__ = init
from gpscrape.cli import main
sys.exit(main(sys.argv[1:]))
"""
DEADLINE = 120.0  # seconds a process may take to reach the point it is killed at


class SettlingMirror(MirrorServer):
    """A mirror that knows when it has sent every answer it was asked for (a slow answer is
    logged once sent, long after the crawler gave up on it)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._busy = 0  # requests being answered now
        self._settled = threading.Condition()

    def handle(self, handler: object, head: bool) -> None:
        with self._settled:
            self._busy += 1
        try:
            super().handle(handler, head)
        finally:
            with self._settled:
                self._busy -= 1
                self._settled.notify_all()

    def quiet(self) -> bool:
        """No request is being answered now."""
        with self._settled:
            return self._busy == 0

    def settled_requests(self, timeout: float) -> list:
        """The request log once no answer is on its way (at most `timeout` seconds later)."""
        with self._settled:
            assert self._settled.wait_for(lambda: self._busy == 0, timeout), "answers pending"
        return self.requests


class HoldingMirror(SettlingMirror):
    """A mirror that, once told to `hold_from(n)`, answers n - 1 more article requests and
    then holds every request until `release()`: a crawl of it is caught mid-fetch. A held
    request is never answered (its client is killed meanwhile), nor counted as being
    answered: once holding, `quiet()` means all the crawl was sent is in the request log."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.holding = threading.Event()  # set when the first request is held
        self._open = threading.Event()
        self._open.set()
        self._count_lock = threading.Lock()
        self._articles = 0
        self._hold_at: int | None = None

    def hold_from(self, article: int) -> None:
        with self._count_lock:
            self._articles, self._hold_at = 0, article
        self.holding.clear()
        self._open.clear()

    def release(self) -> None:
        with self._count_lock:
            self._hold_at = None
        self._open.set()

    def handle(self, handler: object, head: bool) -> None:
        with self._count_lock:
            if self._hold_at is not None and parse_target(handler.path).is_article:
                self._articles += 1
            held = self._hold_at is not None and self._articles >= self._hold_at
        if held:
            self.holding.set()
            self._open.wait(DEADLINE)
            handler.close_connection = True
            return
        super().handle(handler, head)

    def __exit__(self, *exc_info: object) -> None:
        self.release()
        super().__exit__(*exc_info)


def wait_for(condition: Callable[[], bool], process: subprocess.Popen, what: str) -> None:
    """Poll `condition` until it holds; fail if `process` ends first or after DEADLINE."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        assert process.poll() is None, f"the process ended ({process.returncode}) before {what}"
        assert time.monotonic() < deadline, f"no {what} within {DEADLINE:.0f} s"
        time.sleep(0.005)


@contextlib.contextmanager
def started(argv: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    """`python ARGV` running in the background; killed on the way out if still running."""
    process = subprocess.Popen([sys.executable, *argv], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=60)


def kill(process: subprocess.Popen) -> None:
    """SIGKILL `process`, which must still be running, and check that the signal ended it."""
    assert process.poll() is None, f"the process ended ({process.returncode}) before the kill"
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=60) == -signal.SIGKILL


def kill_while_fetching(argv: list[str], server: HoldingMirror, article: int,
                        ready: Callable[[], bool] = lambda: True) -> None:
    """Run `gpscrape ARGV` and SIGKILL it while it waits for its `article`-th article page,
    once `ready()` holds too."""
    server.hold_from(article)
    try:
        with started(["-m", "gpscrape", *argv]) as process:
            wait_for(server.holding.is_set, process, f"article request {article}")
            wait_for(lambda: server.quiet() and ready(), process, "the state to kill in")
            kill(process)
    finally:
        server.release()


def kill_while_publishing(argv: list[str], step: str, folder: Path) -> None:
    """Run `gpscrape ARGV` and SIGKILL it at publish step `step` of its first publish (the
    marker file goes in `folder`)."""
    marker = folder / "paused-at"
    marker.unlink(missing_ok=True)
    env = {**os.environ, "GPSCRAPE_TEST_PAUSE_AT": step, "GPSCRAPE_TEST_PAUSED": str(marker)}
    with started(["-c", PAUSING, *argv], env=env) as process:
        wait_for(marker.exists, process, f"publish step {step}")
        kill(process)
    assert marker.read_text() == step


def open_warc_files(output: Path) -> list[Path]:
    """The WARC files a crawl was still appending to (a finished crawl closes them)."""
    return sorted((output / "warc").glob(f"*{OPEN_SUFFIX}"))


def run_reports(output: Path) -> set[str]:
    """Names of the run reports under `output/runs` (a run writes its own once it ends)."""
    return {path.name for path in (output / "runs").glob("*.json")}
