"""Reading WARC files back: the response records, with their place in the archive."""

from __future__ import annotations

import io
import logging
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from gpscrape.archive.members import iter_member_spans, read_member
from gpscrape.archive.writer import GUESS_HEADER, OPEN_SUFFIX, SUFFIX
from gpscrape.settings import DOWNLOAD_MAXSIZE

# A decoded body larger than this is refused, as the crawl refuses it (a compression bomb); 0:
# no cap, as for Scrapy. The default of the settings: commands pass their resolved cap
# (`gpscrape.locations.Locations.max_body`), so `-s DOWNLOAD_MAXSIZE=...` applies to both.
MAX_BODY = DOWNLOAD_MAXSIZE

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ArchivedResponse:
    """One archived response; `body` has its content coding (gzip, deflate) removed."""

    url: str
    date: datetime
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    path: Path
    offset: int
    guess: str | None = None  # the crawl's tag of a guessed request (probe, backfill)

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


class ArchiveError(ValueError):
    """An archived response that cannot be used (e.g. an unknown content coding)."""


def warc_files(directory: Path) -> list[Path]:
    """The archive's WARC files in the order they were written (open ones included)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted([*directory.glob(f"*{SUFFIX}"), *directory.glob(f"*{SUFFIX}{OPEN_SUFFIX}")])


def iter_responses(directory: Path, with_body: bool = True, files: list[Path] | None = None
                   ) -> Iterator[ArchivedResponse]:
    """Every response record of every WARC file (or of `files`), in archive order; torn tails
    are dropped. With `with_body=False` the bodies are left empty (a quicker index pass)."""
    for path in warc_files(directory) if files is None else files:
        for offset, data, _ in iter_member_spans(path):
            response = parse_member(data, path, offset, with_body)
            if isinstance(response, ArchivedResponse):
                yield response


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A WARC record that could not be read: where it is, and why."""

    offset: int
    error: str

    def warn(self, path: Path) -> None:
        logger.warning("skipping an unreadable WARC record at byte %d of %s: %s",
                       self.offset, path, self.error)


def parse_member(data: bytes, path: Path, offset: int, with_body: bool = True,
                 warn: bool = True) -> ArchivedResponse | Unreadable | None:
    """The response record in the member `data` (at `offset` of `path`); None for a record of
    another type; an `Unreadable` (warned of, with `warn`) for a record that cannot be read."""
    try:
        return _parse(data, path, offset, with_body)
    except (ArchiveError, ArchiveLoadFailed, ValueError, TypeError, KeyError,
            AttributeError) as error:
        skipped = Unreadable(offset, str(error))
        if warn:
            skipped.warn(path)
        return skipped


def run_id_of(path: Path) -> str | None:
    """The run id in a WARC file's name (`gpscrape-<run id>-<n>.warc.gz[.open]`), or None."""
    name = Path(path).name.removesuffix(OPEN_SUFFIX).removesuffix(SUFFIX)
    if not name.startswith("gpscrape-") or name.count("-") < 2:
        return None
    return name.removeprefix("gpscrape-").rsplit("-", 1)[0]


def warcinfo(path: Path) -> dict[str, str]:
    """The fields of a WARC file's leading warcinfo record (empty when it has none)."""
    with Path(path).open("rb") as handle:
        member = read_member(handle, 0)
    if member is None:
        return {}
    for record in ArchiveIterator(io.BytesIO(member[0])):
        if record.rec_type != "warcinfo":
            return {}
        text = record.content_stream().read().decode("utf-8", "replace")
        pairs = (line.partition(":") for line in text.splitlines())
        return {name.strip(): value.strip() for name, sep, value in pairs if sep}
    return {}


def read_response(path: Path, offset: int, max_size: int = MAX_BODY) -> ArchivedResponse:
    """The response record stored in the gzip member at `offset` of `path`; its body decoded
    up to `max_size` bytes (ArchiveError beyond; 0: no cap)."""
    with Path(path).open("rb") as handle:
        return response_at(handle, Path(path), offset, max_size)


def response_at(handle: BinaryIO, path: Path, offset: int, max_size: int = MAX_BODY,
                length: int | None = None) -> ArchivedResponse:
    """`read_response` from `handle`, an open file of `path` (for many reads of one file); with
    `length`, the member's compressed length, read in one go (`read_member`)."""
    member = read_member(handle, offset, length)
    response = None if member is None else response_in(member[0], path, offset, max_size)
    if response is None:
        raise ArchiveError(f"no complete response record at byte {offset} of {path}")
    return response


def response_in(data: bytes, path: Path, offset: int, max_size: int = MAX_BODY
                ) -> ArchivedResponse | None:
    """The response record in the member `data`, its body decoded up to `max_size` bytes
    (ArchiveError beyond); None for a record of another type."""
    return _parse(data, path, offset, True, max_size)


