"""`ListingCapMiddleware`: a spider middleware that stops endless chains of listing pages.

A listing page links the next one (`archive.php?series=cw&page=N+1`); a site that answers
every page number with a page linking the next would keep a crawl going forever. Requests for
a listing URL whose `page` number is above `GPSCRAPE_MAX_LISTING_PAGE` (0: no cap) are not
sent; each is counted in the stat `gpscrape/listing_pages_capped` (shown in the run summary
and the run report when the cap is hit), and `capped` keeps their URLs.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from scrapy import Request
from scrapy.http import Response

from gpscrape import urls

logger = logging.getLogger(__name__)

CAPPED_STAT = "gpscrape/listing_pages_capped"


def page_number(url: str) -> int | None:
    """The `page` query parameter (any case) of a listing URL, or None."""
    if not urls.is_listing_url(url):
        return None
    for name, value in parse_qsl(urlsplit(url).query):
        if name.lower() == "page" and value.strip().isdigit():
            return int(value)
    return None


class ListingCapMiddleware:
    """Drops requests for listing pages past `GPSCRAPE_MAX_LISTING_PAGE`, counting them."""

    def __init__(self, max_page: int, stats: Any) -> None:
        if max_page < 0:
            raise ValueError(f"GPSCRAPE_MAX_LISTING_PAGE must not be negative: {max_page}")
        self.max_page = max_page
        self.stats = stats
        self.capped: list[str] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> ListingCapMiddleware:
        return cls(crawler.settings.getint("GPSCRAPE_MAX_LISTING_PAGE", 500), crawler.stats)

    def process_spider_output(self, response: Response, result: Iterable[Any],
                              spider: Any = None) -> Iterator[Any]:
        for item in result:
            if not self._past_cap(item):
                yield item

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        async for item in result:
            if not self._past_cap(item):
                yield item

    def _past_cap(self, item: Any) -> bool:
        if not self.max_page or not isinstance(item, Request):
            return False
        number = page_number(item.url)
        if number is None or number <= self.max_page:
            return False
        if not self.capped:
            logger.warning("listing pages past page %d are not followed "
                           "(GPSCRAPE_MAX_LISTING_PAGE): %s", self.max_page, item.url)
        self.capped.append(item.url)
        self.stats.inc_value(CAPPED_STAT)
        return True
