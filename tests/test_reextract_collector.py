"""A rebuild tunes the cycle collector while it runs (imports frozen, fewer young
collections) and leaves it as it was, also when it fails."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from gpscrape.collector import GEN0_THRESHOLD
from gpscrape.commands import reextract
from gpscrape.run_report import Thresholds


def test_the_collector_is_tuned_during_a_rebuild_and_restored_after(tmp_path: Path,
                                                                    monkeypatch) -> None:
    seen = []

    def index_archive(warc: Path, use_index: bool = True) -> tuple[list, list, list]:
        seen.append((gc.get_threshold()[0], gc.get_freeze_count()))
        return [], [], []

    monkeypatch.setattr(reextract, "index_archive", index_archive)
    before = gc.get_threshold()
    reextract.rebuild(tmp_path / "warc", tmp_path / "out", Thresholds())
    assert seen == [(GEN0_THRESHOLD, seen[0][1])] and seen[0][1] > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_collector_is_restored_when_a_rebuild_fails(tmp_path: Path, monkeypatch) -> None:
    def broken(warc: Path, use_index: bool = True) -> tuple[list, list, list]:
        raise OSError("disk gone")

    monkeypatch.setattr(reextract, "index_archive", broken)
    before = gc.get_threshold()
    with pytest.raises(OSError, match="disk gone"):
        reextract.rebuild(tmp_path / "warc", tmp_path / "out", Thresholds())
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
