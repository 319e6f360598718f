"""Who reads a page when extraction workers run (`GPSCRAPE_EXTRACT_WORKERS`): a ready worker
with room in its backlog, or a starting one that fewer pages than its backlog wait for;
otherwise the crawl's own process, at once, so that no page waits for a worker that cannot
start, and no more pages wait than Scrapy's scraper holds before it stops the downloads."""

from __future__ import annotations

import asyncio
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from gpscrape.commands.fixtures import load_cases
from gpscrape.extract import extract_page
from gpscrape.extract_pool import BACKLOG, ExtractPool
from gpscrape.items import CheckedPageItem, PageItem
from gpscrape.spiders.gp import WORKER_PAGES, GpSpider

CASES = [case for case in load_cases(Path(__file__).parent / "fixtures" / "pages")
         if extract_page(case.page_path.read_bytes(), case.url).title]


def _spider_with(pool: ExtractPool) -> GpSpider:
    crawler = get_crawler(GpSpider, {"GPSCRAPE_SEEDS": []})
    spider = GpSpider.from_crawler(crawler, base_url="http://127.0.0.1:8000/")
    spider._extract_pool = pool
    return spider


def _page(number: int) -> HtmlResponse:
    case = CASES[number % len(CASES)]
    return HtmlResponse(case.url, body=case.page_path.read_bytes(), request=Request(case.url))


def _worker_pages(spider: GpSpider) -> int:
    return spider.crawler.stats.get_value(WORKER_PAGES, 0)


async def _items(output: Iterator[Any] | Any) -> list[Any]:
    """The items of a callback's output, awaited first when it is a coroutine."""
    return list(await output if inspect.iscoroutine(output) else output)


def _page_items(items: list[Any]) -> list[PageItem]:
    return [item for item in items if isinstance(item, PageItem)]


def test_pages_met_while_the_worker_starts_wait_for_it_up_to_its_backlog() -> None:
    async def scenario() -> None:
        pool = ExtractPool(1, backlog=2)
        spider = _spider_with(pool)
        pool.launch()
        try:
            assert not pool.ready and pool.starting
            waiting = [spider.parse(_page(n)) for n in (0, 1)]  # both wait for the worker
            assert all(inspect.iscoroutine(output) for output in waiting)
            here = spider.parse(_page(2))  # a third would wait past the backlog: read here
            assert not inspect.iscoroutine(here)
            assert [type(item) for item in _page_items(list(here))] == [PageItem]
            for items in await asyncio.gather(*map(_items, waiting)):
                assert [type(item) for item in _page_items(items)] == [CheckedPageItem]
            assert _worker_pages(spider) == 2
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_a_page_is_read_here_while_every_worker_holds_its_backlog() -> None:
    async def scenario() -> None:
        pool = ExtractPool(1, backlog=2)
        spider = _spider_with(pool)
        pool.launch()
        try:
            await pool.wait_ready()
            sent = [spider.parse(_page(0)), spider.parse(_page(1))]  # sent at once: 2 held
            assert not pool.has_room
            overflow = spider.parse(_page(2))
            assert not inspect.iscoroutine(overflow)
            assert [type(item) for item in _page_items(list(overflow))] == [PageItem]
            for output in sent:
                assert [type(i) for i in _page_items(await _items(output))] == [
                    CheckedPageItem]
            assert pool.has_room  # answered: room again
            assert inspect.iscoroutine(later := spider.parse(_page(3)))
            await _items(later)
            assert _worker_pages(spider) == 3
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_a_page_is_read_here_when_no_worker_can_start(monkeypatch) -> None:
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")

    async def scenario() -> None:
        pool = ExtractPool(1)
        spider = _spider_with(pool)
        pool.launch()
        try:
            await pool.wait_ready()  # returns once no worker is on its way
            assert not pool.starting and not pool.has_room
            items = _page_items(await _items(spider.parse(_page(0))))
            assert [type(item) for item in items] == [PageItem]
            assert _worker_pages(spider) == 0
        finally:
            await pool.close()

    asyncio.run(scenario())


def test_a_backlog_is_at_least_one_page() -> None:
    assert ExtractPool(1).backlog == BACKLOG
    with pytest.raises(ValueError, match="at least 1 page"):
        ExtractPool(1, backlog=0)
