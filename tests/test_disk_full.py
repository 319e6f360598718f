"""A full disk: the crawl stops at the first `No space left on device` with one message naming
the folder, exits with BAD_INPUT, publishes nothing (the published dataset is intact) and the
next run recovers what was archived. Items log as their record number and URL only."""

from __future__ import annotations

import errno
import logging
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from run_command import crawl_argv, crawl_settings, gpscrape
from scrapy.utils.test import get_crawler

from gpscrape import exit_codes
from gpscrape.archive import iter_responses
from gpscrape.dataset.layout import current_version
from gpscrape.dataset.read import read_frame
from gpscrape.dataset.writer import DatasetWriter
from gpscrape.disk_full import DISK_FULL_STAT
from gpscrape.extract.record import PageRecord, Section, Topic
from gpscrape.incremental.resume import recover
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.mirror import MirrorServer, MirrorSite
from gpscrape.urls import is_article_url, record_no_of
from pipelines.chain import process
from pipelines.parquet import ParquetPipeline

FAST = crawl_settings(GPSCRAPE_PROBE_MISSES=3)
WRITES_BEFORE_FULL = 8
IN_FLIGHT = 16  # CONCURRENT_REQUESTS: requests the downloader had taken on
# `gpscrape crawl` whose WARC writer finds the disk full after a few responses, an article page
# served with 200 among them (which pages come first depends on the order the crawl takes; a
# probe's 404 or a redirect gives no record to recover).
FULL_WARC = f"""
import errno, sys
from gpscrape.archive import writer
from gpscrape.urls import is_article_url, record_no_of
original, calls = writer.WarcWriter.write, []
def write(self, exchange):
    calls.append((exchange.url, exchange.status))
    articles = [url for url, status in calls[:-1]
                if status == 200 and is_article_url(url) and record_no_of(url)]
    if len(calls) > {WRITES_BEFORE_FULL} and articles:
        raise OSError(errno.ENOSPC, "No space left on device")
    original(self, exchange)
writer.WarcWriter.write = write
from gpscrape.cli import main
sys.exit(main(sys.argv[1:]))
"""


def crawl(server: MirrorServer, output: Path, script: str | None = None
          ) -> subprocess.CompletedProcess:
    return gpscrape(*crawl_argv(server.base_url, output, *FAST), script=script)


def test_a_full_disk_stops_the_crawl_with_one_message_and_the_next_run_recovers(tmp_path):
    site = MirrorSite.generate(records=60, seed=61)
    output = tmp_path / "out"
    published = process([page_item(1), page_item(2)], output).version
    with MirrorServer(site) as server:
        full = crawl(server, output, FULL_WARC)
        requests_when_full = server.count()
    assert full.returncode == exit_codes.BAD_INPUT, full.stdout + full.stderr
    errors = [line for line in full.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, full.stderr
    assert "No space left on device" in errors[0] and str(output / "warc") in errors[0]
    assert "published dataset" in errors[0] and "intact" in errors[0]
    assert "Error processing" not in full.stderr and len(full.stderr) < 2000
    written = list(iter_responses(output / "warc", with_body=False))
    # It stopped fetching: robots.txt, the writes and what the downloader held (twice that, as
    # room for the moment the spider takes to close), not the site.
    assert requests_when_full <= 1 + len(written) + 2 * IN_FLIGHT < len(site.record_nos())
    assert current_version(output) == published
    assert "(disk_full)" in full.stdout
    archived = {n for r in written
                if r.status == 200 and (n := record_no_of(r.url)) is not None
                and is_article_url(r.url)}
    assert archived  # the next run (here its first step) publishes what was archived
    assert recover(output, output / "warc").records == len(archived)
    assert set(read_frame(output, "articles")["record_no"]) == {1, 2, *archived}


def page_item(record_no: int) -> PageItem:
    """A published-size page item of `record_no` (about 5 KB of text)."""
    url = f"https://globalpolitics.in/view_cir_articles.php?recordNo={record_no}"
    topic = Topic(title="A title", sections=[Section(None, "other", "Some text. " * 500)])
    record = PageRecord(record_no=record_no, cwa_no=None, url=url, title="A title",
                        topics=[topic], body_text="Some text. " * 500)
    return PageItem(record, datetime.now(UTC), "a" * 64, "test")


def test_the_parquet_pipeline_stops_at_the_first_full_write(tmp_path, monkeypatch, caplog):
    output = tmp_path / "out"
    crawler = get_crawler(settings_dict={"GPSCRAPE_OUTPUT": str(output)})
    pipeline = ParquetPipeline.from_crawler(crawler)
    pipeline.open_spider()
    calls = []

    def full(self: DatasetWriter, item: PageItem) -> None:
        calls.append(item)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(DatasetWriter, "add", full)
    with caplog.at_level(logging.INFO):
        for record_no in (1, 2, 3):
            pipeline.process_item(page_item(record_no))
        pipeline.close_spider()
    assert len(calls) == 1  # nothing is written after the first failure
    assert crawler.stats.get_value(DISK_FULL_STAT) == str(output)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and str(output) in errors[0].getMessage()
    assert current_version(output) is None  # nothing published
    assert not (output / ".staging").exists()


def test_other_write_errors_still_raise(tmp_path, monkeypatch):
    crawler = get_crawler(settings_dict={"GPSCRAPE_OUTPUT": str(tmp_path / "out")})
    pipeline = ParquetPipeline.from_crawler(crawler)
    pipeline.open_spider()

    def denied(self: DatasetWriter, item: PageItem) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(DatasetWriter, "add", denied)
    try:
        with pytest.raises(PermissionError):
            pipeline.process_item(page_item(1))
    finally:
        pipeline.writer.close()
    assert crawler.stats.get_value(DISK_FULL_STAT) is None


def test_an_items_repr_is_its_record_number_and_url():
    item = page_item(1684)
    assert repr(item) == ("PageItem(record_no=1684, "
                          "url='https://globalpolitics.in/view_cir_articles.php?recordNo=1684')")
    quarantined = QuarantineItem("https://globalpolitics.in/x.php?recordNo=7", "why " * 500,
                                 datetime.now(UTC), 7)
    assert len(repr(quarantined)) < 100


@pytest.mark.long
def test_a_crawl_into_a_tiny_filesystem(tmp_path):
    """A real 1 MB tmpfs (needs root; skipped elsewhere)."""
    volume = tmp_path / "volume"
    volume.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(volume)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        site = MirrorSite.generate(records=400, seed=62)
        output = volume / "out"
        with MirrorServer(site) as server:
            full = crawl(server, output)
            fetched = server.count()
        assert full.returncode == exit_codes.BAD_INPUT, full.stdout + full.stderr
        errors = [line for line in full.stderr.splitlines() if "ERROR" in line]
        assert len(errors) == 1 and str(output) in errors[0], full.stderr
        assert fetched < len(site.record_nos())
    finally:
        subprocess.run(["umount", str(volume)], check=False)
