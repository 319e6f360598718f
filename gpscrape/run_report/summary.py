"""The summary a crawl or backfill prints when it ends, from the same counts as its report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gpscrape.outcome import BROKEN, FAILED, MISSING, Verdicts
from gpscrape.run_report.counts import LISTING_PAGES_CAPPED, crawl_counts, summary_line
from gpscrape.urls import record_no_of


def summary(command: str, stats: Mapping[str, Any], verdicts: Verdicts, elapsed: float) -> str:
    """The counts (labelled as in the report), then the failed, missing and broken pages."""
    lines = [f"gpscrape {command}: {summary_line(crawl_counts(stats))}; {elapsed:.2f} s "
             f"({stats.get('finish_reason', '?')})"]
    lines += [f"  failed: {url} ({reason})" for url, reason in verdicts.pages[FAILED]]
    missing = verdicts.pages[MISSING]
    numbers = sorted({n for url, _ in missing if (n := record_no_of(url)) is not None})
    if numbers:
        lines.append(f"  missing recordNos: {compact_ranges(numbers)}")
    lines += [f"  missing: {url} ({reason})" for url, reason in missing
              if record_no_of(url) is None]
    lines += [f"  broken: {url} ({reason})" for url, reason in verdicts.pages[BROKEN]]
    if stats.get(LISTING_PAGES_CAPPED):
        lines.append(f"  listing pages past GPSCRAPE_MAX_LISTING_PAGE, not requested: "
                     f"{stats[LISTING_PAGES_CAPPED]}")
    return "\n".join(lines)


def compact_ranges(numbers: list[int]) -> str:
    """`[3, 4, 5, 9]` -> `3-5, 9` (input sorted, without duplicates)."""
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in runs)