def _parse(data: bytes, path: Path, offset: int, with_body: bool,
           max_size: int = MAX_BODY) -> ArchivedResponse | None:
    record = _plain_record(data)
    if record is IRREGULAR:
        record = _warcio_record(data)
    if record is None:
        return None
    fields, status, headers, body = record
    return ArchivedResponse(
        url=fields["warc-target-uri"],
        date=_parse_date(fields["warc-date"]),
        status=status,
        headers=headers,
        body=_decoded(body, headers, max_size) if with_body else b"",  # content coding removed
        path=path,
        offset=offset,
        guess=fields.get(GUESS_HEADER.lower()),
    )


# A response record read: its WARC fields (lower-case names, the first of each kept), the HTTP
# status, the HTTP headers and the body as archived (content coding kept).
Record = tuple[dict[str, str], int, list[tuple[str, str]], bytes]
IRREGULAR = object()  # what `_plain_record` returns for a record it leaves to warcio
_WARC_LINES = (b"WARC/1.1\r\n", b"WARC/1.0\r\n")
_HTTP_LINES = (b"HTTP/1.1 ", b"HTTP/1.0 ")
_HEAD_END = b"\r\n\r\n"


def _plain_record(data: bytes) -> Record | None | object:
    """The response record in `data` as warcio reads it, without warcio's per-line stream
    reads, for a record laid out as gpscrape's writer writes one (CRLF lines, `Name: value`
    fields, a `Content-Length` the data holds, UTF-8 headers); None for a record of another
    type; IRREGULAR for anything else, which `_warcio_record` reads instead."""
    if not data.startswith(_WARC_LINES) or (end := data.find(_HEAD_END)) < 0:
        return IRREGULAR
    fields = _fields(data[10:end])
    if fields is None or "warc-type" not in fields:
        return IRREGULAR
    if fields["warc-type"] != "response":
        return None
    uri, length = fields.get("warc-target-uri", ""), fields.get("content-length", "")
    if (not uri.startswith(("http:", "https:")) or " " in uri or not length.isdigit()
            or not length.isascii() or len(data) < end + 4 + int(length)):
        return IRREGULAR
    block = data[end + 4:end + 4 + int(length)]
    if not block.startswith(_HTTP_LINES) or (head := block.find(_HEAD_END)) < 0:
        return IRREGULAR
    status_end = block.find(b"\r\n")
    status_line = block[9:status_end]
    status = status_line.split(None, 1)
    headers = _fields(block[status_end + 2:head], as_list=True) if status_end < head else []
    if headers is None or not status or not status[0].isdigit() or b"\n" in status_line:
        return IRREGULAR
    return fields, int(status[0]), headers, block[head + 4:]


def _fields(text: bytes, as_list: bool = False) -> dict[str, str] | list | None:
    """`Name: value` lines (CRLF-separated) as a dict of lower-case names (first wins) or as a
    list of (name, value); None when a line is not plainly one field (warcio then reads it)."""
    try:
        lines = text.decode("utf-8").split("\r\n")
    except UnicodeDecodeError:
        return None
    pairs = []
    for line in lines:
        name, sep, value = line.partition(":")
        if not sep or not name or name[0] in " \t" or "\n" in line or not line.strip():
            return None
        pairs.append((name.rstrip(" \t"), value.strip()))
    if as_list:
        return pairs
    found: dict[str, str] = {}
    for name, value in pairs:
        found.setdefault(name.lower(), value)
    return found


def _warcio_record(data: bytes) -> Record | None:
    """The response record in `data` read by warcio (any record it can read); None for a
    record of another type."""
    for record in ArchiveIterator(io.BytesIO(data), no_record_parse=False):
        if record.rec_type != "response" or record.http_headers is None:
            return None
        rec_headers = record.rec_headers
        fields = {name: rec_headers.get_header(name)
                  for name in ("warc-target-uri", "warc-date", GUESS_HEADER.lower())}
        return ({k: v for k, v in fields.items() if v is not None},
                int(record.http_headers.get_statuscode()), list(record.http_headers.headers),
                record.raw_stream.read())
    return None


def _decoded(body: bytes, headers: list[tuple[str, str]], max_size: int) -> bytes:
    codings = [v.strip().lower() for k, v in headers if k.lower() == "content-encoding"]
    for coding in reversed([c for value in codings for c in value.split(",") if c.strip()]):
        coding = coding.strip()
        if coding == "identity":
            continue
        if coding in ("gzip", "x-gzip"):
            decoded = _inflate(body, 47, max_size)
        elif coding == "deflate":
            decoded = _inflate(body, 15, max_size)
            if decoded is None:
                decoded = _inflate(body, -15, max_size)
        else:
            raise ArchiveError(f"unsupported Content-Encoding {coding!r}")
        if decoded is None:
            raise ArchiveError(f"body is not complete {coding} data")
        body = decoded
    return body


def _inflate(data: bytes, wbits: int, max_size: int) -> bytes | None:
    """`data` decompressed (zlib `wbits`), or None when it is not one complete stream;
    ArchiveError when it decodes to more than `max_size` bytes."""
    inflater = zlib.decompressobj(wbits)
    try:
        body = inflater.decompress(data, max_size + 1 if max_size > 0 else 0)
    except zlib.error:
        return None
    if 0 < max_size < len(body):
        raise ArchiveError(f"decoded body larger than {max_size} bytes (a compression bomb?)")
    return body if inflater.eof else None


def _parse_date(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)
