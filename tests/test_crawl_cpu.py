"""What keeps the crawl's reactor lean: the garbage collector tuned while the engine runs (and
put back after), records checked by the extraction worker passing the normalise and validate
pipelines as they are and their content version, hashed by the worker, taken by the dataset's
history as it is, a page's links made absolute and unique wherever it was read, no page
decoded to look for a meta refresh its bytes rule out, and the newest queued requests waiting in
memory rather than on disk, in the disk queue's order (who reads a page when extraction workers
run: test_extract_worker_share.py)."""

from __future__ import annotations

import gc
import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from scrapy import Request, signals
from scrapy.utils.test import get_crawler

from gpscrape.collector import GEN0_THRESHOLD
from gpscrape.commands.fixtures import load_cases
from gpscrape.content_version import Version, version_of
from gpscrape.dataset import DatasetWriter
from gpscrape.extract import EXTRACTOR_VERSION, PageRecord, extract_page
from gpscrape.extract.response import link_urls
from gpscrape.extract_worker import decode_judged, encode_judged
from gpscrape.garbage import CrawlGarbageCollection
from gpscrape.items import CheckedPageItem, PageItem
from gpscrape.middlewares import may_refresh
from gpscrape.outcome import RECORD, Verdict
from gpscrape.request_queue import DiskQueue
from gpscrape.spiders.gp import GpSpider
from pipelines.normalise import NormalisePipeline
from pipelines.validate import ValidatePipeline

CASES = load_cases(Path(__file__).parent / "fixtures" / "pages")


def test_the_collector_is_tuned_while_the_engine_runs_and_put_back_after() -> None:
    before = gc.get_threshold()
    crawler = get_crawler(GpSpider, {"GPSCRAPE_SEEDS": []})
    extension = CrawlGarbageCollection.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.engine_started)
    try:
        assert gc.get_threshold()[0] == GEN0_THRESHOLD
        assert gc.get_freeze_count() > 0
    finally:
        crawler.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    extension.engine_stopped()  # a second stop changes nothing
    assert gc.get_threshold() == before


def _item(cls: type[PageItem], title: str) -> PageItem:
    case = next(c for c in CASES if extract_page(c.page_path.read_bytes(), c.url).title)
    record = replace(extract_page(case.page_path.read_bytes(), case.url), title=title)
    return cls(record, datetime.now(UTC), "0" * 64, EXTRACTOR_VERSION)


def test_a_checked_item_passes_the_normalise_and_validate_pipelines_as_it_is() -> None:
    normalise, validate = NormalisePipeline(), ValidatePipeline()
    checked = _item(CheckedPageItem, "  Two  spaces ")
    assert validate.process_item(normalise.process_item(checked)) is checked
    plain = _item(PageItem, "  Two  spaces ")
    assert normalise.process_item(plain).record.title == "Two spaces"


def test_links_are_made_absolute_once_each_in_order_with_the_listing_after() -> None:
    case = next(c for c in CASES if extract_page(c.page_path.read_bytes(), c.url).listing)
    record = extract_page(case.page_path.read_bytes(), case.url)
    page = "http://127.0.0.1:8000/sub/view_cir_articles.php?recordNo=7"
    hrefs = [" /a.php?x=1 ", "b.php", "#top", "javascript:void(0)", "mailto:x@y.z", "",
             "http://127.0.0.1:8000/a.php?x=1", "//other.example/c", "https://h.example/d"]
    found = link_urls(page, hrefs, record)
    assert found[:4] == ["http://127.0.0.1:8000/a.php?x=1", "http://127.0.0.1:8000/sub/b.php",
                         "http://other.example/c", "https://h.example/d"]
    listed = list(dict.fromkeys(e.url for e in record.listing if e.url))
    assert found[4:] == [url for url in listed if url not in found[:4]]
    assert len(found) == len(set(found))


def test_a_page_is_decoded_to_look_for_a_meta_refresh_only_when_its_bytes_allow_one() -> None:
    refresh = '<html><head><META HTTP-EQUIV="Refresh" content="0; url=/x"></head></html>'
    assert may_refresh(refresh.encode())
    assert may_refresh(refresh.encode("utf-16"))
    assert may_refresh(refresh.encode("utf-32-le"))
    plain = CASES[0].page_path.read_bytes()
    assert not may_refresh(plain)
    assert may_refresh(plain[:1000] + b"<meta http-equiv=refresh content='1;url=/y'>")


