"""Spider `gp` end to end over the local mirror: discovery, one fetch per record, exact content,
faults, backfill gaps and the series/since/limit filters.

Each crawl runs `gpscrape crawl` (or `backfill`) in a subprocess, with an extra JSON-lines feed
of the yielded page items so that the records can be compared with the mirror's expectations.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from run_command import QUICK_RETRIES, crawl_argv, crawl_settings, gpscrape, in_process

from gpscrape import exit_codes
from gpscrape.extract import PageRecord
from gpscrape.mirror import FAULT_KINDS, TRANSIENT_KINDS, FaultPlan, MirrorServer, MirrorSite
from gpscrape.spiders.gp import parse_since

# The run report's data checks (coverage, error rate) are not what these tests are about:
# the exit code still fails on quarantined pages and requests that failed for good.
FAST = crawl_settings(QUICK_RETRIES, CONCURRENT_REQUESTS_PER_DOMAIN=8, GPSCRAPE_MIN_COVERAGE=0,
                      GPSCRAPE_MAX_ERROR_RATE=1)


class Run:
    """One finished crawl: its process result and the page items it yielded."""

    def __init__(self, result: subprocess.CompletedProcess, items_file: Path) -> None:
        self.result = result
        lines = items_file.read_text().splitlines() if items_file.exists() else []
        self.items = [json.loads(line) for line in lines]
        self.records = [PageRecord.from_dict(item) for item in self.items]
        self.articles = [r for r in self.records if r.record_no is not None]

    def record_nos(self) -> list[int]:
        return sorted(r.record_no for r in self.articles)


def run_gpscrape(server: MirrorServer, tmp_path: Path, command: str, *extra: str) -> Run:
    items_file = tmp_path / "items.jsonl"
    feed = {str(items_file): {"format": "jsonlines", "item_classes": ["gpscrape.items.PageItem"]}}
    result = gpscrape(*crawl_argv(server.base_url, tmp_path / "out", *FAST,
                                  "-s", f"FEEDS={json.dumps(feed)}", *extra, command=command))
    return Run(result, items_file)


def assert_fetched_once(server: MirrorServer) -> None:
    counts = Counter(n for n, _ in server.article_requests())
    assert [n for n, c in counts.items() if c > 1] == []


def assert_expected_content(server: MirrorServer, run: Run) -> None:
    for record in run.articles:
        expected = server.expected(record.record_no)
        expected.url, expected.series_raw = record.url, record.series_raw
        assert record == expected, record.record_no


@pytest.fixture(scope="module")
def site() -> MirrorSite:
    return MirrorSite.generate(records=40, seed=5, missing_rate=0.1)


def test_full_crawl_yields_every_record_once_with_its_content(site, tmp_path) -> None:
    jobs = tmp_path / "remote-control-jobs"  # where Scrapy's remote control would write
    with MirrorServer(site) as server:
        run = run_gpscrape(server, tmp_path, "crawl", "-s", f"REMOTE_CONTROL_JOBS_DIR={jobs}")
        assert run.result.returncode == exit_codes.OK, run.result.stdout + run.result.stderr
        assert run.record_nos() == site.record_nos()
        assert_expected_content(server, run)
        assert_fetched_once(server)
    assert f"{len(site.record_nos())} records" in run.result.stdout
    assert "WARNING" not in run.result.stderr  # a clean crawl warns of nothing
    assert not jobs.exists()  # no remote control server, no job file


def test_discovery_without_index_pages_from_one_seed(tmp_path) -> None:
    site = MirrorSite.generate(records=30, seed=6, index_pages=False)
    middle = site.record_nos()[len(site.record_nos()) // 2]
    with MirrorServer(site) as server:
        run = run_gpscrape(server, tmp_path, "crawl", "--seed", site.article_targets(middle)[0])
        assert run.result.returncode == exit_codes.OK, run.result.stdout + run.result.stderr
        assert run.record_nos() == site.record_nos()
        assert_expected_content(server, run)
        assert_fetched_once(server)
        assert server.count(status=404) >= 2  # home page and /europe/ are absent


def test_transient_faults_of_every_kind_still_yield_every_record(site, tmp_path) -> None:
    plan = FaultPlan({kind: 0.1 for kind in TRANSIENT_KINDS}, seed=3, slow_seconds=4.0)
    with MirrorServer(site, faults=plan) as server:
        assert set(server.faulty_records().values()) == set(TRANSIENT_KINDS)
        run = run_gpscrape(server, tmp_path, "crawl")
        assert run.result.returncode == exit_codes.OK, run.result.stdout + run.result.stderr
        assert run.record_nos() == site.record_nos()
        assert_expected_content(server, run)


def test_permanent_failures_are_reported_with_their_reason(site, tmp_path) -> None:
    structural = [k for k in FAULT_KINDS if k not in TRANSIENT_KINDS]
    rates = {kind: 0.1 for kind in [*structural, "500"]}
    probe = FaultPlan(rates, seed=4)
    dead_500 = {n for n, kind in probe.faulty(site.record_nos()).items() if kind == "500"}
    plan = FaultPlan(rates, seed=4, permanent=frozenset(dead_500))
    with MirrorServer(site, faults=plan) as server:
        faulty = server.faulty_records()
        run = run_gpscrape(server, tmp_path, "crawl")
    assert run.result.returncode == exit_codes.CHECKS_FAILED
    healthy = sorted(set(site.record_nos()) - set(faulty))
    assert run.record_nos() == healthy
    out = run.result.stdout
    for record_no, kind in faulty.items():
        failed = [line for line in out.splitlines() if f"recordNo={record_no}" in line]
        if kind == "broken":  # a 200 page without article: a broken page, not a missing one
            assert any(line.startswith("  broken:") for line in failed), out
            continue
        reason = {"500": "HTTP 500", "redirect_loop": "redirect loop back to",
                  "offsite": "redirected off the site to"}[kind]  # fmt: skip
        assert any(line.startswith("  failed:") and reason in line for line in failed), out


def test_backfill_yields_existing_records_and_counts_gaps(site, tmp_path) -> None:
    first, last = site.record_nos()[0], site.record_nos()[-1] + 2
    gaps = [n for n in range(first, last + 1) if n not in set(site.record_nos())]
    assert gaps and set(site.missing_record_nos()) <= set(gaps)
    with MirrorServer(site) as server:
        run = run_gpscrape(server, tmp_path, "backfill", "--from", str(first), "--to", str(last))
        requested = sorted(n for n, _ in server.article_requests())
    assert run.result.returncode == exit_codes.OK, run.result.stdout + run.result.stderr
    assert requested == list(range(first, last + 1))
    assert run.record_nos() == site.record_nos()
    assert f"{len(gaps)} missing" in run.result.stdout


def test_backfill_url_template(site, tmp_path) -> None:
    first = site.record_nos()[0]
    template = "TWTW_view_articles.php?url=The+World+This+Week&recordNo={n}"
    with MirrorServer(site) as server:
        run = run_gpscrape(
            server, tmp_path, "backfill", "--from", str(first), "--to", str(first + 4),
            "--url-template", template,
        )  # fmt: skip
        requested = [url for _, url in server.article_requests()]
    assert run.result.returncode == exit_codes.OK, run.result.stdout + run.result.stderr
    assert len(requested) == 5
    assert all("/TWTW_view_articles.php?url=The+World+This+Week&recordNo=" in u for u in requested)
    assert run.record_nos() == [n for n in site.record_nos() if n <= first + 4]


def test_series_since_and_limit_filters(site, tmp_path) -> None:
    with MirrorServer(site) as server:
        expected = {n: server.expected(n) for n in site.record_nos()}
        series = Counter(r.series for r in expected.values() if r.series).most_common(1)[0][0]
        by_series = run_gpscrape(server, tmp_path / "a", "crawl", "--series", series.upper())
        days = sorted(r.published for r in expected.values() if r.published)
        since = days[len(days) // 2]
        by_date = run_gpscrape(server, tmp_path / "b", "crawl", "--since", since.isoformat())
        limited = run_gpscrape(server, tmp_path / "c", "crawl", "--limit", "5")
    assert by_series.record_nos() == sorted(n for n, r in expected.items() if r.series == series)
    wanted = sorted(n for n, r in expected.items() if r.published and r.published >= since)
    assert by_date.record_nos() == wanted
    assert len(limited.record_nos()) == 5
    for run in (by_series, by_date, limited):
        assert run.result.returncode == exit_codes.OK, run.result.stdout + run.result.stderr


def test_bad_options_are_usage_errors(tmp_path) -> None:
    for bad in (
        ["crawl", "--since", "not a date at all"],
        ["crawl", "--limit", "0"],
        ["crawl", "-s", "NOEQUALS"],
        ["backfill", "--from", "10", "--to", "5"],
        ["backfill", "--from", "1", "--to", "5", "--url-template", "view_cir_articles.php"],
        ["backfill", "--from", "-1", "--to", "5"],
    ):
        result = in_process(*bad, "--output", str(tmp_path))
        assert result.returncode == exit_codes.USAGE, (bad, result.stderr)
        assert result.stderr, bad  # says what is wrong


def test_parse_since_reads_absolute_and_relative_dates() -> None:
    assert parse_since("2024-01-01") == date(2024, 1, 1)
    assert parse_since("3 months ago") < date.today()
    with pytest.raises(ValueError, match="cannot read"):
        parse_since("whenever")
