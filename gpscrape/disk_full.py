"""A full disk stops a crawl at the first failed write, with one message.

The WARC writer (`gpscrape.archive.middleware`) and the Parquet pipeline call `stop_crawl`
when a write fails with `No space left on device` (or a full quota): the first call logs one
error naming the folder, records it in the stats (`DISK_FULL_STAT`) and closes the spider
(reason `disk_full`); later writes are skipped quietly and nothing is published, so the
published dataset stays as it was. `gpscrape crawl` then exits with `exit_codes.BAD_INPUT`;
the next run, once there is space, recovers the pages this one archived.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path
from typing import Any

from scrapy.utils.defer import deferred_from_coro

from gpscrape.locations import output_root

logger = logging.getLogger(__name__)

DISK_FULL_STAT = "gpscrape/disk_full"  # the folder whose disk was full
REASON = "disk_full"  # the spider's close reason
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_disk_full(error: BaseException) -> bool:
    """True for an OSError saying the disk (or the user's quota) is full."""
    return isinstance(error, OSError) and error.errno in _FULL


def disk_full(crawler: Any) -> str | None:
    """The folder a write failed in for want of space during this crawl, or None."""
    return crawler.stats.get_value(DISK_FULL_STAT)


def stop_crawl(crawler: Any, folder: Path, error: OSError) -> None:
    """The first time: log the one message and close the spider; later calls do nothing."""
    if disk_full(crawler):
        return
    crawler.stats.set_value(DISK_FULL_STAT, str(folder))
    output = output_root(crawler.settings)
    logger.error("%s writing to %s: the crawl stops here. The published dataset in %s is "
                 "intact (this run publishes nothing); free some space and run again: the "
                 "next run recovers the pages archived so far.",
                 error.strerror or "No space left on device", folder, output)
    if crawler.crawling and crawler.engine.running and crawler.engine.spider is not None:
        deferred_from_coro(crawler.engine.close_spider_async(reason=REASON))
