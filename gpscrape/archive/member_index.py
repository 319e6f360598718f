"""The member index of a closed WARC file, kept beside it: where each response record is.

A rebuild reads the headers of the whole archive to find each page's latest response, then
replays those: without an index, the archive is inflated twice. The first pass over a closed
file (`*.warc.gz`, never written again) saves what it found as `<file>.index.json`: each
response record's offset, compressed length, status, URL and WARC-Date, the records it could
not read and where the complete members end (an entry for every member); later passes read
that instead (and give the same warnings). An index stamped with another size, modification
time or digest of the file's last bytes than the file has now, or that cannot be read, or
whose entries do not tile the file or do not match their digest, is ignored and written
again; a folder that cannot be written to is only read. A file still being written (`.open`)
is always read. Replay checks that each indexed record it reads is the one indexed
(`gpscrape.archive.replay.read_indexed`), so a stale index only costs time (StaleIndexError:
the rebuild starts again without indexes), never changes what is rebuilt.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import msgspec

from gpscrape.archive.members import iter_member_spans, warn_torn
from gpscrape.archive.reader import Unreadable, parse_member, warc_files
from gpscrape.archive.writer import SUFFIX

logger = logging.getLogger(__name__)

INDEX_SUFFIX = ".index.json"
FORMAT = 1  # changed whenever what an index holds changes: older ones are written again
TAIL_BYTES = 64 * 1024  # the file's last bytes its stamp digests


@dataclass(frozen=True, slots=True)
class Head:
    """A response record's place in the archive and the headers a rebuild indexes it by."""

    url: str
    date: datetime
    status: int
    path: Path
    offset: int
    length: int  # of the gzip member, compressed


class StaleIndexError(RuntimeError):
    """A record read from the archive is not the one its member index names."""


class Stamp(msgspec.Struct, array_like=True, frozen=True):
    """What an index was built from: the file's size, modification time, last bytes' digest."""

    size: int
    mtime_ns: int
    tail_sha256: str


# An entry: (offset, length, status, URL, WARC-Date in ISO form) of a response record;
# (offset, length, None, the error, None) of a record that could not be read; (offset, length,
# OTHER, "", None) of a record of another type. One entry a member: they tile the file.
Entry = tuple[int, int, int | None, str, str | None]
OTHER = 0


class Index(msgspec.Struct, frozen=True):
    """An index file's content."""

    format: int
    stamp: Stamp
    end: int  # where the complete members end (a torn tail starts)
    entries_sha256: str  # of the entries' JSON: a damaged index is not read
    entries: list[Entry]


def index_path(path: Path) -> Path:
    """Where the index of the WARC file `path` is kept."""
    return path.with_name(path.name + INDEX_SUFFIX)


def response_heads(directory: Path, use_index: bool = True) -> Iterator[Head]:
    """The head of every response record of the archive in `directory`, in archive order, as
    `iter_responses` reads them (unreadable records and torn tails warned of and left out);
    with `use_index`, from each closed file's index, built when missing or stale."""
    for path in warc_files(directory):
        if use_index and path.name.endswith(SUFFIX):
            yield from _indexed(path)
        else:
            yield from _scan(path)[0]


def remove_indexes(directory: Path) -> None:
    """Remove the index of every WARC file in `directory`."""
    for path in warc_files(directory):
        index_path(path).unlink(missing_ok=True)


def _indexed(path: Path) -> list[Head]:
    """The heads of a closed file, from its index when it is current, else read and indexed."""
    stamp = _stamp(path)
    heads = _load(path, stamp)
    if heads is None:
        heads, index = _scan(path, stamp)
        _save(path, index)
    return heads


def _scan(path: Path, stamp: Stamp | None = None) -> tuple[list[Head], Index]:
    """The heads of every response record of `path`, inflating it, and its index."""
    heads: list[Head] = []
    entries: list[Entry] = []
    end = 0
    for offset, data, length in iter_member_spans(path):
        end = offset + length
        found = parse_member(data, path, offset, with_body=False)
        if isinstance(found, Unreadable):
            entries.append((offset, length, None, found.error, None))
        elif found is None:
            entries.append((offset, length, OTHER, "", None))
        else:
            heads.append(Head(found.url, found.date, found.status, path, offset, length))
            entries.append((offset, length, found.status, found.url, found.date.isoformat()))
    return heads, Index(FORMAT, stamp or Stamp(0, 0, ""), end, _digest(entries), entries)


def _load(path: Path, stamp: Stamp) -> list[Head] | None:
    """The heads an index of `path` holds; None when it is missing, damaged (its entries do
    not tile the file's members or their digest differs) or stale (another stamp)."""
    try:
        index = _DECODER.decode(index_path(path).read_bytes())
    except (OSError, msgspec.DecodeError):
        return None
    if (index.format != FORMAT or index.stamp != stamp or index.end > stamp.size
            or not _tiles(index.entries, index.end)
            or _digest(index.entries) != index.entries_sha256):
        return None
    heads, skipped = [], []
    try:
        for offset, length, status, text, date in index.entries:
            if status is None:
                skipped.append(Unreadable(offset, text))
            elif status != OTHER:
                heads.append(Head(text, datetime.fromisoformat(date), status, path, offset,
                                  length))
    except (TypeError, ValueError):  # a date that is not one
        return None
    for unreadable in skipped:
        unreadable.warn(path)
    warn_torn(path, index.end, stamp.size)
    return heads


def _tiles(entries: list[Entry], end: int) -> bool:
    """Whether the entries' members follow each other from the start of the file to `end`."""
    position = 0
    for offset, length, *_ in entries:
        if offset != position or length <= 0:
            return False
        position += length
    return position == end


def _digest(entries: list[Entry]) -> str:
    return hashlib.sha256(msgspec.json.encode(entries)).hexdigest()


def _save(path: Path, index: Index) -> None:
    """Write the index beside `path` (replaced whole, never half written); a folder that
    cannot be written to keeps none."""
    target = index_path(path)
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(msgspec.json.encode(index))
        os.replace(temporary, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        logger.info("no member index written beside %s: %s", path, error)


def _stamp(path: Path) -> Stamp:
    with path.open("rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        mtime_ns = os.fstat(handle.fileno()).st_mtime_ns
        handle.seek(max(size - TAIL_BYTES, 0))
        tail = handle.read(TAIL_BYTES)
    return Stamp(size, mtime_ns, hashlib.sha256(tail).hexdigest())


_DECODER = msgspec.json.Decoder(Index)
