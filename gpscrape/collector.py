"""The cyclic garbage collector tuned for throughput: fewer collections, none over the imports.

CPython's cycle collector runs every 700 new container objects (threshold 700, 10, 10) and its
older passes scan every object alive, a million and more once Scrapy, Twisted, lxml, pyarrow
and dateparser are imported. A crawl or a rebuild allocates a page record, its items and rows
(and, crawling, its requests and Deferreds) for every page, nearly all freed by reference
counting, so most of those passes find nothing: measured on a 1,000-page crawl of the mirror,
they cost about a tenth of the reactor thread's CPU. `tune_for_throughput` moves what is alive
into the permanent generation (`gc.freeze`), never scanned, and collects the young generation
every `GEN0_THRESHOLD` allocations; cycles are still collected, only in larger batches.
`restore` brings the previous thresholds back and scans the frozen objects again
(`gc.unfreeze`), so a process running several crawls or rebuilds, or tests, is left as it was.
No Scrapy here: a rebuild runs without it (`gpscrape.garbage` is the crawl's extension).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

GEN0_THRESHOLD = 10_000
OLDER_THRESHOLDS = (20, 20)


@dataclass(frozen=True)
class Tuning:
    """What `tune_for_throughput` changed: the previous thresholds, whether it froze."""

    thresholds: tuple[int, int, int]
    froze: bool


def tune_for_throughput() -> Tuning:
    """Freeze the objects alive now (unless a caller froze some already, left to it) and raise
    the thresholds."""
    previous, froze = gc.get_threshold(), gc.get_freeze_count() == 0
    if froze:
        gc.freeze()  # without a collection first: one over a freshly started crawl costs ~60 ms
    gc.set_threshold(GEN0_THRESHOLD, *OLDER_THRESHOLDS)
    return Tuning(previous, froze)


def restore(tuning: Tuning) -> None:
    """Undo `tune_for_throughput`: the thresholds back, what it froze scanned again."""
    gc.set_threshold(*tuning.thresholds)
    if tuning.froze:
        gc.unfreeze()


@contextmanager
def few_collections() -> Iterator[None]:
    """`tune_for_throughput` for the block's duration, restored also when it fails."""
    tuning = tune_for_throughput()
    try:
        yield
    finally:
        restore(tuning)
