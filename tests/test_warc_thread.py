"""The WARC middleware writes on a thread of its own under the asyncio reactor: a response is
passed on only once archived, in the order the responses came, as the synchronous path does."""

from __future__ import annotations

import asyncio
import errno
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from gpscrape.archive import WarcWriter, iter_responses
from gpscrape.archive.middleware import WARC_DATE, WarcMiddleware

URL = "http://127.0.0.1:8000/view_cir_articles.php?recordNo={}"


def _exchange(n: int) -> tuple[Request, HtmlResponse]:
    request = Request(URL.format(n))
    body = f"<html><body><p>page {n}</p></body></html>".encode()
    return request, HtmlResponse(request.url, body=body, request=request)


def test_each_response_is_passed_on_once_archived_in_order(tmp_path: Path) -> None:
    middleware = WarcMiddleware(WarcWriter(tmp_path, "run", sync_interval=0).open())
    exchanges = [_exchange(n) for n in range(20)]

    async def scenario() -> list[HtmlResponse]:
        pending = [middleware.process_response(request, response)
                   for request, response in exchanges]
        assert all(asyncio.iscoroutine(p) for p in pending)  # written on the thread
        return list(await asyncio.gather(*pending))

    passed = asyncio.run(scenario())
    assert passed == [response for _, response in exchanges]
    assert all(WARC_DATE in request.meta for request, _ in exchanges)
    middleware.spider_closed()
    archived = list(iter_responses(tmp_path))
    assert [r.url for r in archived] == [request.url for request, _ in exchanges]
    assert archived[3].body == exchanges[3][1].body


def test_a_write_error_reaches_the_download_as_before(tmp_path: Path) -> None:
    class Failing(WarcWriter):
        def write(self, exchange):
            raise OSError(errno.EIO, "Input/output error")

    middleware = WarcMiddleware(Failing(tmp_path, "run", sync_interval=0).open())
    request, response = _exchange(1)

    async def scenario() -> None:
        await middleware.process_response(request, response)

    with pytest.raises(OSError, match="Input/output"):
        asyncio.run(scenario())
    assert WARC_DATE not in request.meta
    middleware.spider_closed()
