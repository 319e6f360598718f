"""WARC fsyncs off the writing thread: grouped by time, never lost at close, errors surfaced."""

from __future__ import annotations

import threading
import time

import pytest

from gpscrape.archive import WarcWriter, iter_responses, warc_files
from gpscrape.archive import writer as writer_module
from tests.test_warc import exchange

DEADLINE = 10.0


class FsyncLog:
    """Records which thread fsynced; `synced` is set at each fsync."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, fail: bool = False) -> None:
        self.threads: list[str] = []
        self.synced = threading.Event()
        self.fail = fail
        real = writer_module.os.fsync

        def fsync(fd: int) -> None:
            self.threads.append(threading.current_thread().name)
            if self.fail and threading.current_thread().name == "gpscrape-warc-fsync":
                self.synced.set()
                raise OSError(5, "Input/output error")
            real(fd)
            self.synced.set()

        monkeypatch.setattr(writer_module.os, "fsync", fsync)


def test_writes_are_fsynced_by_the_background_thread_grouped_by_time(tmp_path, monkeypatch) -> None:
    log = FsyncLog(monkeypatch)
    writer = WarcWriter(tmp_path, "run1", sync_interval=30.0).open()
    caller = threading.current_thread().name
    for n in range(1, 41):
        writer.write(exchange(n))
    assert log.synced.wait(DEADLINE)
    assert caller not in log.threads  # the writing thread never waited for the disk
    assert 1 <= len(log.threads) <= 2  # 40 writes inside one interval share the fsyncs
    writer.close()
    assert log.threads[-1] == caller  # closing fsyncs the file on the spot
    assert len(warc_files(tmp_path)) == 1 and len(list(iter_responses(tmp_path))) == 40


def test_zero_interval_fsyncs_every_write_before_it_returns(tmp_path, monkeypatch) -> None:
    log = FsyncLog(monkeypatch)
    with WarcWriter(tmp_path, "run1", sync_interval=0) as writer:
        for n in range(1, 4):
            writer.write(exchange(n))
            assert log.threads == [threading.current_thread().name] * n
    assert "gpscrape-warc-fsync" not in log.threads


def test_a_failed_background_fsync_fails_the_next_write(tmp_path, monkeypatch) -> None:
    log = FsyncLog(monkeypatch, fail=True)
    writer = WarcWriter(tmp_path, "run1", sync_interval=30.0).open()
    writer.write(exchange(1))
    assert log.synced.wait(DEADLINE)
    deadline = time.monotonic() + DEADLINE
    with pytest.raises(OSError, match="Input/output error"):
        while time.monotonic() < deadline:  # handed over once the failed fsync has returned
            writer.write(exchange(2))
    writer.close()


def test_negative_interval_is_refused(tmp_path) -> None:
    with pytest.raises(ValueError, match="sync_interval"):
        WarcWriter(tmp_path, "run1", sync_interval=-1)
