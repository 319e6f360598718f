"""The member index of a closed WARC file, kept beside it: where each response record is.

A rebuild reads the headers of the whole archive to find each page's latest response, then
replays those: without an index, the archive is inflated twice. The crawl's writer builds the
index of each file as it writes it (`IndexBuilder`, from each record before it is compressed)
and saves it when it closes the file; a closed file (`*.warc.gz`, never written again) without
one (sealed after a kill, written by an older version) is indexed by the first pass over it.
The index, `<file>.index.json`, holds each response record's offset, compressed length,
status, URL and WARC-Date, the records that could not be read and where the complete members
end (an entry for every member); a pass reads that instead of inflating the file (and gives
the same warnings). An index stamped with another size, modification time or digest of the
file's last bytes than the file has now, or that cannot be read, or whose entries do not tile
the file or do not match their digest, is ignored and written again; a folder that cannot be
written to is only read. A file still being written (`.open`) is always read. Replay checks
that each indexed record it reads is the one indexed (`gpscrape.archive.replay.read_indexed`),
so a stale index only costs time (StaleIndexError: the rebuild starts again without indexes),
never changes what is rebuilt.
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
        entry = _entry(data, path, offset, length)
        entries.append(entry)
        if entry[2]:  # a response record (not OTHER, not unreadable)
            heads.append(Head(entry[3], datetime.fromisoformat(entry[4]), entry[2], path,
                              offset, length))
    return heads, Index(FORMAT, stamp or Stamp(0, 0, ""), end, _digest(entries), entries)


def _entry(data: bytes, path: Path, offset: int, length: int, warn: bool = True) -> Entry:
    """The index entry of the member `data` (inflated) at `offset` of `path`, `length` bytes
    compressed; an unreadable record is warned of with `warn`."""
    found = parse_member(data, path, offset, with_body=False, warn=warn)
    if isinstance(found, Unreadable):
        return offset, length, None, found.error, None
    if found is None:
        return offset, length, OTHER, "", None
    return offset, length, found.status, found.url, found.date.isoformat()


class IndexBuilder:
    """The index of a WARC file being written, built from each member as it is written (no
    inflating: the writer hands over the member's data before compressing it) and saved when
    the file is closed, so that even the first rebuild finds the pages without inflating the
    whole file. The entries are held as their JSON, under a hundred bytes a record."""

    def __init__(self, path: Path) -> None:
        self.path = path  # the file being written
        self._entries = bytearray()
        self._end = 0
        self._failed: str | None = None  # why the file will keep no index

    def add(self, data: bytes, offset: int, length: int) -> None:
        """Index the member `data` (inflated), written at `offset` of the file in `length`
        bytes, right after the members added before. Never raises: the index is a cache, and
        a member it cannot follow only leaves the file without one (the write goes on)."""
        if self._failed is not None:
            return
        try:
            if offset != self._end:
                raise ValueError(f"a member at byte {offset}, not {self._end}")
            entry = _ENTRY_ENCODER.encode(_entry(data, self.path, offset, length, warn=False))
        except Exception as error:
            self._failed = str(error)
            return
        self._entries += b"," if self._entries else b""
        self._entries += entry
        self._end = offset + length

    def save(self, path: Path) -> None:
        """Save the index of `path`, the closed file (its stamp read from it now), unless a
        member could not be indexed or the file holds more than the members added."""
        stamp = _stamp(path)
        if self._failed is None and stamp.size != self._end:
            self._failed = f"{stamp.size} bytes, {self._end} indexed"
        if self._failed is not None:
            logger.warning("no member index written beside %s: %s; the first rebuild builds it",
                           path, self._failed)
            return
        entries = b"[" + self._entries + b"]"  # as `_digest` encodes them, read back by Index
        _save(path, _WrittenIndex(FORMAT, stamp, self._end, hashlib.sha256(entries).hexdigest(),
                                  msgspec.Raw(entries)))


class _WrittenIndex(msgspec.Struct, frozen=True):
    """`Index` with its entries already in JSON (`IndexBuilder`), written as they are."""

    format: int
    stamp: Stamp
    end: int
    entries_sha256: str
    entries: msgspec.Raw


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


def _save(path: Path, index: Index | _WrittenIndex) -> None:
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
_ENTRY_ENCODER = msgspec.json.Encoder()
