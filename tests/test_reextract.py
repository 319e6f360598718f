"""`gpscrape reextract`: the tables rebuilt from a crawl's WARC files alone, with the mirror
stopped, equal the crawl's own; the latest response per record wins; a report is written."""

from __future__ import annotations

import io
import json
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

from run_command import crawl_argv, crawl_settings, gpscrape, in_process, output_of

from gpscrape import exit_codes
from gpscrape.archive import WarcWriter
from gpscrape.archive.writer import Exchange
from gpscrape.dataset.read import read_frame
from gpscrape.mirror import MirrorServer, MirrorSite
from gpscrape.progress import Progress
from gpscrape.schema import TABLES

FAST = crawl_settings(CONCURRENT_REQUESTS_PER_DOMAIN=8)
BASE = "http://127.0.0.1:9/"


def frames_without_fetch_time(output: Path) -> dict:
    frames = {}
    for name in TABLES:
        frame = read_frame(output, name)
        times = ("fetched_at", "first_seen_at", "last_seen_at", "changed_at")
        frames[name] = frame.drop(columns=[c for c in times if c in frame.columns])
    return frames


def test_rebuild_from_archive_equals_the_crawl(tmp_path) -> None:
    site = MirrorSite.generate(records=40, seed=11, missing_rate=0.05)
    crawl_out = tmp_path / "crawl"
    with MirrorServer(site) as server:
        done = gpscrape(*crawl_argv(server.base_url, crawl_out, *FAST))
    assert done.returncode == exit_codes.OK, output_of(done)
    rebuilt = tmp_path / "rebuilt"
    done = gpscrape("reextract", "--warc", str(crawl_out / "warc"), "--output", str(rebuilt))
    assert done.returncode == exit_codes.OK, done.stdout + done.stderr
    want, got = frames_without_fetch_time(crawl_out), frames_without_fetch_time(rebuilt)
    assert len(want["articles"]) == len(site.record_nos())
    for name in TABLES:
        assert got[name].equals(want[name]), name
    [report] = (rebuilt / "runs").glob("*.json")
    data = json.loads(report.read_text())
    assert data["command"] == "reextract" and data["passed"]
    assert data["counts"]["records"] == len(site.record_nos())
    assert "records" in done.stdout and "coverage:title" in done.stdout


def _write(directory: Path, run_id: str, url: str, body: bytes, date: datetime) -> None:
    with WarcWriter(directory, run_id) as writer:
        writer.write(Exchange(url, "GET", [], b"", 200, [("Content-Type", "text/html")], body,
                              date))


def test_latest_response_by_warc_date_wins_whatever_the_file_order(tmp_path) -> None:
    site = MirrorSite.generate(records=3, seed=2)
    first, second, _ = site.record_nos()
    url = site.article_urls(first, BASE)[0]
    old, new = (site.render(n, BASE).encode() for n in (first, second))  # two versions of one page
    now = datetime.now(UTC)
    warc = tmp_path / "warc"
    _write(warc, "a-new", url, new, now)  # written first, dated later
    _write(warc, "b-old", url, old, now - timedelta(days=1))
    done = gpscrape("reextract", "--warc", str(warc), "--output", str(tmp_path / "out"))
    assert done.returncode == exit_codes.OK, done.stdout + done.stderr
    articles = read_frame(tmp_path / "out", "articles")
    assert list(articles["record_no"]) == [first]
    assert articles["title"][0] == site.expected(second, BASE).title
    assert articles["fetched_at"][0].to_pydatetime() == now


def test_broken_archived_page_is_quarantined_and_fails_the_check(tmp_path) -> None:
    warc = tmp_path / "warc"
    _write(warc, "a", BASE + "view_cir_articles.php?recordNo=5", b"\x00\x01binary", datetime.now(UTC))
    done = gpscrape("reextract", "--warc", str(warc), "--output", str(tmp_path / "out"))
    assert done.returncode == exit_codes.CHECKS_FAILED
    quarantine = read_frame(tmp_path / "out", "quarantine")
    assert list(quarantine["record_no"]) == [5]
    [report] = (tmp_path / "out" / "runs").glob("*.json")
    data = json.loads(report.read_text())
    assert data["failed_checks"] == ["quarantined"]
    assert data["errors"][0]["url"].endswith("recordNo=5") and data["errors"][0]["reason"]
    assert "FAIL quarantined" in done.stdout
    allowed = gpscrape("reextract", "--warc", str(warc), "--output", str(tmp_path / "out2"),
                       "--max-quarantined", "1")
    assert allowed.returncode == exit_codes.OK, allowed.stdout


def test_missing_archive_is_bad_input(tmp_path) -> None:
    done = in_process("reextract", "--output", str(tmp_path))
    assert done.returncode == exit_codes.BAD_INPUT
    assert "no WARC folder" in done.stderr


def test_progress_logs_rate_and_eta_when_not_on_a_terminal(caplog) -> None:
    caplog.set_level(logging.INFO, logger="gpscrape.progress")
    with Progress("reextract", total=4, stream=io.StringIO(), interval=0.0) as progress:
        progress.update()
        progress.update(3)
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith("reextract: 1/4 pages (25.0%)") and "ETA" in lines[0]
    assert lines[-1].startswith("reextract: 4/4 pages (100.0%)") and lines[-1].endswith("(done)")
    assert "pages/s" in lines[-1]


def test_reextract_into_an_unwritable_output_is_bad_input(tmp_path):
    warc = tmp_path / "warc"
    warc.mkdir()
    output = tmp_path / "not-a-folder"
    output.write_text("a file where the output folder should be")
    done = in_process("reextract", "--warc", str(warc), "--output", str(output))
    assert done.returncode == exit_codes.BAD_INPUT, done.stdout + done.stderr
    assert "cannot write" in done.stderr or "not a folder" in done.stderr.lower()
