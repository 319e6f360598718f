"""A run's counts from its stats: each verdict reaches its count, `quarantined` is the run's
quarantine rows, and the summary line labels them as the report's table does."""

from __future__ import annotations

import pytest

from gpscrape.outcome import NAMED, STAT, VERDICTS, Verdicts
from gpscrape.run_report.counts import (
    LABELS,
    SUMMARY,
    VERDICT_COUNTS,
    crawl_counts,
    rebuild_counts,
    summary_line,
)


def stats_of(**verdicts: int) -> dict[str, int]:
    return {STAT + name: n for name, n in verdicts.items()}


def test_every_verdict_has_its_count_and_every_count_a_label() -> None:
    assert set(VERDICT_COUNTS) == set(VERDICTS) - {"quarantined"}  # rows, see below
    assert set(VERDICT_COUNTS.values()) <= set(LABELS) and set(SUMMARY) <= set(LABELS)
    assert len(set(LABELS.values())) == len(LABELS)


def test_crawl_counts_read_the_verdicts_and_the_other_stats() -> None:
    stats = {**stats_of(record=5, listing=1, index=2, missing=3, broken=1, quarantined=1,
                        probe_miss=4, unchanged=2, filtered=1, duplicate=1, failed=2,
                        robots_refused=1),
             "gpscrape/validate/quarantined": 1, "gpscrape/incremental/new": 5,
             "retry/count": 7, "spider_exceptions/KeyError": 2, "gpscrape/probes": 4}
    counts = crawl_counts(stats)
    assert counts["pages_fetched"] == 5 + 1 + 2 + 3 + 1 + 1 + 4 + 2 + 1 + 1  # responses only
    assert counts["quarantined"] == 1 + 2 + 1  # judged, failed requests, failed validation
    assert (counts["records"], counts["missing"], counts["broken_pages"]) == (5, 3, 1)
    assert (counts["probe_misses"], counts["duplicates"], counts["failed"]) == (4, 1, 2)
    assert (counts["retries"], counts["spider_errors"], counts["new_records"]) == (7, 2, 5)
    assert "listing_pages_capped" not in counts
    assert list(counts) == [key for key in LABELS if key in counts]


def test_rebuild_counts_hold_what_a_rebuild_can_count() -> None:
    counts = rebuild_counts({**stats_of(record=3, broken=1, quarantined=1),
                             "gpscrape/parquet/changed": 2})
    assert counts == {"pages_replayed": 5, "records": 3, "listing_pages": 0, "index_pages": 0,
                      "changed": 2, "quarantined": 1, "missing": 0, "broken_pages": 1}


def test_summary_line_uses_the_labels() -> None:
    line = summary_line(crawl_counts(stats_of(record=2, missing=1)))
    assert line.startswith("3 pages fetched, 2 records, 0 listing pages, 0 index pages, 1 missing")


def test_verdicts_name_their_pages_and_refuse_unknown_names() -> None:
    verdicts = Verdicts()
    verdicts.add("missing", "http://x/a", "HTTP 404")
    verdicts.add("record", "http://x/b")
    assert verdicts.pages["missing"] == [("http://x/a", "HTTP 404")]
    assert set(verdicts.pages) == set(NAMED)
    assert verdicts.as_stats() == {STAT + "missing": 1, STAT + "record": 1}
    with pytest.raises(ValueError, match="not a verdict"):
        verdicts.add("lost", "http://x/c")
