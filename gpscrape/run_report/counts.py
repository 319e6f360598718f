"""A run's counts, read from its stats: one key and one label each, shared by the summary
printed at the end of a crawl, the run report's `counts` and its printed table.

Every count comes from the stats the run recorded: the verdicts (`gpscrape.outcome`, stats
`gpscrape/verdict/<name>`) and the counters of the incremental middleware, the listing cap,
the validation pipeline, the Parquet writer and Scrapy (retries, spider exceptions).
`quarantined` is the run's rows for the quarantine table: pages judged quarantined, requests
that failed for good (also counted in `failed`) and records that failed validation.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gpscrape.outcome import (
    BROKEN,
    DUPLICATE,
    FAILED,
    FILTERED,
    INDEX,
    LISTING,
    MISSING,
    PROBE_MISS,
    QUARANTINED,
    RECORD,
    RESPONSE_VERDICTS,
    ROBOTS_REFUSED,
    STAT,
    UNCHANGED,
)
from pipelines.validate import QUARANTINED_STAT as VALIDATION_QUARANTINED

CHANGED = "gpscrape/parquet/changed"  # records whose content changed (the Parquet writer)
LISTING_PAGES_CAPPED = "gpscrape/listing_pages_capped"
# Every count: its key in the report, its label in the summary and the table, in table order.
LABELS: dict[str, str] = {
    "pages_fetched": "pages fetched",
    "pages_replayed": "pages replayed",
    "records": "records",
    "listing_pages": "listing pages",
    "index_pages": "index pages",
    "new_records": "new records",
    "refreshed": "refreshed",
    "changed": "changed records",
    "unchanged": "unchanged (304)",
    "skipped_known": "known, not fetched",
    "skipped_left_out": "left out before, not fetched",
    "recovered": "recovered from archive",
    "probes": "probes",
    "probe_misses": "probes that found nothing",
    "filtered": "filtered out",
    "duplicates": "duplicates after a redirect",
    "quarantined": "quarantined",
    "missing": "missing",
    "broken_pages": "broken pages",
    "failed": "failed requests",
    "robots_refused": "refused by robots.txt",
    "spider_errors": "spider errors",
    "retries": "retries",
    "listing_pages_capped": "listing pages past the cap",  # only when the cap was hit
}
# The count of each verdict.
VERDICT_COUNTS: dict[str, str] = {
    RECORD: "records", LISTING: "listing_pages", INDEX: "index_pages", MISSING: "missing",
    BROKEN: "broken_pages", PROBE_MISS: "probe_misses", UNCHANGED: "unchanged",
    FILTERED: "filtered", DUPLICATE: "duplicates", FAILED: "failed",
    ROBOTS_REFUSED: "robots_refused",
}
# The counts the crawl summary prints on its first line (the report holds them all).
SUMMARY: tuple[str, ...] = (
    "pages_fetched", "records", "listing_pages", "index_pages", "missing", "broken_pages",
    "quarantined", "failed", "filtered", "robots_refused", "skipped_left_out",
)
# A rebuild's counts (it fetches nothing: no incremental, retry or robots counts).
REBUILD: tuple[str, ...] = (
    "pages_replayed", "records", "listing_pages", "index_pages", "changed", "quarantined",
    "missing", "broken_pages",
)


def verdict(stats: Mapping[str, Any], name: str) -> int:
    """How many pages got verdict `name`."""
    return int(stats.get(STAT + name, 0))


def crawl_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """The counts of a crawl or backfill, from its Scrapy stats."""
    counts = _verdict_counts(stats)
    counts["pages_fetched"] = sum(verdict(stats, name) for name in RESPONSE_VERDICTS)
    for key, stat in (("new_records", "gpscrape/incremental/new"),
                      ("refreshed", "gpscrape/incremental/refreshed"),
                      ("skipped_known", "gpscrape/incremental/skipped_known"),
                      ("skipped_left_out", "gpscrape/incremental/skipped_left_out"),
                      ("probes", "gpscrape/probes"), ("changed", CHANGED),
                      ("retries", "retry/count")):
        counts[key] = int(stats.get(stat, 0))
    counts["spider_errors"] = sum(int(v) for k, v in stats.items()
                                  if k.startswith("spider_exceptions/"))
    if stats.get(LISTING_PAGES_CAPPED):
        counts["listing_pages_capped"] = int(stats[LISTING_PAGES_CAPPED])
    return ordered(counts)


def rebuild_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """The counts of an offline rebuild, from the stats it kept (verdicts, changed records,
    validation rejects)."""
    counts = _verdict_counts(stats)
    counts["pages_replayed"] = sum(verdict(stats, name) for name in RESPONSE_VERDICTS)
    counts["changed"] = int(stats.get(CHANGED, 0))
    return ordered({key: counts[key] for key in REBUILD})


def _verdict_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    counts = {key: verdict(stats, name) for name, key in VERDICT_COUNTS.items()}
    counts["quarantined"] = (verdict(stats, QUARANTINED) + verdict(stats, FAILED)
                             + int(stats.get(VALIDATION_QUARANTINED, 0)))
    return counts


def ordered(counts: Mapping[str, int]) -> dict[str, int]:
    """`counts` in table order (keys without a label are dropped)."""
    return {key: counts[key] for key in LABELS if key in counts}


def summary_line(counts: Mapping[str, int]) -> str:
    """`40 pages fetched, 36 records, ...`: the summary's counts, with the report's labels."""
    return ", ".join(f"{counts.get(key, 0)} {LABELS[key]}" for key in SUMMARY)
