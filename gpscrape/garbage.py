"""The crawl's Scrapy extension for `gpscrape.collector`: the cycle collector tuned for
throughput from the engine's start to its stop."""

from __future__ import annotations

from typing import Any

from scrapy import signals

from gpscrape.collector import Tuning, restore, tune_for_throughput


class CrawlGarbageCollection:
    """Scrapy extension: `tune_for_throughput` from the engine's start to its stop."""

    def __init__(self) -> None:
        self._tuning: Tuning | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlGarbageCollection:
        extension = cls()
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        if self._tuning is None:
            self._tuning = tune_for_throughput()

    def engine_stopped(self) -> None:
        if self._tuning is not None:
            restore(self._tuning)
            self._tuning = None
