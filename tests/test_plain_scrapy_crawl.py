"""A plain `scrapy crawl gp -O feed.jsonl` run: its feed rows look like `gpscrape extract`'s
records plus the fetch fields; its `fetched_at` is the archived WARC-Date, which a rebuild
gives back; and its archive (no run report) is read by the next start once, not every time."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
from dataclasses import fields
from datetime import datetime
from pathlib import Path

import pytest
from run_command import ROOT, crawl_settings

from gpscrape.archive import iter_responses
from gpscrape.commands.reextract import rebuild
from gpscrape.dataset.read import read_frame
from gpscrape.extract import extract_page
from gpscrape.extract.record import PageRecord
from gpscrape.incremental.resume import recover
from gpscrape.items import FETCH_FIELDS
from gpscrape.mirror import MirrorServer, MirrorSite
from gpscrape.run_report import Thresholds

RECORD_FIELDS = {f.name for f in fields(PageRecord)}


@pytest.fixture(scope="module")
def plain_run(tmp_path_factory) -> Path:
    """The output folder of a plain Scrapy run over a small mirror; its feed is `feed.jsonl`."""
    output = tmp_path_factory.mktemp("plain") / "out"
    site = MirrorSite.generate(records=10, seed=71)
    with MirrorServer(site) as server:
        done = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "gp", "-a", f"base_url={server.base_url}",
             "-O", str(output / "feed.jsonl"),
             *crawl_settings(GPSCRAPE_OUTPUT=output, GPSCRAPE_PROBE_MISSES=2)],
            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return output


def feed(output: Path) -> list[dict]:
    return [json.loads(line) for line in (output / "feed.jsonl").read_text().splitlines()]


def archived(output: Path) -> dict[str, object]:
    """URL -> the archived 200 response (each page is fetched once in this run)."""
    return {r.url: r for r in iter_responses(output / "warc") if r.status == 200}


def test_a_feed_row_is_the_extracted_record_plus_the_fetch_fields(plain_run):
    rows = feed(plain_run)
    responses = archived(plain_run)
    assert rows and not RECORD_FIELDS & set(FETCH_FIELDS)
    for row in rows:
        assert set(row) == RECORD_FIELDS | set(FETCH_FIELDS), row.get("url")
        response = responses[row["url"]]
        record = {k: v for k, v in row.items() if k not in FETCH_FIELDS}
        # What `gpscrape extract` prints for the same page (before normalisation, as yielded).
        assert record == extract_page(response.body, response.url).to_dict()
        assert row["etag"] == response.header("ETag")


def test_fetched_at_is_the_warc_date_in_the_crawl_and_in_a_rebuild(plain_run, tmp_path):
    responses = archived(plain_run)
    rows = feed(plain_run)
    for row in rows:
        assert datetime.fromisoformat(row["fetched_at"]) == responses[row["url"]].date
    crawled = read_frame(plain_run, "articles").set_index("record_no")["fetched_at"]
    assert len(crawled) == sum(1 for row in rows if row["record_no"] is not None)
    rebuilt_output = tmp_path / "rebuilt"
    rebuild(plain_run / "warc", rebuilt_output, Thresholds())
    rebuilt = read_frame(rebuilt_output, "articles").set_index("record_no")["fetched_at"]
    assert rebuilt.sort_index().equals(crawled.sort_index())


def test_the_archive_of_a_plain_run_is_read_once(plain_run, tmp_path, caplog):
    output = tmp_path / "copy"
    shutil.copytree(plain_run, output, symlinks=True)
    with caplog.at_level(logging.INFO, logger="gpscrape.incremental.resume"):
        first = recover(output, output / "warc")
        second = recover(output, output / "warc")
    assert (first.files, first.records) == (1, 0)  # read, nothing missing from the dataset
    assert second.files == 0
    reads = [r.getMessage() for r in caplog.records if "WARC files" in r.getMessage()]
    assert reads == ["reading 1 WARC files of runs that did not finish"]
    assert len(list((output / "runs").glob("*.recovered"))) == 1
