"""Fault matrix: one small mirror crawl per fault kind the mirror can inject, transient and
permanent, checked on the published dataset and the run report.

Transient faults must heal through retries: every record in `articles` once, nothing
quarantined, exit 0. Permanent faults must leave the faulty records out of `articles` and
report each of them with its reason (the `quarantine` table for requests that failed for good,
the run report's errors for 200 pages without an article), with exit code 1 (checks failed).
Redirects off the site go to a second loopback host, which must never be asked anything.

The crawls are independent, so the module starts all selected ones at once (a few in parallel)
and each test waits for its own. The long runs mix every kind over a 300-record site.
"""

from __future__ import annotations

import json
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from kills import SettlingMirror
from loopback_site import Site
from run_command import QUICK_RETRIES, crawl_argv, crawl_settings, gpscrape, output_of
from test_dataset import START, page, write

from gpscrape import exit_codes
from gpscrape.dataset.read import read_frame
from gpscrape.items import QuarantineItem
from gpscrape.mirror import FAULT_KINDS, TRANSIENT_KINDS, FaultPlan, MirrorServer, MirrorSite
from gpscrape.urls import record_no_of

TIMEOUT = 2.0  # DOWNLOAD_TIMEOUT of the crawls; the slow fault waits longer
# Fast and impolite, but the run checks keep their defaults: they decide the exit code.
SETTINGS = crawl_settings(QUICK_RETRIES, DOWNLOAD_TIMEOUT=f"{TIMEOUT:g}",
                          CONCURRENT_REQUESTS_PER_DOMAIN=8)
OTHER_HOST = "127.0.0.2"  # "another domain" for the off-site redirect
HEALS = "heals"  # permanent in a first run, gone by the next one
CASES = [(kind, "transient") for kind in TRANSIENT_KINDS] + [(kind, "permanent")
                                                              for kind in FAULT_KINDS]
# What the report says about a record that failed for good, per kind.
REASONS = {
    "500": "HTTP 500",
    "503": "HTTP 503",
    "429": "HTTP 429",
    "reset": "ConnectionLost: Connection to the other side was lost",
    "truncate": "ResponseDataLossError",
    "slow": "took longer than",
    "redirect_loop": "redirect loop back to",
    "offsite": "redirected off the site to",
    "broken": "page without article or listing",
}


@dataclass
class Outcome:
    """One finished crawl of the matrix and what the servers saw."""

    run: subprocess.CompletedProcess  # with HEALS, the second run
    output: Path
    site: MirrorSite
    faulty: dict[int, str]
    requests: list  # the mirror's RequestRecords
    other_host_hits: list[str]

    def report(self) -> dict:
        (path,) = (self.output / "runs").glob("*.json")
        return json.loads(path.read_text())

    def table(self, name: str) -> pd.DataFrame:
        return read_frame(self.output, name)

    def diagnosis(self) -> str:
        return output_of(self.run)


def other_host() -> Site:
    """Another host for off-site redirects: it must never be asked anything."""
    return Site({}, host=OTHER_HOST)


def plan_for(kind: str, variant: str, other: Site) -> FaultPlan:
    return FaultPlan({kind: 0.2}, seed=7, attempts=1, permanent=variant != "transient",
                     slow_seconds=TIMEOUT + 4, retry_after=1, offsite_url=f"{other.base_url}moved")


def crawl(server: MirrorServer, output: Path) -> subprocess.CompletedProcess:
    return gpscrape(*crawl_argv(server.base_url, output, *SETTINGS), timeout=150)


def crawl_case(kind: str, variant: str, tmp_path: Path) -> Outcome:
    site = MirrorSite.generate(records=20, seed=21, missing_rate=0.0)
    other = other_host()
    plan = plan_for(kind, variant, other)
    try:
        with SettlingMirror(site, faults=plan) as server:
            faulty = server.faulty_records()
            run = crawl(server, tmp_path / "out")
            if variant == HEALS:
                server.faults = FaultPlan()
                server.clear_log()
                run = crawl(server, tmp_path / "out")
            requests = server.settled_requests(timeout=plan.slow_seconds + 5)
    finally:
        other.close()
    return Outcome(run, tmp_path / "out", site, faulty, requests, other.paths())


@pytest.fixture(scope="module")
def matrix(request, tmp_path_factory):
    """Starts the crawl of every selected case; maps (kind, variant) to its Future."""
    params = [getattr(getattr(item, "callspec", None), "params", {})
              for item in request.session.items if item.module is request.module]
    wanted = [p["case"] for p in params if "case" in p]
    pool = ThreadPoolExecutor(max_workers=4)
    futures: dict[tuple[str, str], Future] = {}
    for case in dict.fromkeys(wanted):
        folder = tmp_path_factory.mktemp(f"{case[0]}-{case[1]}")
        futures[case] = pool.submit(crawl_case, *case, folder)
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


def outcome(matrix, case: tuple[str, str]) -> Outcome:
    return matrix[case].result(timeout=180)


def assert_no_duplicates(result: Outcome) -> None:
    articles = result.table("articles")
    assert articles["record_no"].is_unique, result.diagnosis()
    quarantine = result.table("quarantine")
    assert quarantine["url"].is_unique, quarantine
    assert not set(quarantine["record_no"].dropna()) & set(articles["record_no"])


def test_plans_put_each_kind_on_some_records() -> None:
    site = MirrorSite.generate(records=20, seed=21, missing_rate=0.0)
    for kind in FAULT_KINDS:
        faulty = FaultPlan({kind: 0.2}, seed=7).faulty(site.record_nos())
        assert 1 <= len(faulty) < len(site.record_nos()) and set(faulty.values()) == {kind}


