"""Dedupe: one row per `record_no` in a run.

The same record is often reached through several URLs (scripts, `url=` spellings, http and
https). Rows cannot be taken back once staged, so the writer picks one item per key when it
merges (`record_no` for articles and sections, `cwa_no` for listings, URL for quarantine): the
newest fetch of a URL, and between URLs the one `gpscrape.schema` ranks highest, so the result
does not depend on crawl order. This step counts and logs the repeats so a run summary can
show them; it never drops an item.
"""

from __future__ import annotations

import logging
from typing import Any

from gpscrape.items import PageItem

logger = logging.getLogger(__name__)


class RecordSightings:
    """The URLs each `record_no` was fetched from in this run (only keys are kept)."""

    def __init__(self) -> None:
        self._first_url: dict[int, str] = {}

    def see(self, item: Any) -> str | None:
        """Record a sighting; return the URL of the earlier fetch when this one replaces it."""
        if not isinstance(item, PageItem) or item.record.record_no is None:
            return None
        record_no = item.record.record_no
        if record_no not in self._first_url:
            self._first_url[record_no] = item.record.url
            return None
        return self._first_url[record_no]


class DedupePipeline:
    """Scrapy pipeline: counts and logs records fetched more than once."""

    def __init__(self, stats: Any = None) -> None:
        self.stats = stats
        self.sightings = RecordSightings()

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupePipeline:
        return cls(crawler.stats)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        earlier = self.sightings.see(item)
        if earlier is not None:
            logger.info("record %s fetched again from %s (first from %s); one row is kept",
                        item.record.record_no, item.record.url, earlier)
            if self.stats is not None:
                self.stats.inc_value("gpscrape/dedupe/replaced")
        return item
