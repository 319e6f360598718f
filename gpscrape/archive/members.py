"""Gzip members of a WARC file: each record is one member, checked by its CRC on reading."""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024


def read_member(handle: BinaryIO, offset: int) -> tuple[bytes, int] | None:
    """The decompressed member starting at `offset` and its compressed length; None when the
    member is torn (cut short or corrupt), or `offset` is the end of the file."""
    handle.seek(offset)
    inflater = zlib.decompressobj(wbits=31)
    parts: list[bytes] = []
    consumed = 0
    while not inflater.eof:
        chunk = handle.read(CHUNK)
        if not chunk:
            return None
        try:
            parts.append(inflater.decompress(chunk))
        except zlib.error:
            return None
        consumed += len(chunk) - len(inflater.unused_data)
    return b"".join(parts), consumed


def iter_members(path: Path) -> Iterator[tuple[int, bytes]]:
    """`(offset, data)` of every complete member of a gzip file, in order; a torn member (only
    possible as the last one of a file a crash left open) ends the file, with a warning."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        offset = 0
        while offset < size:
            member = read_member(handle, offset)
            if member is None:
                logger.warning("%s: torn gzip member at byte %d dropped (%d bytes)",
                               path.name, offset, size - offset)
                return
            data, length = member
            yield offset, data
            offset += length


def complete_length(path: Path) -> int:
    """Bytes of `path` made of complete members (where a torn tail starts)."""
    end = 0
    with path.open("rb") as handle:
        while (member := read_member(handle, end)) is not None:
            end += member[1]
    return end
