"""A bounded memory of what was seen lately, for fast paths whose misses are still correct."""

from __future__ import annotations

from collections.abc import Hashable


class RecentSet:
    """Membership of the last `size` to `2 * size` items added, in two generations of sets:
    when the newer one is full it becomes the older one and the oldest is dropped. Memory stays
    bounded however many items a crawl meets; an item dropped is only met again as new."""

    __slots__ = ("_newer", "_older", "_size")

    def __init__(self, size: int) -> None:
        if size < 1:
            raise ValueError("size must be at least 1")
        self._size = size
        self._newer: set[Hashable] = set()
        self._older: set[Hashable] = set()

    def __contains__(self, item: Hashable) -> bool:
        return item in self._newer or item in self._older

    def __len__(self) -> int:
        return len(self._newer) + len(self._older)

    def add(self, item: Hashable) -> None:
        newer = self._newer
        newer.add(item)
        if len(newer) >= self._size:
            self._older, self._newer = newer, set()
