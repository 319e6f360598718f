"""Gzip members of a WARC file: each record is one member, checked by its CRC on reading.

Members are inflated by ISA-L (`isal`, zlib's format and checks at about twice its speed). A
rebuild inflates the archive once to index it (or reads the index of a closed file, see
`gpscrape.archive.member_index`) and each replayed member once more.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from isal import isal_zlib

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024


def read_member(handle: BinaryIO, offset: int, length: int | None = None
                ) -> tuple[bytes, int] | None:
    """The decompressed member starting at `offset` and its compressed length; None when the
    member is torn (cut short or corrupt), or `offset` is the end of the file. With `length`
    (known from an index) exactly that many bytes are read, and they must be one whole member."""
    handle.seek(offset)
    if length is not None:
        return _exact_member(handle.read(length), length)
    inflater = isal_zlib.decompressobj(wbits=31)
    parts: list[bytes] = []
    consumed = 0
    while not inflater.eof:
        chunk = handle.read(CHUNK)
        if not chunk:
            return None
        try:
            parts.append(inflater.decompress(chunk))
        except isal_zlib.error:
            return None
        consumed += len(chunk) - len(inflater.unused_data)
    return b"".join(parts), consumed


def _exact_member(chunk: bytes, length: int) -> tuple[bytes, int] | None:
    """The one member `chunk` holds whole (its CRC checked), or None."""
    inflater = isal_zlib.decompressobj(wbits=31)
    try:
        data = inflater.decompress(chunk)
    except isal_zlib.error:
        return None
    if len(chunk) != length or not inflater.eof or inflater.unused_data:
        return None
    return data, length


def iter_members(path: Path) -> Iterator[tuple[int, bytes]]:
    """`(offset, data)` of every complete member of a gzip file, in order; a torn member (only
    possible as the last one of a file a crash left open) ends the file, with a warning."""
    for offset, data, _ in iter_member_spans(path):
        yield offset, data


def iter_member_spans(path: Path) -> Iterator[tuple[int, bytes, int]]:
    """`iter_members` with each member's compressed length: `(offset, data, length)`."""
    size = path.stat().st_size
    end = 0
    with path.open("rb") as handle:
        for offset, data, length in _members(handle):
            yield offset, data, length
            end = offset + length
    warn_torn(path, end, size)


def warn_torn(path: Path, end: int, size: int) -> None:
    """Warn of the torn tail of `path` (from byte `end` to `size`), when it has one."""
    if end < size:
        logger.warning("%s: torn gzip member at byte %d dropped (%d bytes)",
                       path.name, end, size - end)


def _members(handle: BinaryIO) -> Iterator[tuple[int, bytes, int]]:
    """`(offset, data, compressed length)` of each complete member from the start of
    `handle`, read in one sequential pass (each byte read once); stops at the end of the file
    or at a torn member."""
    offset = 0
    pending = b""  # bytes read past the end of the previous member
    while True:
        inflater = isal_zlib.decompressobj(wbits=31)
        parts: list[bytes] = []
        length = 0
        while not inflater.eof:
            chunk = pending or handle.read(CHUNK)
            pending = b""
            if not chunk:
                return
            try:
                parts.append(inflater.decompress(chunk))
            except isal_zlib.error:
                return
            length += len(chunk) - len(inflater.unused_data)
        pending = inflater.unused_data
        yield offset, b"".join(parts), length
        offset += length


def complete_length(path: Path) -> int:
    """Bytes of `path` made of complete members (where a torn tail starts)."""
    with path.open("rb") as handle:
        return sum(length for _, _, length in _members(handle))
