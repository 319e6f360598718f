"""One verdict per page: a crawl's printed summary and its run report count the same run alike
(same numbers under the same labels), the counts match what the mirror was made to serve,
and a rebuild of the crawl's archive gives the archived pages the verdicts the crawl gave,
also to a backfill's guesses."""

from __future__ import annotations

import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from run_command import QUICK_RETRIES, crawl_settings, gpscrape

from gpscrape import exit_codes
from gpscrape.commands.reextract import rebuild
from gpscrape.mirror import FaultPlan, MirrorServer, MirrorSite
from gpscrape.run_report import Thresholds
from gpscrape.run_report.counts import LABELS, SUMMARY
from gpscrape.urls import record_no_of

FAST = crawl_settings(QUICK_RETRIES, RETRY_TIMES=1, CONCURRENT_REQUESTS_PER_DOMAIN=8,
                      GPSCRAPE_PROBE_MISSES=3)


class Crawl:
    """A finished crawl of a faulty mirror: its output, stdout, report and the mirror's truth."""

    def __init__(self, output: Path, done: subprocess.CompletedProcess, faulty: dict[int, str],
                 site: MirrorSite, seeded_missing: list[int]) -> None:
        self.output, self.done, self.faulty = output, done, faulty
        self.site, self.seeded_missing = site, seeded_missing
        [path] = (output / "runs").glob("*.json")
        self.report = json.loads(path.read_text())

    def of_kind(self, kind: str) -> set[int]:
        return {n for n, k in self.faulty.items() if k == kind}


def run_crawl(output: Path) -> Crawl:
    """A crawl seeded with two recordNos the site does not serve, over a mirror where some
    article pages are broken (200 without an article) and some fail for good (500)."""
    site = MirrorSite.generate(records=30, seed=41, missing_rate=0.1)
    seeded_missing = site.missing_record_nos()[:2]
    plan = FaultPlan({"broken": 0.15, "500": 0.1}, seed=5, permanent=True)
    with MirrorServer(site, faults=plan) as server:
        seeds = [arg for n in seeded_missing for arg in ("--seed", str(n))]
        done = gpscrape("crawl", "--base-url", server.base_url, "--output", str(output),
                        *FAST, *seeds)
        faulty = server.faulty_records()
    return Crawl(output, done, faulty, site, seeded_missing)


def run_backfill(output: Path) -> Crawl:
    """A backfill of every recordNo of a mirror where some article pages are broken: there
    the guesses find no article."""
    site = MirrorSite.generate(records=12, seed=43, missing_rate=0.0)
    plan = FaultPlan({"broken": 0.3}, seed=6)
    first, last = site.record_nos()[0], site.record_nos()[-1]
    with MirrorServer(site, faults=plan) as server:
        done = gpscrape("backfill", "--base-url", server.base_url, "--from", str(first),
                        "--to", str(last), "--output", str(output), *FAST)
        faulty = server.faulty_records()
    return Crawl(output, done, faulty, site, [])


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Crawl]:
    """The crawl and the backfill, run at the same time (each on its own mirror)."""
    root = tmp_path_factory.mktemp("verdicts")
    with ThreadPoolExecutor(max_workers=2) as pool:
        crawl = pool.submit(run_crawl, root / "crawl")
        backfill = pool.submit(run_backfill, root / "backfill")
        return {"crawl": crawl.result(timeout=150), "backfill": backfill.result(timeout=150)}


@pytest.fixture
def crawl(runs) -> Crawl:
    return runs["crawl"]


def summary_counts(stdout: str) -> dict[str, int]:
    """The counts of the summary's first line (`gpscrape crawl: 12 pages fetched, ...; ...`),
    by the report's keys, read through the shared labels."""
    line = next(line for line in stdout.splitlines() if line.startswith("gpscrape crawl: "))
    counts = line.removeprefix("gpscrape crawl: ").rsplit("; ", 1)[0]
    found = {}
    for key in SUMMARY:
        match = re.search(rf"(?:^|, )(\d+) {re.escape(LABELS[key])}(?=, |$)", counts)
        assert match, (key, counts)
        found[key] = int(match.group(1))
    return found


