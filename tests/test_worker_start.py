"""When the extraction workers start and end, and who reads the crawl's first and last pages.

The workers start with the crawl (`GpSpider.start`), so that their imports overlap robots.txt
and the first pages: the crawl reads the first `GPSCRAPE_EXTRACT_WORKERS_FROM` pages itself
meanwhile, later ones wait for a worker; a crawl that ends before its worker is ready kills it
at once (it holds no page). Once no request waits to be fetched, a worker holding
`FINAL_BACKLOG` pages leaves the next to the crawl's process; at idle the workers end while
the crawl closes."""

from __future__ import annotations

import asyncio
import inspect
import logging
import signal
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy import Request, signals
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from gpscrape.commands.fixtures import load_cases
from gpscrape.extract import extract_page
from gpscrape.extract_pool import FINAL_BACKLOG, ExtractPool
from gpscrape.items import CheckedPageItem, PageItem
from gpscrape.spiders.gp import WORKER_PAGES, GpSpider

CASES = [case for case in load_cases(Path(__file__).parent / "fixtures" / "pages")
         if extract_page(case.page_path.read_bytes(), case.url).title]


def _page(number: int) -> HtmlResponse:
    case = CASES[number % len(CASES)]
    return HtmlResponse(case.url, body=case.page_path.read_bytes(), request=Request(case.url))


def _page_items(items: Any) -> list[PageItem]:
    return [item for item in items if isinstance(item, PageItem)]


def test_the_workers_start_with_the_crawl_while_it_reads_its_first_pages() -> None:
    async def scenario() -> None:
        crawler = get_crawler(GpSpider, {
            "GPSCRAPE_SEEDS": [], "GPSCRAPE_START_PATHS": [], "GPSCRAPE_EXTRACT_WORKERS": 1,
            "GPSCRAPE_EXTRACT_WORKERS_FROM": 2})
        spider = GpSpider.from_crawler(crawler, base_url="http://127.0.0.1:8000/")
        requests = [request async for request in spider.start()]
        pool = spider._extract_pool
        try:
            assert len(requests) == 1 and pool is not None
            assert pool.starting and not pool.ready  # launched before the first request
            first = [spider.parse(_page(n)) for n in (0, 1)]  # read here, at once
            assert not any(inspect.iscoroutine(output) for output in first)
            assert [type(item) for output in first for item in _page_items(output)] == [
                PageItem, PageItem]
            third = spider.parse(_page(2))  # the crawl read FROM pages: this one waits
            assert inspect.iscoroutine(third)
            assert [type(item) for item in _page_items(await third)] == [CheckedPageItem]
            assert crawler.stats.get_value(WORKER_PAGES) == 1
        finally:
            await spider.closed("finished")

    asyncio.run(scenario())


def test_a_crawl_that_ends_before_its_worker_is_ready_kills_it(caplog) -> None:
    async def scenario() -> None:
        unstarted = ExtractPool(1)
        unstarted.launch()
        await unstarted.close()  # before the worker's process was even started
        assert unstarted.workers == [] and not unstarted.starting

        pool = ExtractPool(1)
        pool.launch()
        deadline = time.monotonic() + 30
        while not pool.workers:  # its process started, its imports under way
            assert time.monotonic() < deadline, "the worker's process never started"
            await asyncio.sleep(0.001)
        process = pool.workers[0].process
        assert process is not None and not pool.ready
        await pool.close()
        assert process.returncode == -signal.SIGKILL  # not left to finish its imports
        assert not pool.starting and not pool.has_room

    with caplog.at_level(logging.WARNING):
        asyncio.run(scenario())
    assert caplog.records == []


def test_the_workers_end_once_the_crawl_is_idle_and_later_pages_are_read_here() -> None:
    async def scenario() -> None:
        crawler = get_crawler(GpSpider, {"GPSCRAPE_SEEDS": []})
        spider = GpSpider.from_crawler(crawler, base_url="http://127.0.0.1:8000/")
        spider._extract_pool = pool = ExtractPool(1)
        pool.launch()
        try:
            await pool.wait_ready()
            process = pool.workers[0].process
            assert [type(item) for item in _page_items(await spider.parse(_page(0)))] == [
                CheckedPageItem]
            crawler.signals.send_catch_log(signals.spider_idle, spider=spider)
            deadline = time.monotonic() + 30
            while process.poll() is None:  # it ends on its own, before the crawl's close
                assert time.monotonic() < deadline, "the worker did not end at idle"
                await asyncio.sleep(0.005)
            assert process.returncode == 0
            later = spider.parse(_page(1))  # an extension kept the crawl open after all
            assert [type(item) for item in _page_items(later)] == [PageItem]
        finally:
            await spider.closed("finished")

    asyncio.run(scenario())


class _Scheduler:
    """The scheduler as the spider sees it: whether requests wait to be fetched."""

    def __init__(self) -> None:
        self.pending = True

    def has_pending_requests(self) -> bool:
        return self.pending


def test_once_nothing_waits_to_be_fetched_a_busy_worker_leaves_pages_to_the_crawl() -> None:
    async def scenario() -> None:
        crawler = get_crawler(GpSpider, {"GPSCRAPE_SEEDS": []})
        spider = GpSpider.from_crawler(crawler, base_url="http://127.0.0.1:8000/")
        scheduler = _Scheduler()
        crawler.engine = SimpleNamespace(scheduler=scheduler)
        spider._extract_pool = pool = ExtractPool(1)
        pool.launch()
        try:
            await pool.wait_ready()
            queued = [spider.parse(_page(n)) for n in range(FINAL_BACKLOG + 1)]
            assert all(inspect.iscoroutine(output) for output in queued)  # requests wait
            scheduler.pending = False  # the crawl's last pages: the worker holds enough
            last = spider.parse(_page(FINAL_BACKLOG + 1))
            assert [type(item) for item in _page_items(last)] == [PageItem]
            for output in queued:
                assert [type(item) for item in _page_items(await output)] == [CheckedPageItem]
            assert inspect.iscoroutine(after := spider.parse(_page(0)))  # the worker is free
            await after
        finally:
            await spider.closed("finished")

    asyncio.run(scenario())
