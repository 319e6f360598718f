"""The crawl's Scrapy extensions for its memory, from the engine's start to its stop: the cycle
collector tuned for throughput (`gpscrape.collector`), the heap's free memory given back to the
OS every `RELEASE_INTERVAL` seconds (`gpscrape.heap`)."""

from __future__ import annotations

from typing import Any, Self

from scrapy import signals
from twisted.internet.interfaces import IReactorTime
from twisted.internet.task import LoopingCall

from gpscrape.collector import Tuning, restore, tune_for_throughput
from gpscrape.heap import RELEASE_INTERVAL, release_free_memory


class _WhileEngineRuns:
    """A Scrapy extension that acts from the engine's start (`engine_started`) to its stop
    (`engine_stopped`)."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> Self:
        extension = cls()
        crawler.signals.connect(extension.engine_started, signal=signals.engine_started)
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_started(self) -> None:
        raise NotImplementedError

    def engine_stopped(self) -> None:
        raise NotImplementedError


class CrawlGarbageCollection(_WhileEngineRuns):
    """Scrapy extension: `tune_for_throughput` from the engine's start to its stop."""

    def __init__(self) -> None:
        self._tuning: Tuning | None = None

    def engine_started(self) -> None:
        if self._tuning is None:
            self._tuning = tune_for_throughput()

    def engine_stopped(self) -> None:
        if self._tuning is not None:
            restore(self._tuning)
            self._tuning = None


class HeapRelease(_WhileEngineRuns):
    """Scrapy extension: `release_free_memory` every `interval` seconds while the engine runs."""

    def __init__(self, interval: float = RELEASE_INTERVAL, clock: IReactorTime | None = None
                 ) -> None:
        self.interval, self._clock = interval, clock  # the reactor's clock unless given
        self._loop: LoopingCall | None = None

    def engine_started(self) -> None:
        if self._loop is None:
            self._loop = LoopingCall(release_free_memory)
            if self._clock is not None:
                self._loop.clock = self._clock
            self._loop.start(self.interval, now=False)

    def engine_stopped(self) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self._loop = None