def table_counts(stdout: str) -> dict[str, int]:
    """The counts of the report's printed table (`  label   N` lines), by the report's keys."""
    keys = {label: key for key, label in LABELS.items()}
    rows = re.findall(r"^  (\S.*?)\s{2,}(\d+)$", stdout, flags=re.MULTILINE)
    return {keys[label]: int(n) for label, n in rows if label in keys}


def test_summary_table_and_report_count_the_run_alike(crawl: Crawl) -> None:
    done, counts = crawl.done, crawl.report["counts"]
    assert done.returncode == exit_codes.CHECKS_FAILED, done.stdout + done.stderr[-3000:]
    summary = summary_counts(done.stdout)
    assert summary == {key: counts[key] for key in SUMMARY}
    assert table_counts(done.stdout) == counts
    # Not a vacuous agreement: every kind of page is there, counted as the mirror served it.
    broken, failed = crawl.of_kind("broken"), crawl.of_kind("500")
    assert broken and failed and crawl.seeded_missing
    assert counts["broken_pages"] == len(broken)
    assert counts["failed"] == len(failed) and counts["quarantined"] == len(failed)
    assert counts["missing"] == len(crawl.seeded_missing)
    assert counts["records"] == len(crawl.site.record_nos()) - len(broken) - len(failed)
    assert counts["pages_fetched"] == sum(
        n for name, n in crawl.report["details"]["verdicts"].items()
        if name not in ("failed", "robots_refused"))
    assert set(crawl.report["failed_checks"]) == {"quarantined", "error_rate"}


def test_summary_and_report_name_the_same_pages(crawl: Crawl) -> None:
    out, report = crawl.done.stdout, crawl.report
    printed_broken = {line.split()[1] for line in out.splitlines() if line.startswith("  broken: ")}
    reported_broken = {e["url"] for e in report["errors"]
                       if e["reason"].startswith("page without article or listing")}
    assert printed_broken == reported_broken
    assert {record_no_of(url) for url in reported_broken} == crawl.of_kind("broken")
    missing = {record_no_of(entry["url"]) for entry in report["details"]["missing"]}
    assert missing == set(crawl.seeded_missing)
    ranges = out.split("missing recordNos: ")[1].splitlines()[0]
    assert all(str(n) in ranges for n in crawl.seeded_missing)
    failed = {record_no_of(line.split()[1]) for line in out.splitlines()
              if line.startswith("  failed: ")}
    assert failed == crawl.of_kind("500")


def test_a_rebuild_gives_the_archived_pages_the_crawls_verdicts(crawl: Crawl, tmp_path) -> None:
    rebuilt = rebuild(crawl.output / "warc", tmp_path / "rebuilt", Thresholds())
    crawled, replayed = crawl.report["details"]["verdicts"], rebuilt.details["verdicts"]
    # Only 200 answers are replayed: records, listings, index and broken pages.
    for name in ("record", "listing", "index", "broken"):
        assert replayed[name] == crawled[name], name
    assert rebuilt.counts["broken_pages"] == crawl.report["counts"]["broken_pages"]
    assert {e["url"] for e in rebuilt.errors} == {
        e["url"] for e in crawl.report["errors"]
        if e["reason"].startswith("page without article or listing")}


def test_a_backfill_guess_without_an_article_is_missing_in_the_crawl_and_the_rebuild(
        runs, tmp_path) -> None:
    backfill = runs["backfill"]
    guessed = sorted(backfill.of_kind("broken"))
    done = backfill.done
    assert guessed and done.returncode == exit_codes.OK, done.stdout + done.stderr[-3000:]
    rebuilt = rebuild(backfill.output / "warc", tmp_path / "rebuilt", Thresholds())
    for report in (backfill.report, rebuilt.to_dict()):
        assert report["counts"]["missing"] == len(guessed), report["counts"]
        assert report["counts"]["broken_pages"] == 0 and report["errors"] == []
        assert sorted(record_no_of(e["url"]) for e in report["details"]["missing"]) == guessed
