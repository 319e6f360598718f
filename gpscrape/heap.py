"""Freed heap memory handed back to the operating system while a long run goes on.

A crawl frees nearly all it allocates for a page (its body, lxml tree, record, requests), but
the C allocator keeps freed memory for reuse: glibc gives back only the top of its heap, so a
page's leftovers between long-lived objects keep the pages around them resident. Measured on
the mirror, a 20,000-record crawl's process grew about 20 MiB more than with the free memory
given back every 2 s (`malloc_trim(0)`, which releases the free pages anywhere in the heap, in
well under a millisecond). Elsewhere than glibc there is nothing to call, and nothing happens.
No Scrapy here: the extraction worker uses it too (`gpscrape.garbage` holds the crawl's
extension).

Arrow allocates from the same heap (`arrow_on_the_c_heap`): its default, mimalloc, is a second
heap that keeps the pages it touched, so a crawl's publishing of its tables rose some 20 MiB
above what the C heap's free memory, left by the crawl, could hold (`benchmarks/memory_crawl.py`,
the crawl process's peak: 208-211 MiB against 186-189 on 2,000 records, 231-236 against 208-219
on 20,000; a rebuild's speed unchanged).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import time
from collections.abc import Callable

RELEASE_INTERVAL = 2.0  # seconds between two releases of a crawl's (or a worker's) free memory
# Arrow's choice of allocator, read when it first allocates: "system" is the C library's.
ARROW_POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, None where the C library has none (musl, macOS)."""
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def release_free_memory() -> bool:
    """Give the heap's free pages back to the OS; whether the C library could."""
    if _TRIM is None:
        return False
    _TRIM(0)
    return True


class PeriodicRelease:
    """`release_free_memory` at most every `interval` seconds (of `clock`), for a loop to call
    at each step; whether this call released."""

    __slots__ = ("_clock", "_interval", "_next")

    def __init__(self, interval: float = RELEASE_INTERVAL,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._interval, self._clock = interval, clock
        self._next = clock() + interval

    def __call__(self) -> bool:
        if (now := self._clock()) < self._next:
            return False
        self._next = now + self._interval
        return release_free_memory()


def arrow_on_the_c_heap() -> None:
    """Have Arrow, once imported, allocate from the C library's heap (its `system` pool) rather
    than mimalloc's; a pool the user chose in `ARROW_DEFAULT_MEMORY_POOL` stays. For a process's
    entry point, before pyarrow allocates (the variable is read then), and inherited by the
    processes it starts."""
    os.environ.setdefault(ARROW_POOL_VARIABLE, "system")
