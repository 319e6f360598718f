"""Resume: a crawl killed with SIGKILL mid-way and started again finishes the job: every
record once in the dataset, and no article page that reached the archive fetched again."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from gpscrape import exit_codes
from gpscrape.archive import iter_responses
from gpscrape.dataset import read_frame
from gpscrape.mirror import MirrorServer, MirrorSite
from gpscrape.urls import record_no_of

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING",
            "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "GPSCRAPE_SEEDS=",
            "-s", "GPSCRAPE_PROBE_MISSES=5"]


def crawl_argv(server: MirrorServer, output: Path, seed: int) -> list[str]:
    return [sys.executable, "-m", "gpscrape", "crawl", "--base-url", server.base_url,
            "--output", str(output), "--seed", str(seed), *SETTINGS]


def archived_articles(output: Path) -> set[int]:
    return {record_no_of(r.url) for r in iter_responses(output / "warc", with_body=False)
            if r.status == 200 and record_no_of(r.url) is not None}


def kill_after(argv: list[str], server: MirrorServer, requests: int) -> None:
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while len(server.article_requests()) < requests and time.monotonic() < deadline:
        assert process.poll() is None, "the crawl ended before it could be killed"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL


@pytest.mark.parametrize("kill_at", [
    15, pytest.param(3, marks=pytest.mark.long), pytest.param(35, marks=pytest.mark.long)])
def test_killed_crawl_resumes_without_losing_or_refetching(tmp_path, kill_at) -> None:
    site = MirrorSite.generate(records=40, seed=41, index_pages=False)
    output = tmp_path / "out"
    newest = site.record_nos()[-1]
    with MirrorServer(site, latency=0.1) as server:
        kill_after(crawl_argv(server, output, newest), server, requests=kill_at)
    archived = archived_articles(output)
    assert archived and not set(site.record_nos()) <= archived  # killed mid-way
    with MirrorServer(site) as server:
        done = subprocess.run(crawl_argv(server, output, newest), cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        refetched = Counter(n for n, _ in server.article_requests())
    assert done.returncode == exit_codes.OK, done.stdout + done.stderr
    articles = read_frame(output, "articles")
    assert sorted(articles["record_no"]) == site.record_nos()  # complete, each once
    assert not archived & set(refetched)
    assert max(refetched.values()) == 1
    report = json.loads(max((output / "runs").glob("*.json")).read_text())
    assert report["counts"]["recovered"] == len(archived)
    assert not list((output / "warc").glob("*.open"))


def _archive_page(warc: Path, run_id: str, site: MirrorSite, record_no: int) -> None:
    from datetime import UTC, datetime

    from gpscrape.archive import WarcWriter
    from gpscrape.archive.writer import Exchange

    base = "http://127.0.0.1:9/"
    url = site.article_urls(record_no, base)[0]
    with WarcWriter(warc, run_id) as writer:
        writer.write(Exchange(url, "GET", [], b"", 200, [], site.render(record_no, base).encode(),
                              datetime.now(UTC)))


def test_only_runs_without_a_report_are_recovered(tmp_path) -> None:
    from gpscrape.archive.reader import run_id_of
    from gpscrape.incremental.resume import recover

    site = MirrorSite.generate(records=3, seed=3)
    first, second, _ = site.record_nos()
    output = tmp_path / "out"
    _archive_page(output / "warc", "20260101T000000Z-aaaaaa", site, first)  # a finished run
    (output / "runs").mkdir(parents=True)
    (output / "runs" / "20260101T000000Z-aaaaaa.json").write_text("{}")
    _archive_page(output / "warc", "20260102T000000Z-bbbbbb", site, second)  # killed
    assert [run_id_of(p) for p in sorted((output / "warc").iterdir())] == [
        "20260101T000000Z-aaaaaa", "20260102T000000Z-bbbbbb"]
    assert recover(output, output / "warc").records == 1
    assert list(read_frame(output, "articles")["record_no"]) == [second]
    assert recover(output, output / "warc").records == 0  # already published
