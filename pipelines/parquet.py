"""Write items to the Parquet tables under the output root, published when the spider closes.

A known record answering `304 Not Modified` to a conditional request (`--revalidate`) gives
no item; the pipeline still tells the writer it was seen unchanged, so its `last_seen_at`
moves (the `304` is in the WARC archive, so a rebuild sees it too).

A full disk stops the crawl at the first failed write (`gpscrape.disk_full`): later items are
not staged and nothing is published, so the published dataset stays as it was.

What only a crawl uses (Scrapy's signals, the archive middleware's WARC date, the full-disk
stop) is imported where a crawl uses it: a rebuild (`pipelines.chain`) imports no Scrapy."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

from gpscrape import urls
from gpscrape.dataset import DatasetWriter, PublishResult
from gpscrape.dataset.writer import Checkpoint
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.locations import output_root

logger = logging.getLogger(__name__)

OPENED_STAT = "gpscrape/parquet/opened"
PUBLISHED_STAT = "gpscrape/parquet/published"  # the published version; absent if publishing failed
CHANGED_STAT = "gpscrape/parquet/changed"  # records whose content changed since last seen


class ParquetPipeline:
    """Scrapy pipeline: stages every item with a `DatasetWriter`, publishes on close (the
    publish's result is kept as `result`). Without a crawl (`pipelines.chain`) it is built with
    `from_output`, and a failed write raises."""

    def __init__(self, output: Path, stats: Any = None, crawler: Any = None,
                 checkpoint: Checkpoint | None = None) -> None:
        self.output = output
        self.stats = stats
        self.crawler = crawler
        self.checkpoint = checkpoint
        self.writer: DatasetWriter | None = None
        self.result: PublishResult | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParquetPipeline:
        from scrapy import signals  # noqa: PLC0415 (a crawl only)

        output = output_root(crawler.settings)
        pipeline = cls(Path(output), crawler.stats, crawler)
        crawler.signals.connect(pipeline.response_received, signal=signals.response_received)
        return pipeline

    @classmethod
    def from_output(cls, output: Path, checkpoint: Checkpoint | None = None
                    ) -> ParquetPipeline:
        """The pipeline without a crawl: writes under `output`, no stats."""
        return cls(Path(output), checkpoint=checkpoint)

    def open_spider(self, spider: Any = None) -> None:
        self.writer = DatasetWriter(self.output, checkpoint=self.checkpoint).open()
        if self.stats is not None:
            self.stats.set_value(OPENED_STAT, True)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageItem | QuarantineItem):
            raise TypeError(f"ParquetPipeline cannot write a {type(item).__name__}")
        assert self.writer is not None, "open_spider was not called"
        if self._disk_full():
            return item
        try:
            self.writer.add(item)
        except OSError as error:
            if not self._stopped_by(error):
                raise
        return item

    def add_earlier(self, item: Any) -> None:
        """An earlier fetch of a record (replaying an archive): for its history only."""
        assert self.writer is not None, "open_spider was not called"
        if isinstance(item, PageItem):
            self.writer.add_earlier(item)

    def seen_unchanged(self, record_no: int, at: datetime) -> None:
        """The record was found unchanged at `at` (a `304 Not Modified`)."""
        assert self.writer is not None, "open_spider was not called"
        self.writer.seen_unchanged(record_no, at)

    def discard(self) -> None:
        """Drop what was staged, publish nothing (a failed run)."""
        if self.writer is not None:
            self.writer.close()
            self.writer = None

    def response_received(self, response: Any, **_: Any) -> None:
        """A `304` for an article page: the record was seen unchanged."""
        if response.status != HTTPStatus.NOT_MODIFIED or self.writer is None:
            return
        from gpscrape.archive.middleware import WARC_DATE  # noqa: PLC0415 (a crawl only)

        key = urls.record_key(response.url)
        if key is not None:
            self.seen_unchanged(key[1], response.meta.get(WARC_DATE) or datetime.now(UTC))

    def _disk_full(self) -> bool:
        if self.crawler is None:
            return False
        from gpscrape.disk_full import disk_full  # noqa: PLC0415 (a crawl only)

        return disk_full(self.crawler) is not None

    def _stopped_by(self, error: OSError) -> bool:
        """Whether `error` is a full disk, which stops the crawl (see `gpscrape.disk_full`)."""
        if self.crawler is None:
            return False
        from gpscrape.disk_full import is_disk_full, stop_crawl  # noqa: PLC0415 (a crawl only)

        if not is_disk_full(error):
            return False
        stop_crawl(self.crawler, self.output, error)
        return True

    def close_spider(self, spider: Any = None) -> None:
        if self.writer is None:
            return
        try:
            if self._disk_full():
                return
            result = self.writer.publish()
        except OSError as error:
            if not self._stopped_by(error):
                raise
            return
        finally:
            self.writer.close()
            self.writer = None
        self.result = result
        logger.info("published dataset version %s under %s: %s", result.version, self.output,
                    ", ".join(f"{n} {c} rows" for n, c in result.rows.items()))
        if self.stats is not None:
            for name, count in result.rows.items():
                self.stats.set_value(f"gpscrape/parquet/{name}_rows", count)
            self.stats.set_value(CHANGED_STAT, result.changed)
            self.stats.set_value(PUBLISHED_STAT, result.version)
