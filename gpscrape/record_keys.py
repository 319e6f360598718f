"""Sets of recordNos and of record keys (`urls.record_key`) at a bit a number, not an object.

A crawl remembers every record it requested and found: in sets of ints and `(site, recordNo)`
tuples that cost about 100 to 180 bytes an entry, some 3 MiB a set on a 20,000-record site.
The site numbers its records from 1 up, densely, so a bitmap holds them in a few KB.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

_SET_BYTE = re.compile(rb"[^\x00]")  # the bitmap's bytes with a number, found at C speed
BITMAP_LIMIT = 1 << 24  # numbers from 0 below it take a bit (2 MiB at most); others a set entry


class NumberSet:
    """A set of ints: a bit each in a bytearray grown to the largest number met (below
    `BITMAP_LIMIT`), any other number (negative, or larger) in a plain set."""

    __slots__ = ("_bits", "_count", "_others")

    def __init__(self, numbers: Iterable[int] = ()) -> None:
        self._bits = bytearray()
        self._others: set[int] = set()
        self._count = 0
        for number in numbers:
            self.add(number)

    def __contains__(self, number: object) -> bool:
        if isinstance(number, int) and 0 <= number < BITMAP_LIMIT:
            byte = number >> 3
            return byte < len(self._bits) and bool(self._bits[byte] >> (number & 7) & 1)
        return number in self._others

    def add(self, number: int) -> None:
        if 0 <= number < BITMAP_LIMIT:
            bits, byte, bit = self._bits, number >> 3, 1 << (number & 7)
            if byte >= len(bits):  # at least doubled: growing costs O(1) a number
                bits.extend(bytes(max(byte + 1 - len(bits), len(bits))))
            if not bits[byte] & bit:
                bits[byte] |= bit
                self._count += 1
        elif number not in self._others:
            self._others.add(number)
            self._count += 1

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[int]:
        """The numbers of the bitmap in increasing order, then the others."""
        bits = self._bits
        for match in _SET_BYTE.finditer(bits):
            byte = match.start()
            value = bits[byte]
            yield from (byte << 3 | bit for bit in range(8) if value >> bit & 1)
        yield from self._others


class RecordKeySet:
    """A set of record keys `(site, recordNo)`: a `NumberSet` per site."""

    __slots__ = ("_sites",)

    def __init__(self) -> None:
        self._sites: dict[str, NumberSet] = {}

    def __contains__(self, key: tuple[str, int]) -> bool:
        numbers = self._sites.get(key[0])
        return numbers is not None and key[1] in numbers

    def add(self, key: tuple[str, int]) -> None:
        site, number = key
        numbers = self._sites.get(site)
        if numbers is None:
            numbers = self._sites[site] = NumberSet()
        numbers.add(number)

    def __len__(self) -> int:
        return sum(map(len, self._sites.values()))
