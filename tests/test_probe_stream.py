"""The probes of a fresh crawl reach the scheduler one at a time: when a high record is found,
the probes span every recordNo below it not yet asked for (thousands on a big site), and held
all at once they were the largest part of a crawl's peak memory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from types import SimpleNamespace
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from gpscrape.incremental.middleware import IncrementalMiddleware
from gpscrape.incremental.state import DatasetState
from gpscrape.outcome import GUESS, PROBE

BASE = "http://127.0.0.1:9/"
TEMPLATE = "view_cir_articles.php?url=Conflict%20Weekly&recordNo={n}"
MISSES = 3


async def nothing() -> AsyncIterator[Any]:
    return
    yield


def test_probes_after_a_jump_in_the_highest_record_come_one_at_a_time() -> None:
    crawler = get_crawler(settings_dict={"GPSCRAPE_BACKFILL_URL_TEMPLATE": TEMPLATE})
    crawler.spider = SimpleNamespace(allowed_domains=["127.0.0.1"], base_url=BASE,
                                     backfill=None, parse=print, on_error=print)
    mw = IncrementalMiddleware(crawler, DatasetState(), "none", MISSES)
    mw.highest_found, mw.probed_up_to = 5000, 10 + MISSES  # record 10 found first, then 5000
    response = HtmlResponse(BASE, body=b"<html></html>", request=Request(BASE))

    async def first_then_rest() -> tuple[int, int, int]:
        output = mw.process_spider_output_async(response, nothing())
        first = await output.__anext__()
        assert first.meta[GUESS] == PROBE and first.url.endswith(f"recordNo={10 + MISSES + 1}")
        built_before_the_next = crawler.stats.get_value("gpscrape/probes")
        rest = [request async for request in output]
        return built_before_the_next, len(rest) + 1, len({r.url for r in rest} | {first.url})

    built, total, distinct = asyncio.run(first_then_rest())
    assert built == 1
    assert total == distinct == 5000 + MISSES - (10 + MISSES)
