"""`QuietLogFormatter`: Scrapy's log messages for every page and item, only where they show.

Scrapy logs a `Crawled (200) <GET ...>` line for every response and a `Scraped from ...` line
for every item at DEBUG, and builds each message's log record before its handler drops it
(Scrapy's root logger lets every level through to the handler, which applies `LOG_LEVEL`).
Below DEBUG (the crawl's default is INFO) both are never shown, and two log records a page
cost the crawl's reactor about 1% of its time: the formatter then gives None, which tells Scrapy
to log nothing. At DEBUG both are logged as Scrapy logs them.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter, LogFormatterResult


class QuietLogFormatter(LogFormatter):
    """Scrapy's `LogFormatter`, without the per-page `crawled` and per-item `scraped`
    messages when `LOG_LEVEL` is above DEBUG."""

    def __init__(self, log_level: int | str = logging.DEBUG) -> None:
        super().__init__()
        level = logging.getLevelName(log_level) if isinstance(log_level, str) else log_level
        self.quiet = isinstance(level, int) and level > logging.DEBUG

    @classmethod
    def from_crawler(cls, crawler: Any) -> QuietLogFormatter:
        return cls(crawler.settings.get("LOG_LEVEL", "DEBUG"))

    def crawled(self, request: Any, response: Any, spider: Any) -> LogFormatterResult | None:
        return None if self.quiet else super().crawled(request, response, spider)

    def scraped(self, item: Any, response: Any, spider: Any) -> LogFormatterResult | None:
        return None if self.quiet else super().scraped(item, response, spider)
