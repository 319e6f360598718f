"""`WarcMiddleware`: a downloader middleware archiving every response the crawl receives.

It sits between the download handler and `HttpCompressionMiddleware` (590), so the body is
archived as received, content-coded when the server compressed it; redirects, retried errors
and 304s are archived too. Responses served from Scrapy's HTTP cache are not archived again.

Settings: `GPSCRAPE_WARC_ENABLED` (default True), `GPSCRAPE_WARC_DIR` (default
`GPSCRAPE_OUTPUT/warc`), `GPSCRAPE_WARC_MAX_BYTES` (size at which a file is rolled over),
`GPSCRAPE_RUN_ID` (names the files; set by the gpscrape commands).

The archived response's WARC-Date goes to the spider as `response.meta[WARC_DATE]`, so a
crawl's `fetched_at` is the time a rebuild from the archive reads back. Each file's warcinfo
record holds the run's filters (`gpscrape-series`, `gpscrape-since`, `gpscrape-limit`); the
response record of a guessed request (a probe, a backfill's recordNo) holds its tag
(`GPSCRAPE-Guess`), so a rebuild judges the page as the crawl did (`gpscrape.outcome`). A
full disk stops the crawl at the first failed write (`gpscrape.disk_full`); nothing is
archived after it.

The writing (WARC digests, gzip, the write and flush) runs on a thread of its own, one exchange
after the other, while the reactor goes on with other responses: zlib and hashlib let go of
Python's lock, so most of it runs on another core. The download is done once its exchange is
handed to the thread: a write waiting on the thread (for Python's lock, behind other writes:
10 to 50 ms on a busy reactor) holds none of the CONCURRENT_REQUESTS, which count a request
until its response leaves the downloader middlewares. The spider may read the response
meanwhile, but its output (items, requests) passes on only once the exchange is written and
flushed to the operating system (`ArchiveGate`, a spider middleware), so no record is staged
from a page the archive lacks. At most `QUEUED_WRITES` writes wait on the thread at once;
beyond that a response waits for its own write in the downloader, as every response did
before, so that the downloads never run far ahead of the archive (a full disk stops the crawl
within about that many responses). A write that fails for another reason than a full disk
fails the response's request as a download error would (the request's errback: a `failed`
page), and is logged for a response no spider callback reads (a redirect, a retried error).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import is_asyncio_available
from twisted.python.failure import Failure

from gpscrape.archive.writer import Exchange, WarcWriter, header_pairs
from gpscrape.disk_full import disk_full, is_disk_full, stop_crawl
from gpscrape.locations import Locations
from gpscrape.outcome import GUESS
from gpscrape.run_report import new_run_id

logger = logging.getLogger(__name__)

WARC_DATE = "gpscrape_warc_date"  # request meta key: the archived response's WARC-Date
QUEUED_WRITES = 8  # writes waiting on the thread at most before a download waits for its own
# The writes on the thread whose responses have left the downloader, by request: what
# `ArchiveGate` waits for (the result: None once written or skipped, else the write's error).
_PENDING: WeakKeyDictionary[Request, asyncio.Future[OSError | None]] = WeakKeyDictionary()


def run_info(crawler: Any) -> dict[str, str]:
    """The run's filters (series, since, limit) for the warcinfo records, so that recovering
    a killed run applies them (`gpscrape.incremental.resume`)."""
    record_filter = getattr(getattr(crawler, "spider", None), "record_filter", None)
    return record_filter.info() if record_filter is not None else {}


class WarcMiddleware:
    """Writes each (request, response) pair to the run's WARC files."""

    def __init__(self, writer: WarcWriter, stats: Any = None, crawler: Any = None) -> None:
        self.writer = writer
        self.stats = stats
        self.crawler = crawler
        self._thread: ThreadPoolExecutor | None = None  # the writing thread (asyncio reactor)
        self._queued: set[asyncio.Future[OSError | None]] = set()  # writes not yet done
        self._failed: OSError | None = None  # the disk was full: nothing written after

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcMiddleware:
        settings = crawler.settings
        if not settings.getbool("GPSCRAPE_WARC_ENABLED", True):
            raise NotConfigured("GPSCRAPE_WARC_ENABLED is off")
        run_id = settings.get("GPSCRAPE_RUN_ID") or new_run_id()
        locations = Locations.of(settings)
        writer = WarcWriter(locations.warc, run_id, locations.warc_max_bytes,
                            info=run_info(crawler))
        middleware = cls(writer.open(), crawler.stats, crawler)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response, spider: Any = None
                         ) -> Response | Coroutine[Any, Any, Response]:
        if "cached" in response.flags or self._disk_full():
            return response
        date = datetime.now(UTC)
        exchange = self._exchange(request, response, date)
        if is_asyncio_available():
            return self._archive_on_thread(request, response, exchange)
        try:
            self.writer.write(exchange)
        except OSError as error:
            return self._failed_write(error, response)
        return self._archived(request, response, date)

    def _archive_on_thread(self, request: Request, response: Response, exchange: Exchange
                           ) -> Response | Coroutine[Any, Any, Response]:
        """Hand `exchange` to the writing thread; pass `response` on at once (its output waits
        in `ArchiveGate`) unless `QUEUED_WRITES` writes wait already."""
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="gpscrape-warc")
        request.meta[WARC_DATE] = exchange.date
        write = asyncio.wrap_future(self._thread.submit(self._write, exchange))  # in order
        if len(self._queued) >= QUEUED_WRITES:
            return self._archived_on_thread(request, response, exchange, write)
        written = asyncio.ensure_future(self._written_on_thread(exchange, write))
        self._queued.add(written)
        written.add_done_callback(self._queued.discard)
        _PENDING[request] = written
        return response

    async def _archived_on_thread(self, request: Request, response: Response,
                                  exchange: Exchange, write: asyncio.Future[bool]) -> Response:
        """`response` once `write`, its exchange's, is done (a failed write: as in the
        downloader, see `_failed_write`)."""
        try:
            written = await write
        except OSError as error:
            request.meta.pop(WARC_DATE, None)
            return self._failed_write(error, response)
        if not written:  # an earlier write failed: nothing is archived after it
            return response
        return self._archived(request, response, exchange.date)

    async def _written_on_thread(self, exchange: Exchange, write: asyncio.Future[bool]
                                 ) -> OSError | None:
        """Once `write`, the exchange's, is done: the error of a failed write other than a
        full disk (which stops the crawl, see `_failed_write`), else None."""
        try:
            written = await write
        except OSError as error:
            if self.crawler is None or not is_disk_full(error):
                logger.error("Could not archive %s: %s", exchange.url, error)
                return error
            stop_crawl(self.crawler, self.writer.directory, error)
            return None
        if written and self.stats is not None:
            self.stats.inc_value("gpscrape/warc/responses")
        return None

    def _write(self, exchange: Exchange) -> bool:
        """On the writing thread: write `exchange` unless an earlier write found the disk
        full."""
        if self._failed is not None:
            return False
        try:
            self.writer.write(exchange)
        except OSError as error:
            if is_disk_full(error):
                self._failed = error
            raise
        return True

    def _failed_write(self, error: OSError, response: Response) -> Response:
        if self.crawler is None or not is_disk_full(error):
            raise error
        stop_crawl(self.crawler, self.writer.directory, error)
        return response

    def _archived(self, request: Request, response: Response, date: datetime) -> Response:
        request.meta[WARC_DATE] = date
        if self.stats is not None:
            self.stats.inc_value("gpscrape/warc/responses")
        return response

    @staticmethod
    def _exchange(request: Request, response: Response, date: datetime) -> Exchange:
        return Exchange(
            url=response.url,
            method=request.method,
            request_headers=header_pairs(request.headers),
            request_body=request.body,
            status=response.status,
            response_headers=header_pairs(response.headers),
            body=response.body,
            date=date,
            guess=request.meta.get(GUESS),
        )

    def _disk_full(self) -> bool:
        return self.crawler is not None and disk_full(self.crawler) is not None

    def spider_closed(self, spider: Any = None) -> None:
        """Wait for the writes still on the thread, close the archive's file."""
        if self._thread is not None:
            self._thread.shutdown(wait=True)
        try:
            self.writer.close()
        except OSError as error:
            if not (is_disk_full(error) and self._disk_full()):
                raise
            # The file stays `.open`; the next writer cuts its torn tail and seals it.


async def archived(request: Request) -> OSError | None:
    """Once the exchange of `request`'s response handed to the writing thread is written (at
    once when none is): None, or the error of a write that failed."""
    written = _PENDING.pop(request, None)
    return None if written is None else await written


class ArchiveGate:
    """Spider middleware (highest order: the first to see a callback's output): a response's
    output passes on only once its exchange is archived (see the module's docstring). A write
    that failed fails the request through its errback instead, as a download error would; the
    callback's output is dropped."""

    async def process_spider_output(self, response: Response, result: AsyncIterator[Any],
                                    spider: Any = None) -> AsyncIterator[Any]:
        request = response.request
        error = await archived(request) if request is not None else None
        if error is not None:
            if request.errback is None:
                raise error
            failure = Failure(error)
            failure.request = request  # as Scrapy gives it to an errback
            for output in request.errback(failure) or ():
                yield output
            return
        async for output in result:
            yield output
