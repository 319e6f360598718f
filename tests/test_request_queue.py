"""The crawl's pending requests wait on disk (Scrapy's JOBDIR queues), in a folder of its own,
with no dupefilter: the spider requests each record and page once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from run_command import crawl_argv, crawl_settings, gpscrape, output_of
from scrapy import Request
from scrapy.utils.test import get_crawler

from gpscrape import exit_codes
from gpscrape.config import command_settings
from gpscrape.dataset.layout import current_version
from gpscrape.mirror import MirrorServer, MirrorSite
from gpscrape.request_queue import NO_DUPEFILTER, QUEUE_DIR, DiskQueue, use_own_queue
from gpscrape.spiders.gp import GpSpider

# Scrapy's stats are logged at INFO; every request goes through the disk.
LOGGED = crawl_settings(LOG_LEVEL="INFO", GPSCRAPE_QUEUE_IN_MEMORY=0)
PUSHES_BEFORE_FULL = 10
# `gpscrape crawl` whose disk fills up once the queue holds a few requests.
FULL_QUEUE = f"""
import errno, sys
from queuelib import queue

original, pushes = queue.LifoDiskQueue.push, []
def push(self, data):
    pushes.append(data)
    if len(pushes) > {PUSHES_BEFORE_FULL}:
        raise OSError(errno.ENOSPC, "No space left on device")
    original(self, data)
queue.LifoDiskQueue.push = push
from gpscrape.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def server():
    with MirrorServer(MirrorSite.generate(records=12, seed=5)) as running:
        yield running


def stat(log: str, name: str) -> int:
    """A count from the stats Scrapy logs when the crawl closes (0 when absent)."""
    found = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(found.group(1)) if found else 0


def test_every_request_waits_on_disk_and_the_queue_is_removed_after(server, tmp_path: Path):
    output = tmp_path / "out"
    stale = output / QUEUE_DIR / "20260101T000000.000000Z-killed" / "requests.queue"
    stale.mkdir(parents=True)  # left by a killed crawl
    server.clear_log()
    done = gpscrape(*crawl_argv(server.base_url, output, *LOGGED), timeout=300)
    assert done.returncode == 0, output_of(done)
    fetched = [r.target for r in server.requests if r.status == 200]
    assert len(fetched) == len(set(fetched))  # with no dupefilter: the spider's seen-sets
    enqueued = stat(done.stderr, "scheduler/enqueued")
    assert enqueued >= len(server.site.record_nos())
    assert stat(done.stderr, "scheduler/enqueued/disk") == enqueued
    assert stat(done.stderr, "scheduler/enqueued/memory") == 0
    assert not (output / QUEUE_DIR).exists()


def test_a_jobdir_the_user_sets_is_used_and_kept(server, tmp_path: Path):
    output, job = tmp_path / "out", tmp_path / "job"
    done = gpscrape(*crawl_argv(server.base_url, output, *LOGGED, "-s", f"JOBDIR={job}"),
                    timeout=300)
    assert done.returncode == 0, output_of(done)
    assert stat(done.stderr, "scheduler/enqueued/disk") > 0
    assert (job / "requests.seen").stat().st_size > 0
    assert not (output / QUEUE_DIR).exists()


def test_a_crawl_with_its_own_queue_leaves_duplicates_to_the_spider(tmp_path: Path):
    own = command_settings()
    assert use_own_queue(own, tmp_path, "run") == tmp_path / QUEUE_DIR / "run"
    assert own["DUPEFILTER_CLASS"] == NO_DUPEFILTER
    chosen = command_settings([("DUPEFILTER_CLASS", "scrapy.dupefilters.RFPDupeFilter")])
    use_own_queue(chosen, tmp_path, "run")
    assert chosen["DUPEFILTER_CLASS"] == "scrapy.dupefilters.RFPDupeFilter"
    resumable = command_settings([("JOBDIR", str(tmp_path / "job"))])
    assert use_own_queue(resumable, tmp_path, "run") is None
    assert resumable["DUPEFILTER_CLASS"] == "scrapy.dupefilters.RFPDupeFilter"  # Scrapy's


def test_a_full_disk_under_the_queue_stops_the_crawl_with_one_message(server, tmp_path: Path):
    output = tmp_path / "out"
    done = gpscrape(*crawl_argv(server.base_url, output,
                                *crawl_settings(GPSCRAPE_QUEUE_IN_MEMORY=0)), script=FULL_QUEUE,
                    timeout=300)
    assert done.returncode == exit_codes.BAD_INPUT, output_of(done)
    errors = [line for line in done.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, done.stderr
    assert "No space left on device" in errors[0] and str(output / QUEUE_DIR) in errors[0]
    assert "Traceback" not in done.stderr
    assert current_version(output) is None  # nothing published
    assert not (output / QUEUE_DIR).exists()


def test_the_queue_names_the_spiders_methods_as_scrapy_does(tmp_path: Path):
    crawler = get_crawler(GpSpider, {"GPSCRAPE_QUEUE_IN_MEMORY": 0})
    crawler.spider = GpSpider.from_crawler(crawler, base_url="http://127.0.0.1:1/")
    spider = crawler.spider
    queue = DiskQueue(crawler, str(tmp_path / "queue"))
    request = Request("http://127.0.0.1:1/view_cir_articles.php?recordNo=5",
                      callback=spider.parse, errback=spider.on_error, meta={"depth": 2},
                      headers={"Referer": "http://127.0.0.1:1/"})
    assert queue._as_dict(request) == request.to_dict(spider=spider)
    assert request.callback == spider.parse and request.errback == spider.on_error
    queue.push(request)
    back = queue.pop()
    assert (back.url, back.callback, back.errback, back.meta) == (
        request.url, spider.parse, spider.on_error, {"depth": 2})
    with pytest.raises(ValueError, match="not a method of the spider"):
        queue.push(Request("http://127.0.0.1:1/", callback=lambda response: None))
    queue.close()
