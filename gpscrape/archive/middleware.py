"""`WarcMiddleware`: a downloader middleware archiving every response the crawl receives.

It sits between the download handler and `HttpCompressionMiddleware` (590), so the body is
archived as received, content-coded when the server compressed it; redirects, retried errors
and 304s are archived too. Responses served from Scrapy's HTTP cache are not archived again.

Settings: `GPSCRAPE_WARC_ENABLED` (default True), `GPSCRAPE_WARC_DIR` (default
`GPSCRAPE_OUTPUT/warc`), `GPSCRAPE_WARC_MAX_BYTES` (size at which a file is rolled over),
`GPSCRAPE_RUN_ID` (names the files; set by the gpscrape commands).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from gpscrape.archive.writer import Exchange, WarcWriter, header_pairs
from gpscrape.run_report import new_run_id


def warc_dir(settings: Any) -> Path:
    """Where a crawl with these settings archives its responses."""
    configured = settings.get("GPSCRAPE_WARC_DIR")
    if configured:
        return Path(configured)
    return Path(settings.get("GPSCRAPE_OUTPUT") or "output") / "warc"


class WarcMiddleware:
    """Writes each (request, response) pair to the run's WARC files."""

    def __init__(self, writer: WarcWriter, stats: Any = None) -> None:
        self.writer = writer
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcMiddleware:
        settings = crawler.settings
        if not settings.getbool("GPSCRAPE_WARC_ENABLED", True):
            raise NotConfigured("GPSCRAPE_WARC_ENABLED is off")
        run_id = settings.get("GPSCRAPE_RUN_ID") or new_run_id()
        writer = WarcWriter(warc_dir(settings), run_id,
                            settings.getint("GPSCRAPE_WARC_MAX_BYTES", 100 * 1024 * 1024))
        middleware = cls(writer.open(), crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response, spider: Any = None
                         ) -> Response:
        if "cached" in response.flags:
            return response
        self.writer.write(Exchange(
            url=response.url,
            method=request.method,
            request_headers=header_pairs(request.headers),
            request_body=request.body,
            status=response.status,
            response_headers=header_pairs(response.headers),
            body=response.body,
            date=datetime.now(UTC),
        ))
        if self.stats is not None:
            self.stats.inc_value("gpscrape/warc/responses")
        return response

    def spider_closed(self, spider: Any = None) -> None:
        self.writer.close()
