"""`WarcWriter`: request/response pairs to gzip WARC files, rolled over by size, crash-safe.

Each exchange is written and flushed to the operating system before `write` returns, so a killed
process (SIGKILL) loses nothing. Forcing the bytes to the disk (fsync) takes about a millisecond
and would stall the crawl's reactor thread on every response; a background thread does it
instead, for all the writes of `sync_interval` seconds at once. A power loss or an operating
system crash can therefore cost the responses of the last `sync_interval` seconds (plus the time
one fsync takes); closing or rolling over a file fsyncs it on the spot.

Each record is one gzip member compressed by ISA-L (`isal`, which the archive's reader inflates
with too) at `GZIP_LEVEL`: the crawl compresses every response, on the archive middleware's
writing thread. Measured on 47 KB mirror pages: 0.07 ms a page at ISA-L's level 1 against
0.33 ms at zlib's level 1 (0.76 at zlib's 6, warcio's own writer uses 9), for members of the
same size (0.19 of the page against zlib level 1's 0.20). The members are plain gzip: any
reader inflates them.
"""

from __future__ import annotations

import fcntl
import io
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from isal import isal_zlib
from warcio.statusandheaders import StatusAndHeaders
from warcio.timeutils import datetime_to_iso_date
from warcio.warcwriter import WARCWriter as _WarcioWriter

from gpscrape import __version__
from gpscrape.archive.members import complete_length
from gpscrape.dataset.layout import fsync_dir
from gpscrape.locations import Locations

if TYPE_CHECKING:
    from gpscrape.archive.member_index import IndexBuilder

logger = logging.getLogger(__name__)

SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".open"
# Headers that described the transfer, not the body as archived (Scrapy hands over the body
# with its chunked transfer coding already removed).
_TRANSFER_HEADERS = frozenset({b"transfer-encoding"})

Headers = list[tuple[str, str]]
# A response record's field naming the tag of a guessed request (`gpscrape.outcome.GUESS`:
# probe, backfill), so that a rebuild judges the page as the crawl did.
GUESS_HEADER = "GPSCRAPE-Guess"

GZIP_LEVEL = 1  # ISA-L level of each record's gzip member (0 fastest, 3 smallest)


@dataclass(frozen=True, slots=True)
class Exchange:
    """One request and the response received for it."""

    url: str
    method: str
    request_headers: Headers
    request_body: bytes
    status: int
    response_headers: Headers
    body: bytes  # as received: content-coded (gzip...) when the server said so
    date: datetime  # timezone-aware, when the response was received
    guess: str | None = None  # why a page that may not exist was asked for (GUESS_HEADER)


def header_pairs(headers: object) -> Headers:
    """Scrapy `Headers` (bytes keys, lists of bytes values) as `(name, value)` text pairs."""
    pairs: Headers = []
    for name, values in headers.items():  # type: ignore[attr-defined]
        if name.lower() in _TRANSFER_HEADERS:
            continue
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


class WarcWriter:
    """Appends exchanges to `directory/gpscrape-<run_id>-<n>.warc.gz.open`, one gzip member per
    record, each exchange flushed; a file over `max_bytes` is closed (renamed without `.open`,
    its member index saved beside it: `gpscrape.archive.member_index`) and the next one
    started.

    `sync_interval`: seconds between the background fsyncs that group the writes (see the
    module's docstring); 0 fsyncs every exchange before `write` returns. `info`: extra fields
    for each file's warcinfo record (e.g. the run's filters).
    """

    def __init__(self, directory: Path, run_id: str, max_bytes: int | None = None,
                 sync_interval: float = 1.0, info: dict[str, str] | None = None) -> None:
        if max_bytes is None:  # the setting's default (GPSCRAPE_WARC_MAX_BYTES)
            max_bytes = Locations.from_environment().warc_max_bytes
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {max_bytes}")
        if sync_interval < 0:
            raise ValueError(f"sync_interval must not be negative, not {sync_interval}")
        self.directory = Path(directory)
        self.run_id = run_id
        self.max_bytes = max_bytes
        self.sync_interval = sync_interval
        self.info = dict(info or {})
        self._number = 0
        self._path: Path | None = None
        self._handle: io.BufferedWriter | None = None
        self._members: GzipMembers | None = None
        self._warc: _WarcioWriter | None = None
        self._index: IndexBuilder | None = None
        self._syncer: BackgroundSync | None = None

    def open(self) -> WarcWriter:
        self.directory.mkdir(parents=True, exist_ok=True)
        seal_open_files(self.directory)
        if self.sync_interval > 0 and self._syncer is None:
            self._syncer = BackgroundSync(self.sync_interval)
        return self

    def write(self, exchange: Exchange) -> None:
        """Write the request and response records of one exchange and flush them to the
        operating system; fsync them now (`sync_interval` 0) or with the next background sync.
        Raises the `OSError` of a failed background fsync."""
        if self._syncer is not None:
            self._syncer.check()
        if self._warc is None:
            self._start_file()
        assert self._warc is not None and self._handle is not None
        date = datetime_to_iso_date(exchange.date.astimezone(UTC).replace(tzinfo=None),
                                    use_micros=True)
        response = self._warc.create_warc_record(
            exchange.url, "response", payload=io.BytesIO(exchange.body),
            length=len(exchange.body), warc_headers_dict={"WARC-Date": date,
                               **({GUESS_HEADER: exchange.guess} if exchange.guess else {})},
            http_headers=StatusAndHeaders(_status_line(exchange.status),
                                          exchange.response_headers, protocol="HTTP/1.1"),
        )
        request = self._warc.create_warc_record(
            exchange.url, "request", payload=io.BytesIO(exchange.request_body),
            length=len(exchange.request_body), warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
            http_headers=StatusAndHeaders(f"{exchange.method} {_target(exchange.url)} HTTP/1.1",
                                          exchange.request_headers, is_http_request=True),
        )
        self._warc.write_record(request)
        self._warc.write_record(response)
        self._handle.flush()
        if self._syncer is None:
            os.fsync(self._handle.fileno())
        else:
            self._syncer.pending(self._handle)
        if self._handle.tell() >= self.max_bytes:
            self._close_file()

    def close(self) -> None:
        """Close the current file (fsynced; it loses its `.open` suffix); stop the syncs."""
        self._close_file()
        if self._syncer is not None:
            self._syncer.stop()
            self._syncer = None

    def __enter__(self) -> WarcWriter:
        return self.open()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _start_file(self) -> None:
        self._number += 1
        name = f"gpscrape-{self.run_id}-{self._number:05d}{SUFFIX}"
        self._path = self.directory / f"{name}{OPEN_SUFFIX}"
        self._handle = self._path.open("xb")
        fcntl.flock(self._handle, fcntl.LOCK_EX)  # held while open: sealing skips live files
        # Imported here: the member index reads the archive with what this module defines.
        from gpscrape.archive.member_index import IndexBuilder  # noqa: PLC0415

        self._index = IndexBuilder(self._path)
        self._members = GzipMembers(self._handle, on_member=self._index.add)
        self._warc = _WarcioWriter(self._members, gzip=False, warc_version="1.1")
        info = self._warc.create_warcinfo_record(name, {
            "software": f"gpscrape/{__version__}",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                          "warc-format/warc-1.1/",
            **self.info,
        })
        self._warc.write_record(info)

    def _close_file(self) -> None:
        if self._handle is None or self._path is None:
            return
        if self._syncer is not None:
            self._syncer.detach()  # waits for a background fsync of this file to end
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._handle.close()
        closed = _closed_name(self._path)
        os.replace(self._path, closed)
        fsync_dir(self.directory)
        self._save_index(closed)
        self._handle = self._members = self._warc = self._path = self._index = None

    def _save_index(self, closed: Path) -> None:
        """Save the member index of the file just closed; a failure only costs the first
        rebuild the time to build it (the index is a cache)."""
        if self._index is None:
            return
        try:
            self._index.save(closed)
        except Exception:
            logger.warning("no member index written beside %s; the first rebuild builds it",
                           closed, exc_info=True)


