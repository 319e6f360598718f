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
Python's lock, so most of it runs on another core. A response still reaches the spider only
once its exchange is written and flushed to the operating system, as before.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.utils.asyncio import is_asyncio_available

from gpscrape.archive.writer import Exchange, WarcWriter, header_pairs
from gpscrape.disk_full import disk_full, is_disk_full, stop_crawl
from gpscrape.locations import Locations
from gpscrape.outcome import GUESS
from gpscrape.run_report import new_run_id

WARC_DATE = "gpscrape_warc_date"  # request meta key: the archived response's WARC-Date


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
            return self._archived_on_thread(request, response, exchange)
        try:
            self.writer.write(exchange)
        except OSError as error:
            return self._failed_write(error, response)
        return self._archived(request, response, date)

    async def _archived_on_thread(self, request: Request, response: Response,
                                  exchange: Exchange) -> Response:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="gpscrape-warc")
        try:
            written = await asyncio.wrap_future(self._thread.submit(self._write, exchange))
        except OSError as error:
            return self._failed_write(error, response)
        if not written:  # an earlier write failed: nothing is archived after it
            return response
        return self._archived(request, response, exchange.date)

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
        if self._thread is not None:
            self._thread.shutdown(wait=True)
        try:
            self.writer.close()
        except OSError as error:
            if not (is_disk_full(error) and self._disk_full()):
                raise
            # The file stays `.open`; the next writer cuts its torn tail and seals it.
