"""RecentSet: what was added lately is remembered, and memory stays bounded."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gpscrape.recent import RecentSet


def test_remembers_the_last_size_items_and_holds_at_most_twice_as_many() -> None:
    seen = RecentSet(100)
    for n in range(1_000):
        seen.add(n)
        assert n in seen
        assert len(seen) <= 200
    assert all(n in seen for n in range(900, 1_000))
    assert 0 not in seen  # dropped with an older generation


@given(st.lists(st.integers(0, 50), max_size=300), st.integers(1, 20))
def test_every_item_among_the_last_size_distinct_ones_added_is_in(items: list[int],
                                                                   size: int) -> None:
    seen = RecentSet(size)
    for item in items:
        seen.add(item)
    latest: list[int] = []
    for item in reversed(items):
        if item not in latest:
            latest.append(item)
    assert all(item in seen for item in latest[:size])
    assert len(seen) <= 2 * size


def test_adding_an_item_again_does_not_grow_it() -> None:
    seen = RecentSet(10)
    for _ in range(5):
        seen.add("a")
    assert len(seen) == 1


def test_size_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        RecentSet(0)
