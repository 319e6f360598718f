"""Run reports: checks and their thresholds, the report file, and a crawl of a mirror whose
page layout breaks (exit code 1, with the reason in the report)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from run_command import crawl_argv, crawl_settings, gpscrape

from gpscrape import exit_codes
from gpscrape.extract.record import PageRecord, Topic
from gpscrape.mirror import FaultPlan, MirrorServer, MirrorSite
from gpscrape.run_report import (
    Coverage,
    Thresholds,
    coverage_limits,
    evaluate,
    make_report,
    new_run_id,
)

LIMITS = Thresholds(coverage_min_records=1)


def failed(checks) -> list[str]:
    return [c.name for c in checks if not c.passed]


def test_quarantine_and_error_rate_checks() -> None:
    assert failed(evaluate({"pages_fetched": 100}, {}, 0, LIMITS)) == []
    assert failed(evaluate({"pages_fetched": 100, "quarantined": 1}, {}, 0, LIMITS)) == ["quarantined"]
    assert failed(evaluate({"pages_fetched": 95, "failed": 5}, {}, 0, LIMITS)) == []  # 5 of 100
    assert failed(evaluate({"pages_fetched": 94, "failed": 6}, {}, 0, LIMITS)) == ["error_rate"]
    assert failed(evaluate({"pages_fetched": 10, "broken_pages": 1}, {}, 0, LIMITS)) == ["error_rate"]
    lenient = Thresholds(max_quarantined=3, max_error_rate=0.5)
    assert failed(evaluate({"pages_fetched": 2, "failed": 1, "quarantined": 3}, {}, 0, lenient)) == []
    assert failed(evaluate({}, {}, 0, LIMITS, finish_reason="shutdown")) == ["finished"]


def test_coverage_checks_are_enforced_from_enough_records() -> None:
    shares = {"title": 1.0, "published": 0.5, "topics": 0.95}
    assert failed(evaluate({}, shares, 30, Thresholds())) == ["coverage:published"]
    small = evaluate({}, shares, 5, Thresholds())
    assert failed(small) == []
    assert "not enforced below 20 records" in [c for c in small if c.name == "coverage:published"][0].message
    assert failed(evaluate({}, {}, 0, LIMITS)) == []  # nothing to measure


def test_coverage_limits_from_settings_values() -> None:
    assert coverage_limits(None) == {"title": 0.9, "published": 0.75, "topics": 0.9}
    assert coverage_limits("0.5") == {"title": 0.5, "published": 0.5, "topics": 0.5}
    assert coverage_limits('{"published": 0.2}')["published"] == 0.2
    assert coverage_limits({"byline": 0.3})["byline"] == 0.3
    with pytest.raises(ValueError, match="unknown coverage fields"):
        coverage_limits({"nonsense": 0.3})


def test_coverage_counts_non_empty_fields() -> None:
    coverage = Coverage()
    coverage.add(PageRecord(record_no=1, cwa_no=None, url="u", title="A", topics=[Topic()]))
    coverage.add(PageRecord(record_no=2, cwa_no=None, url="u", title="  ", authors=[]))
    shares = coverage.shares()
    assert shares["title"] == 0.5 and shares["topics"] == 0.5
    assert shares["authors"] == 0.0 and shares["url"] == 1.0


def test_report_file_and_table(tmp_path) -> None:
    report = make_report(run_id=new_run_id(), command="crawl", started=datetime.now(UTC),
                         counts={"pages_fetched": 4, "quarantined": 1},
                         errors=[("http://x/a", "no title")], coverage=Coverage(),
                         thresholds=LIMITS)
    path = report.write(tmp_path)
    data = json.loads(path.read_text())
    assert path.parent.name == "runs" and path.stem == report.run_id
    assert data["failed_checks"] == ["quarantined"] and not data["passed"]
    assert data["errors"] == [{"url": "http://x/a", "reason": "no title"}]
    assert report.exit_code() == exit_codes.CHECKS_FAILED
    assert "FAIL quarantined: 1 pages quarantined" in report.table()


def test_run_ids_sort_by_start_time() -> None:
    before = datetime.now(UTC)
    run_ids = [new_run_id() for _ in range(3)]
    after = datetime.now(UTC)
    for run_id in run_ids:
        # A fixed-width UTC stamp, most significant field first: ids sort as start times do.
        assert re.fullmatch(r"\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{6}", run_id)
        started = datetime.strptime(run_id[:23], "%Y%m%dT%H%M%S.%fZ").replace(tzinfo=UTC)
        assert before <= started <= after  # the stamp is the time the id was made
    # Runs started within one second (a quick crawl, then the next) sort in start order.
    assert run_ids == sorted(run_ids) and len(set(run_ids)) == 3


def test_broken_layout_fails_the_run_and_says_why(tmp_path) -> None:
    site = MirrorSite.generate(records=30, seed=31)
    plan = FaultPlan({"broken": 0.2}, seed=2)
    with MirrorServer(site, faults=plan) as server:
        broken = {n for n, kind in server.faulty_records().items() if kind == "broken"}
        done = gpscrape(*crawl_argv(server.base_url, tmp_path, *crawl_settings()))
    assert broken
    assert done.returncode == exit_codes.CHECKS_FAILED, done.stdout + done.stderr
    [path] = (tmp_path / "runs").glob("*.json")
    data = json.loads(path.read_text())
    assert data["failed_checks"] == ["error_rate"]
    assert data["counts"]["broken_pages"] == len(broken)
    reported = {int(e["url"].rsplit("recordNo=", 1)[1].split("&")[0]) for e in data["errors"]}
    assert reported == broken
    assert all("page without article or listing" in e["reason"] for e in data["errors"])
    assert "FAIL error_rate" in done.stdout
