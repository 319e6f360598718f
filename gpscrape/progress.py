"""Progress of long runs: a tqdm bar (rate and ETA) on a terminal, plain periodic log lines
otherwise (logs, CI, pipes)."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO

logger = logging.getLogger("gpscrape.progress")


class Progress:
    """Counts units of work; shows a bar on a terminal, else logs every `interval` seconds."""

    def __init__(self, description: str, total: int | None = None, unit: str = "page",
                 stream: TextIO | None = None, interval: float = 10.0) -> None:
        self.description = description
        self.total = total
        self.unit = unit
        self.done = 0
        self.interval = interval
        self._started = self._last_log = time.monotonic()
        stream = stream if stream is not None else sys.stderr
        self._bar = None
        if stream.isatty():
            from tqdm import tqdm  # noqa: PLC0415 (a terminal only: logs skip its import)

            self._bar = tqdm(total=total, desc=description, unit=unit, file=stream,
                             dynamic_ncols=True)

    def update(self, count: int = 1) -> None:
        self.done += count
        if self._bar is not None:
            self._bar.update(count)
            return
        now = time.monotonic()
        if now - self._last_log >= self.interval:
            self._last_log = now
            logger.info("%s", self.line(now))

    def line(self, now: float | None = None) -> str:
        """`reextract: 120/2000 pages (6.0%), 350.1 pages/s, ETA 5 s`."""
        elapsed = (now if now is not None else time.monotonic()) - self._started
        rate = self.done / elapsed if elapsed > 0 else 0.0
        text = f"{self.description}: {self.done}"
        if self.total:
            text += f"/{self.total} {self.unit}s ({self.done / self.total:.1%})"
        else:
            text += f" {self.unit}s"
        text += f", {rate:.1f} {self.unit}s/s"
        if self.total and rate > 0:
            text += f", ETA {max(self.total - self.done, 0) / rate:.0f} s"
        return text

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
        elif self.done:
            logger.info("%s (done)", self.line())

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class ProgressExtension:
    """Scrapy extension: a `Progress` over the responses of a crawl; a backfill knows its total
    (the size of its recordNo range), so it gets a rate and an ETA."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.progress: Progress | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ProgressExtension:
        from scrapy import signals  # noqa: PLC0415 (a crawl only: `Progress` imports no Scrapy)

        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any, **_: Any) -> None:
        span = getattr(spider, "backfill", None)
        total = span[1] - span[0] + 1 if span else None
        self.progress = Progress("backfill" if span else "crawl", total=total)

    def response_received(self, response: Any, request: Any, **_: Any) -> None:
        if self.progress is not None and not request.url.endswith("/robots.txt"):
            self.progress.update()

    def spider_closed(self, spider: Any, **_: Any) -> None:
        if self.progress is not None:
            self.progress.close()
