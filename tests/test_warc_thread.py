"""The WARC middleware writes on a thread of its own under the asyncio reactor: a download is
done once its exchange is handed to the thread (a write holds none of the crawl's concurrent
requests), while the response's output passes on (`ArchiveGate`) only once archived, in the
order the responses came; past `QUEUED_WRITES` writes waiting, a response waits for its own
write in the downloader. A failed write fails the request through its errback."""

from __future__ import annotations

import asyncio
import errno
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse

from gpscrape.archive import WarcWriter, iter_responses
from gpscrape.archive.middleware import QUEUED_WRITES, WARC_DATE, ArchiveGate, WarcMiddleware

URL = "http://127.0.0.1:8000/view_cir_articles.php?recordNo={}"
DEADLINE = 30.0


def _exchange(n: int, errback: Any = None) -> tuple[Request, HtmlResponse]:
    request = Request(URL.format(n), errback=errback)
    body = f"<html><body><p>page {n}</p></body></html>".encode()
    return request, HtmlResponse(request.url, body=body, request=request)


async def _outputs(*values: Any) -> AsyncIterator[Any]:
    for value in values:
        yield value


async def _gated(response: HtmlResponse, *values: Any) -> list[Any]:
    """What passes `ArchiveGate` of the callback output `values`."""
    return [output async for output in ArchiveGate().process_spider_output(
        response, _outputs(*values))]


class HeldWriter(WarcWriter):
    """Writes once `release` is set (or fails with `error`)."""

    release = threading.Event()
    error: OSError | None = None

    def write(self, exchange):
        assert self.release.wait(DEADLINE)
        if self.error is not None:
            raise self.error
        super().write(exchange)


def test_a_download_is_done_at_once_and_its_output_passes_once_archived(tmp_path: Path
                                                                        ) -> None:
    writer = HeldWriter(tmp_path, "run", sync_interval=0)
    writer.release = threading.Event()
    middleware = WarcMiddleware(writer.open())
    request, response = _exchange(1)

    async def scenario() -> list[Any]:
        assert middleware.process_response(request, response) is response
        assert WARC_DATE in request.meta  # the date it is archived under
        output = asyncio.ensure_future(_gated(response, "item", "request"))
        for _ in range(20):  # the write is held: however long the loop runs, nothing passes
            await asyncio.sleep(0)
        assert not output.done()
        writer.release.set()
        return await asyncio.wait_for(output, DEADLINE)

    assert asyncio.run(scenario()) == ["item", "request"]
    middleware.spider_closed()
    assert [r.url for r in iter_responses(tmp_path)] == [request.url]


def test_responses_past_the_queued_writes_wait_for_their_own_and_all_keep_their_order(
        tmp_path: Path) -> None:
    middleware = WarcMiddleware(WarcWriter(tmp_path, "run", sync_interval=0).open())
    exchanges = [_exchange(n) for n in range(QUEUED_WRITES + 12)]

    async def scenario() -> list[list[Any]]:
        passed = [middleware.process_response(request, response)
                  for request, response in exchanges]
        waited = [asyncio.iscoroutine(p) for p in passed]
        assert not any(waited[:QUEUED_WRITES]) and all(waited[QUEUED_WRITES:])
        responses = [await p if asyncio.iscoroutine(p) else p for p in passed]
        assert responses == [response for _, response in exchanges]
        return [await _gated(response, response.url) for response in responses]

    outputs = asyncio.run(scenario())
    assert outputs == [[request.url] for request, _ in exchanges]
    middleware.spider_closed()
    archived = list(iter_responses(tmp_path))
    assert [r.url for r in archived] == [request.url for request, _ in exchanges]
    assert archived[3].body == exchanges[3][1].body


def test_a_failed_write_fails_the_request_through_its_errback(tmp_path: Path) -> None:
    failures = []

    def errback(failure):
        failures.append(failure)
        yield "quarantined"

    writer = HeldWriter(tmp_path, "run", sync_interval=0)
    writer.release, writer.error = threading.Event(), OSError(errno.EIO, "Input/output error")
    writer.release.set()
    middleware = WarcMiddleware(writer.open())
    request, response = _exchange(1, errback)
    bare_request, bare_response = _exchange(2)

    async def scenario() -> list[Any]:
        assert middleware.process_response(request, response) is response
        assert middleware.process_response(bare_request, bare_response) is bare_response
        with pytest.raises(OSError, match="Input/output"):  # no errback: the error itself
            await _gated(bare_response, "item")
        return await _gated(response, "item")

    assert asyncio.run(scenario()) == ["quarantined"]  # the callback's output is dropped
    assert [f.value.errno for f in failures] == [errno.EIO]
    assert failures[0].request is request
    middleware.spider_closed()


def test_a_write_error_past_the_queued_writes_reaches_the_download_as_before(
        tmp_path: Path) -> None:
    writer = HeldWriter(tmp_path, "run", sync_interval=0)
    writer.release, writer.error = threading.Event(), OSError(errno.EIO, "Input/output error")
    middleware = WarcMiddleware(writer.open())
    exchanges = [_exchange(n) for n in range(QUEUED_WRITES + 1)]

    async def scenario() -> None:
        passed = [middleware.process_response(request, response)
                  for request, response in exchanges]
        writer.release.set()
        with pytest.raises(OSError, match="Input/output"):
            await passed[-1]

    asyncio.run(scenario())
    assert WARC_DATE not in exchanges[-1][0].meta
    middleware.spider_closed()
