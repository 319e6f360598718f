"""Resume: a crawl killed with SIGKILL mid-way and started again finishes the job: every
record once in the dataset, and no article page that reached the archive fetched again."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from kills import HoldingMirror, kill_while_fetching, open_warc_files, run_reports
from run_command import crawl_argv, crawl_settings, gpscrape, newest_report, output_of

from gpscrape import exit_codes
from gpscrape.archive import WarcWriter, iter_responses
from gpscrape.archive.reader import run_id_of
from gpscrape.archive.writer import Exchange
from gpscrape.dataset.read import read_frame
from gpscrape.incremental.resume import recover
from gpscrape.mirror import MirrorServer, MirrorSite
from gpscrape.mirror.urls import parse_target
from gpscrape.urls import record_no_of

SETTINGS = crawl_settings(CONCURRENT_REQUESTS_PER_DOMAIN=2, GPSCRAPE_PROBE_MISSES=5)


def argv(server: MirrorServer, output: Path, seed: int) -> list[str]:
    return crawl_argv(server.base_url, output, "--seed", str(seed), *SETTINGS)


def archived_articles(output: Path) -> set[int]:
    return {record_no_of(r.url) for r in iter_responses(output / "warc", with_body=False)
            if r.status == 200 and record_no_of(r.url) is not None}


def answered_articles(server: MirrorServer) -> set[int]:
    """The article pages the mirror has answered with 200."""
    return {r.record_no for r in server.requests
            if r.status == 200 and r.record_no is not None and parse_target(r.target).is_article}


@pytest.mark.parametrize("kill_at", [
    15, pytest.param(3, marks=pytest.mark.long), pytest.param(35, marks=pytest.mark.long)])
def test_killed_crawl_resumes_without_losing_or_refetching(tmp_path, kill_at) -> None:
    site = MirrorSite.generate(records=40, seed=41, index_pages=False)
    output = tmp_path / "out"
    newest = site.record_nos()[-1]
    with HoldingMirror(site) as server:
        kill_while_fetching(argv(server, output, newest), server, article=kill_at + 1,
                            ready=lambda: answered_articles(server) <= archived_articles(output))
        answered = answered_articles(server)
    assert open_warc_files(output) and not run_reports(output)  # killed mid-run
    archived = archived_articles(output)
    assert archived == answered and archived and not set(site.record_nos()) <= archived
    with MirrorServer(site) as server:
        done = gpscrape(*argv(server, output, newest))
        refetched = Counter(n for n, _ in server.article_requests())
    assert done.returncode == exit_codes.OK, output_of(done)
    articles = read_frame(output, "articles")
    assert sorted(articles["record_no"]) == site.record_nos()  # complete, each once
    assert not archived & set(refetched)
    assert max(refetched.values()) == 1
    report = newest_report(output)
    assert report["counts"]["recovered"] == len(archived)
    assert not list((output / "warc").glob("*.open"))


def _archive_page(warc: Path, run_id: str, site: MirrorSite, record_no: int) -> None:
    base = "http://127.0.0.1:9/"
    url = site.article_urls(record_no, base)[0]
    with WarcWriter(warc, run_id) as writer:
        writer.write(Exchange(url, "GET", [], b"", 200, [], site.render(record_no, base).encode(),
                              datetime.now(UTC)))


def test_only_runs_without_a_report_are_recovered(tmp_path) -> None:
    site = MirrorSite.generate(records=3, seed=3)
    first, second, _ = site.record_nos()
    output = tmp_path / "out"
    _archive_page(output / "warc", "20260101T000000Z-aaaaaa", site, first)  # a finished run
    (output / "runs").mkdir(parents=True)
    (output / "runs" / "20260101T000000Z-aaaaaa.json").write_text("{}")
    _archive_page(output / "warc", "20260102T000000Z-bbbbbb", site, second)  # killed
    assert [run_id_of(p) for p in sorted((output / "warc").glob("*.warc.gz"))] == [
        "20260101T000000Z-aaaaaa", "20260102T000000Z-bbbbbb"]
    assert recover(output, output / "warc").records == 1
    assert list(read_frame(output, "articles")["record_no"]) == [second]
    assert recover(output, output / "warc").records == 0  # already published