@pytest.mark.parametrize("case", [c for c in CASES if c[1] == "transient"], ids="-".join)
def test_transient_fault_heals_and_every_record_is_published_once(matrix, case) -> None:
    kind, _ = case
    result = outcome(matrix, case)
    assert result.run.returncode == exit_codes.OK, result.diagnosis()
    articles = result.table("articles")
    assert sorted(articles["record_no"]) == result.site.record_nos(), result.diagnosis()
    assert_no_duplicates(result)
    assert result.table("quarantine").empty
    report = result.report()
    assert report["passed"] and report["errors"] == []
    for record_no in result.faulty:  # really struck, and fetched again
        mine = [r for r in result.requests if r.record_no == record_no]
        assert any(r.fault == kind for r in mine), mine
        assert any(r.fault is None and r.status == 200 for r in mine), mine


@pytest.mark.parametrize("case", [("503", "transient")], ids="-".join)
def test_retry_after_is_waited_for_before_the_retry(matrix, case) -> None:
    result = outcome(matrix, case)
    for record_no in result.faulty:
        mine = [r for r in result.requests if r.record_no == record_no]
        refused = [r.time for r in mine if r.fault == "503"]
        served = [r.time for r in mine if r.fault is None and r.status == 200]
        assert refused and served, mine
        assert min(served) - min(refused) >= 0.9, mine


@pytest.mark.parametrize("case", [c for c in CASES if c[1] == "permanent"], ids="-".join)
def test_permanent_fault_leaves_the_record_out_and_reports_its_reason(matrix, case) -> None:
    kind, _ = case
    result = outcome(matrix, case)
    assert result.run.returncode == exit_codes.CHECKS_FAILED, result.diagnosis()
    articles = result.table("articles")
    healthy = sorted(set(result.site.record_nos()) - set(result.faulty))
    assert sorted(articles["record_no"]) == healthy, result.diagnosis()
    assert_no_duplicates(result)
    report = result.report()
    assert not report["passed"]
    assert set(report["failed_checks"]) <= {"quarantined", "error_rate"}, report["failed_checks"]
    quarantine = result.table("quarantine")
    reasons = {int(n): r for n, r in zip(quarantine["record_no"], quarantine["reason"],
                                         strict=True) if pd.notna(n)}
    for record_no in result.faulty:
        said = [reasons.get(record_no, "")] + [e["reason"] for e in report["errors"]
                                                if f"recordNo={record_no}" in e["url"]]
        assert any(REASONS[kind] in reason for reason in said), (record_no, said)
        assert not any("<twisted" in reason or reason.endswith(": ") for reason in said), said
    if kind == "offsite":
        assert result.other_host_hits == []


@pytest.mark.parametrize("case", [("500", HEALS), ("broken", HEALS)], ids="-".join)
def test_a_record_that_failed_for_good_is_published_once_it_heals(matrix, case) -> None:
    result = outcome(matrix, case)
    assert result.run.returncode == exit_codes.OK, result.diagnosis()
    assert set(result.faulty) <= {r.record_no for r in result.requests}
    articles = result.table("articles")
    assert sorted(articles["record_no"]) == result.site.record_nos()
    assert_no_duplicates(result)
    assert result.table("quarantine").empty  # whichever of its URLs the record came from


def test_quarantine_row_goes_when_the_record_comes_under_another_url(tmp_path: Path) -> None:
    healed = page(7)
    other_url = healed.record.url.replace("view_cir_articles", "TWTW_view_articles")
    write(tmp_path, [page(8), QuarantineItem(other_url, "request failed: HTTP 500", START, 7),
                     QuarantineItem("https://example.test/elsewhere", "no article", START)])
    write(tmp_path, [healed])
    quarantine = read_frame(tmp_path, "quarantine")
    assert list(quarantine["url"]) == ["https://example.test/elsewhere"]
    assert sorted(read_frame(tmp_path, "articles")["record_no"]) == [7, 8]


@pytest.mark.long
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_fault_kind_mixed_over_a_bigger_site(seed: int, tmp_path: Path) -> None:
    site = MirrorSite.generate(records=300, seed=seed, missing_rate=0.03)
    other = other_host()
    probe = FaultPlan.uniform(0.15, seed=seed)
    faulty = probe.faulty(site.record_nos())
    healing = sorted(n for n, kind in faulty.items() if kind in TRANSIENT_KINDS)
    dead = frozenset(healing[::2])  # half of the transient-kind records never recover
    plan = FaultPlan.uniform(0.15, seed=seed, permanent=dead, slow_seconds=TIMEOUT + 2,
                             retry_after=1, offsite_url=f"{other.base_url}moved")
    try:
        with MirrorServer(site, faults=plan) as server:
            run = crawl(server, tmp_path / "out")
    finally:
        other.close()
    result = Outcome(run, tmp_path / "out", site, faulty, [], other.paths())
    lost = {n for n, kind in faulty.items() if kind not in TRANSIENT_KINDS or n in dead}
    assert set(faulty.values()) == set(FAULT_KINDS)
    assert run.returncode == exit_codes.CHECKS_FAILED, result.diagnosis()
    articles = result.table("articles")
    assert sorted(articles["record_no"]) == sorted(set(site.record_nos()) - lost)
    assert_no_duplicates(result)
    assert result.other_host_hits == []
    quarantined = set(result.table("quarantine")["record_no"].dropna().astype(int))
    reported = {record_no_of(error["url"]) for error in result.report()["errors"]}
    assert lost <= quarantined | reported
