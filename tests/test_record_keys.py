"""NumberSet and RecordKeySet behave as sets of ints and of record keys, in little memory."""

from __future__ import annotations

import tracemalloc

from hypothesis import given
from hypothesis import strategies as st

from gpscrape.record_keys import BITMAP_LIMIT, NumberSet, RecordKeySet

NUMBERS = st.one_of(st.integers(0, 5_000), st.integers(-10**12, 10**12),
                    st.sampled_from([0, BITMAP_LIMIT - 1, BITMAP_LIMIT, -1]))


@given(st.lists(NUMBERS, max_size=200), st.lists(NUMBERS, max_size=50))
def test_number_set_answers_as_a_set_of_ints(added: list[int], asked: list[int]) -> None:
    numbers, expected = NumberSet(), set()
    for number in added:
        numbers.add(number)
        expected.add(number)
    assert len(numbers) == len(expected)
    assert sorted(numbers) == sorted(expected)
    assert [n in numbers for n in [*asked, *added]] == [n in expected for n in [*asked, *added]]


@given(st.lists(st.tuples(st.sampled_from(["globalpolitics.in", "sister.example"]), NUMBERS),
                max_size=100), st.lists(st.tuples(st.just("globalpolitics.in"), NUMBERS)))
def test_record_key_set_answers_as_a_set_of_keys(added: list[tuple[str, int]],
                                                 asked: list[tuple[str, int]]) -> None:
    keys, expected = RecordKeySet(), set()
    for key in added:
        keys.add(key)
        expected.add(key)
    assert len(keys) == len(expected)
    assert [k in keys for k in [*asked, *added]] == [k in expected for k in [*asked, *added]]


def test_a_site_s_recordnos_cost_a_bit_each() -> None:
    tracemalloc.start()
    try:
        keys = RecordKeySet()
        for number in range(1, 20_001):
            keys.add(("globalpolitics.in", number))
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert len(keys) == 20_000
    assert held < 20_000  # a set of the 20,000 tuples holds about 3.7 MB
