"""Checks against the run's own history: a run fails when a checked field's coverage falls, or
its warned share rises, more than the margin past the median of the last runs of the same
command; quiet runs (nothing new) pass and never count as history. Small crafted histories,
then crawls of a mirror through the real runs folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from test_spider_crawl import run_gpscrape

from gpscrape import exit_codes
from gpscrape.extract.record import PageRecord
from gpscrape.mirror import MirrorServer, MirrorSite
from gpscrape.run_history import past_runs
from gpscrape.run_report import (
    Coverage,
    RunReport,
    Thresholds,
    history_checks,
    history_of,
    make_report,
)

ROOT = Path(__file__).resolve().parents[1]
FULL = {"title": 1.0, "published": 0.95, "topics": 1.0}


def write_run(output: Path, run_id: str, records: int, coverage: dict[str, float | None],
              command: str = "crawl", warned_share: float | None = 0.0) -> None:
    """A run report as the commands write it (only what the history reads matters)."""
    warnings = {} if warned_share is None else {"warned": 0, "share": warned_share}
    RunReport(run_id=run_id, command=command, started="", finished="", seconds=1.0,
              counts={}, errors=[], coverage=coverage, records=records,
              warnings=warnings).write(output)


def history(tmp_path: Path, *published: float) -> list:
    for day, share in enumerate(published, start=1):
        write_run(tmp_path, f"202601{day:02d}T000000Z-aaaaaa", 40, {**FULL, "published": share})
    return history_of(tmp_path, "crawl", Thresholds())


def checks_now(tmp_path: Path, past: list, published: float, records: int = 40,
               warned: int = 0, thresholds: Thresholds | None = None):
    shares = {**FULL, "published": published}
    return history_checks("crawl", shares, records, warned, thresholds or Thresholds(), past)


def failed(checks) -> list[str]:
    return [c.name for c in checks if not c.passed]


def test_a_coverage_drop_past_the_margin_fails_and_says_why(tmp_path) -> None:
    past = history(tmp_path, 0.97, 0.95, 0.9)  # median 0.95
    dropped = checks_now(tmp_path, past, 0.8)  # 15 points below; the floor (0.75) still holds
    assert failed(dropped) == ["history:published"]
    [check] = [c for c in dropped if c.name == "history:published"]
    assert check.message == ("published filled on 80.0% of 40 records; median of the last 3 "
                             "crawl runs 95.0% (at most 10 points below allowed)")
    assert failed(checks_now(tmp_path, past, 0.85)) == []  # exactly at the margin
    assert failed(checks_now(tmp_path, past, 0.96)) == []  # a normal run
    assert failed(checks_now(tmp_path, past, 0.8, thresholds=Thresholds(history_margin=0.2))) \
        == []


def test_the_report_of_a_dropped_run_fails_with_the_reason(tmp_path) -> None:
    history(tmp_path, 1.0, 1.0, 1.0)
    coverage = Coverage()
    for number in range(40):
        coverage.add(PageRecord(record_no=number, cwa_no=None, url="u", title="T",
                                published=None if number < 8 else date(2025, 1, 1)))
    thresholds = Thresholds(min_coverage={"published": 0.5})
    report = make_report(run_id="20260201T000000Z-bbbbbb", command="crawl",
                         started=datetime.now(UTC), counts={}, errors=[], coverage=coverage,
                         thresholds=thresholds,
                         history=history_of(tmp_path, "crawl", thresholds))
    assert report.to_dict()["failed_checks"] == ["history:published"]
    assert report.exit_code() == exit_codes.CHECKS_FAILED
    assert "FAIL history:published: published filled on 80.0% of 40 records; median of the " \
        "last 3 crawl runs 100.0%" in report.table()


def test_quiet_runs_pass_and_do_not_count_as_history(tmp_path) -> None:
    history(tmp_path, 0.95, 0.95, 0.95)
    for day in range(10, 16):  # incremental runs that found nothing new
        write_run(tmp_path, f"202601{day}T000000Z-cccccc", 0, dict.fromkeys(FULL))
    past = history_of(tmp_path, "crawl", Thresholds(history_runs=3))
    assert [run.records for run in past] == [40, 40, 40]
    [quiet] = checks_now(tmp_path, past, 0.0, records=0)
    assert quiet.passed and "nothing new" in quiet.message
    [few] = checks_now(tmp_path, past, 0.0, records=3)  # a share of three says little
    assert few.passed and "too few" in few.message


def test_no_history_no_check_and_only_the_same_command_counts(tmp_path) -> None:
    [none] = checks_now(tmp_path, history_of(tmp_path, "crawl", Thresholds()), 0.1)
    assert none.passed and none.message == ("no earlier crawl run with at least 20 records "
                                            "to compare with")
    write_run(tmp_path, "20260101T000000Z-aaaaaa", 40, FULL, command="backfill")
    assert history_of(tmp_path, "crawl", Thresholds()) == []
    assert checks_now(tmp_path, [], 0.1, thresholds=Thresholds(history_runs=0)) == []


def test_only_the_last_runs_count_and_unreadable_reports_are_skipped(tmp_path) -> None:
    history(tmp_path, 0.2, 0.2, 0.2, 0.95, 0.95, 0.95)
    (tmp_path / "runs" / "20260107T000000Z-dddddd.json").write_text("{not json")
    past = history_of(tmp_path, "crawl", Thresholds(history_runs=3))
    assert [run.coverage["published"] for run in past] == [0.95, 0.95, 0.95]
    assert failed(checks_now(tmp_path, past, 0.5)) == ["history:published"]
    assert len(past_runs(tmp_path, "crawl", last=10)) == 6


def test_a_rising_warned_share_fails(tmp_path) -> None:
    for day, share in enumerate((0.0, 0.01, 0.02, None), start=1):
        write_run(tmp_path, f"202601{day:02d}T000000Z-aaaaaa", 40, FULL, warned_share=share)
    past = history_of(tmp_path, "crawl", Thresholds())
    assert failed(checks_now(tmp_path, past, 0.95, warned=4)) == []  # 10%: 9 points above
    assert failed(checks_now(tmp_path, past, 0.95, warned=6)) == ["history:warned"]


def test_runs_and_margin_from_settings_and_environment() -> None:
    thresholds = Thresholds.from_settings({"GPSCRAPE_HISTORY_RUNS": "3",
                                           "GPSCRAPE_HISTORY_MARGIN": "0.2"})
    assert (thresholds.history_runs, thresholds.history_margin) == (3, 0.2)
    assert (Thresholds().history_runs, Thresholds().history_margin) == (5, 0.1)
    with pytest.raises(ValueError, match="GPSCRAPE_HISTORY_RUNS must be a whole number"):
        Thresholds.from_settings({"GPSCRAPE_HISTORY_RUNS": "-1"})
    with pytest.raises(ValueError, match="GPSCRAPE_HISTORY_MARGIN must be a share"):
        Thresholds.from_settings({"GPSCRAPE_HISTORY_MARGIN": "wide"})
    code = ("from gpscrape.run_report import Thresholds; t = Thresholds(); "
            "print(t.history_runs, t.history_margin)")
    env = {**os.environ, "GPSCRAPE_HISTORY_RUNS": "7", "GPSCRAPE_HISTORY_MARGIN": "0.25"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.split() == ["7", "0.25"]


def test_mirror_crawls_checked_against_their_history(tmp_path) -> None:
    """A crawl after earlier runs that dated every record fails on its drop, with the reason in
    the report and the summary; the quiet incremental crawl after it (nothing new) passes, and
    only the crawl with records joins the history."""
    site = MirrorSite.generate(records=25, seed=3)
    output = tmp_path / "out"
    published = sum(site.expected(n).published is not None for n in site.record_nos()) / 25
    assert published <= 0.85  # the mirror leaves some issues undated
    for day in range(1, 4):
        write_run(output, f"200001{day:02d}T000000Z-eeeeee", 30, {**FULL, "published": 1.0})

    def newest_report() -> dict:
        return json.loads(sorted((output / "runs").glob("*.json"))[-1].read_text())

    with MirrorServer(site) as server:
        dropped = run_gpscrape(server, tmp_path, "crawl")
        assert dropped.result.returncode == exit_codes.CHECKS_FAILED, dropped.result.stdout
        report = newest_report()
        assert report["records"] == 25 and report["failed_checks"] == ["history:published"]
        assert (f"FAIL history:published: published filled on {published:.1%} of 25 records; "
                "median of the last 3 crawl runs 100.0%") in dropped.result.stdout
        quiet = run_gpscrape(server, tmp_path, "crawl")
    assert quiet.result.returncode == exit_codes.OK, quiet.result.stdout
    assert newest_report()["records"] == 0
    assert "ok   history: no records (nothing new)" in quiet.result.stdout
    past = history_of(output, "crawl", Thresholds())
    assert [run.records for run in past] == [30, 30, 30, 25]