def test_an_answer_whose_record_has_odd_types_is_read_back_as_from_dict_reads_it() -> None:
    record = replace(_item(PageItem, "t").record, title=12, cwa_no="63")
    verdict, links, digest, version = decode_judged(
        encode_judged((Verdict(RECORD, record=record), ["http://h/a"], "0" * 64, None)))
    assert verdict.record == PageRecord.from_dict(json.loads(json.dumps(record.to_dict())))
    assert verdict.record.title == 12 and verdict.record.cwa_no == "63" and version is None and links == ["http://h/a"]


def test_a_checked_answer_brings_back_its_records_content_version() -> None:
    record = _item(PageItem, "A title").record
    answer = (Verdict(RECORD, record=record), [], "0" * 64, version_of(record))
    verdict, _, _, version = decode_judged(encode_judged(answer))
    assert verdict.record == record
    assert version == version_of(record) and isinstance(version.digests, tuple)


def test_the_history_takes_a_checked_items_version_as_it_is(tmp_path: Path) -> None:
    """The writer hashes an unchecked item's record itself, never a checked one's: the
    worker's version is the one the revisions row carries."""
    unchecked, checked = _item(PageItem, "One title"), _item(CheckedPageItem, "One title")
    hashed = Version("f" * 64, ("title:" + "f" * 16,))
    checked = replace(checked, record=replace(checked.record, record_no=2), version=hashed)
    with DatasetWriter(tmp_path) as writer:
        writer.add(replace(unchecked, record=replace(unchecked.record, record_no=1)))
        writer.add(checked)
        writer.publish()
    rows = {row["record_no"]: row for row in pq.read_table(tmp_path / "revisions").to_pylist()}
    assert rows[1]["record_sha256"] == version_of(unchecked.record).sha256 != hashed.sha256
    assert rows[2]["record_sha256"] == hashed.sha256
    assert rows[2]["field_digests"] == list(hashed.digests)


def _queue(tmp_path: Path, keep: int) -> tuple[DiskQueue, GpSpider]:
    crawler = get_crawler(GpSpider, {"GPSCRAPE_QUEUE_IN_MEMORY": keep})
    crawler.spider = GpSpider.from_crawler(crawler, base_url="http://127.0.0.1:1/")
    return DiskQueue(crawler, str(tmp_path / "queue")), crawler.spider


def test_the_newest_requests_wait_in_memory_in_the_disk_queues_order(tmp_path: Path) -> None:
    queue, spider = _queue(tmp_path / "mixed", 3)
    urls = [f"http://127.0.0.1:1/view_cir_articles.php?recordNo={n}" for n in range(10)]
    for url in urls[:6]:
        queue.push(Request(url, callback=spider.parse, errback=spider.on_error))
    assert len(queue) == 6 and queue.peek().url == urls[5]
    popped = [queue.pop().url for _ in range(4)]
    for url in urls[6:]:
        queue.push(Request(url, callback=spider.parse, errback=spider.on_error))
    popped += [request.url for request in iter(queue.pop, None)]
    assert popped == [*urls[5:1:-1], *urls[:5:-1], *urls[1::-1]]  # last in, first out
    assert queue.pop() is None and len(queue) == 0
    with pytest.raises(ValueError, match="not a method of the spider"):
        queue.push(Request(urls[0], callback=lambda response: None))
    assert len(queue) == 0
    queue.close()


def test_closing_the_queue_moves_the_requests_in_memory_to_disk(tmp_path: Path) -> None:
    queue, spider = _queue(tmp_path, 2)
    urls = [f"http://127.0.0.1:1/view_cir_articles.php?recordNo={n}" for n in range(5)]
    for url in urls:
        queue.push(Request(url, callback=spider.parse))
    queue.close()
    again, _ = _queue(tmp_path, 0)  # the same file, as Scrapy reopens a JOBDIR's queue
    assert [request.url for request in iter(again.pop, None)] == urls[::-1]
    again.close()