class GzipMembers:
    """A writable stream for warcio's (uncompressed) writer: what is written between two
    flushes, one WARC record, becomes one gzip member of `out` at ISA-L's `level`, compressed
    in one call (warcio writes a record in pieces of at most 16 KiB; each call to the
    compressor is a switch of Python's lock on the writing thread). `on_member`, when given,
    gets each member written: its data (uncompressed), offset and compressed length."""

    def __init__(self, out: io.BufferedWriter, level: int = GZIP_LEVEL,
                 on_member: Callable[[bytes, int, int], None] | None = None) -> None:
        self.out = out
        self.level = level
        self.on_member = on_member
        self._pieces: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._pieces.append(data)
        return len(data)

    def flush(self) -> None:
        """End the current member."""
        if self._pieces:
            data = b"".join(self._pieces)
            compressor = isal_zlib.compressobj(self.level, isal_zlib.DEFLATED,
                                               isal_zlib.MAX_WBITS + 16)
            member = compressor.compress(data) + compressor.flush()
            offset = self.out.tell()
            self.out.write(member)
            self._pieces = []
            if self.on_member is not None:
                self.on_member(data, offset, len(member))


class BackgroundSync:
    """A thread that fsyncs the file last handed to `pending`, at most once per `interval`
    seconds, so that the writing thread never waits for the disk."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._handle: io.BufferedWriter | None = None
        self._lock = threading.Lock()  # held while a file is fsynced, and to change `_handle`
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._error: OSError | None = None
        self._thread = threading.Thread(target=self._run, name="gpscrape-warc-fsync",
                                        daemon=True)
        self._thread.start()

    def pending(self, handle: io.BufferedWriter) -> None:
        """`handle` holds flushed writes not yet on the disk."""
        self._handle = handle
        self._wake.set()

    def detach(self) -> None:
        """Forget the current file (about to be closed), once a running fsync of it ends."""
        with self._lock:
            self._handle = None

    def check(self) -> None:
        """Raise the error of a failed background fsync, once."""
        error, self._error = self._error, None
        if error is not None:
            raise error

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            if self._stopping.is_set():
                return
            self._wake.clear()
            with self._lock:
                if self._handle is not None:
                    try:
                        os.fsync(self._handle.fileno())
                    except OSError as error:
                        self._error = error
            self._stopping.wait(self.interval)  # the next interval's writes share one fsync


def seal_open_files(directory: Path) -> list[Path]:
    """Close the files a killed writer left open: cut a torn last member, drop `.open`.
    A file still locked by a live writer (another crawl) is left alone."""
    sealed = []
    for path in sorted(Path(directory).glob(f"*{SUFFIX}{OPEN_SUFFIX}")):
        with path.open("r+b") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            good = complete_length(path)
            if good < path.stat().st_size:
                logger.warning("%s: cutting a torn record (%d bytes)", path.name,
                               path.stat().st_size - good)
                handle.truncate(good)
                os.fsync(handle.fileno())
            target = _closed_name(path)
            os.replace(path, target)
        sealed.append(target)
    if sealed:
        fsync_dir(Path(directory))
    return sealed


def _closed_name(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(OPEN_SUFFIX))


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Unknown"


def _target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


