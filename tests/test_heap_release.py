"""The heap's free memory given back to the OS: on a clock in loops, on the reactor in a crawl;
Arrow allocating from that heap in the command's processes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from scrapy import signals
from scrapy.utils.project import get_project_settings
from scrapy.utils.test import get_crawler
from twisted.internet import task

from gpscrape import garbage, heap
from gpscrape.garbage import HeapRelease
from gpscrape.heap import PeriodicRelease, release_free_memory


def test_release_reports_whether_the_c_library_could(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    monkeypatch.setattr(heap, "_TRIM", lambda pad: calls.append(pad) or 1)
    assert release_free_memory() is True
    assert calls == [0]  # malloc_trim(0): every free page, none kept at the top
    monkeypatch.setattr(heap, "_TRIM", None)
    assert release_free_memory() is False


def test_release_runs_where_glibc_does() -> None:
    assert release_free_memory() is (heap._TRIM is not None)


def test_periodic_release_waits_its_interval_between_releases(
        monkeypatch: pytest.MonkeyPatch) -> None:
    released: list[float] = []
    now = [100.0]
    monkeypatch.setattr(heap, "release_free_memory", lambda: released.append(now[0]) or True)
    release = PeriodicRelease(2.0, clock=lambda: now[0])
    for step in range(10):  # a loop stepping every 0.5 s for 5 s
        now[0] = 100.0 + 0.5 * (step + 1)
        release()
    assert released == [102.0, 104.0]


def test_the_crawl_extension_releases_on_the_reactor_while_the_engine_runs(
        monkeypatch: pytest.MonkeyPatch) -> None:
    clock = task.Clock()
    released: list[float] = []
    monkeypatch.setattr(garbage, "release_free_memory", lambda: released.append(clock.seconds()))
    crawler = get_crawler()
    extension = HeapRelease(clock=clock)
    crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
    crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
    crawler.signals.send_catch_log(signals.engine_started)
    clock.pump([1.0] * 7)
    crawler.signals.send_catch_log(signals.engine_stopped)
    clock.pump([1.0] * 5)
    assert released == [2.0, 4.0, 6.0]
    assert extension._loop is None


def test_the_project_crawl_runs_the_extension_from_the_engine_start_to_its_stop() -> None:
    assert "gpscrape.garbage.HeapRelease" in get_project_settings().getdict("EXTENSIONS")
    crawler = get_crawler()
    extension = HeapRelease.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.engine_started)
    assert extension._loop is not None and extension._loop.running
    crawler.signals.send_catch_log(signals.engine_stopped)
    assert extension._loop is None


ARROW_POOL_AT_EXIT = """
import atexit, sys
atexit.register(lambda: print(__import__("pyarrow").default_memory_pool().backend_name))
sys.argv = ["gpscrape", "schema"]
from gpscrape.cli import run
run()
"""


@pytest.mark.parametrize(("chosen", "expected"), [(None, "system"), ("mimalloc", "mimalloc")])
def test_the_command_line_has_arrow_allocate_from_the_c_heap(chosen, expected) -> None:
    env = {k: v for k, v in os.environ.items() if k != heap.ARROW_POOL_VARIABLE}
    if chosen is not None:  # the user's own choice stays
        env[heap.ARROW_POOL_VARIABLE] = chosen
    done = subprocess.run([sys.executable, "-c", ARROW_POOL_AT_EXIT], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == expected
