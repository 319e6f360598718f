"""Page extraction in worker processes, off the crawl's reactor (`GPSCRAPE_EXTRACT_WORKERS`).

A crawl is CPU-bound on one core long before the network limits it: reading a page into its
record costs more than everything else Scrapy does with it. With `GPSCRAPE_EXTRACT_WORKERS` at
N > 0 the spider sends each fetched page's bytes, URL and what Scrapy's decoding reads (the
response's class, its `Content-Type` and any encoding it was given) to one of N worker
processes (`gpscrape.extract_pool`, the crawl's end). The worker judges the page as the spider
would (`judge_job`) and sends back the verdict (with its record), the page's links and the
body's SHA-256; the spider's callback awaits that and goes on as it does in-process. A page
is judged alike either way (tests compare them). The worker also normalises and validates the
record as the pipelines would, and hashes its content version as the dataset's history does
(`checked_verdict`), so the crawl's reactor only writes it, and
sends a link URL once while it recurs (`serve`), and gives its heap's free memory back to the OS
every few seconds (`gpscrape.heap`).

An HTML page whose encoding Scrapy would take from its headers or its own declaration, and
whose text that decoding and ours agree on, is parsed once from its bytes
(`outcome.judge_html`); any other page is rebuilt as the Scrapy response the spider had and
judged from it (`outcome.judge_response(from_body=True)`). Scrapy is imported for those only:
without it a worker starts in about half the time.

Each worker is a fresh interpreter (`python -m gpscrape.extract_worker FD`, never a fork of the
running reactor) talking over a socket pair: frames of a 4-byte big-endian length and JSON
(nothing is unpickled): a job is its JSON header and the page's bytes (`encode_job`), a verdict
the JSON form of its record (`PageRecord.to_dict`, read back by `from_dict`). It says `ready`
once its imports are done, and ends when its socket closes: when the crawl closes it, or when
the crawl dies, even by SIGKILL. It ignores SIGINT and SIGTERM, so that a crawl stopping
gracefully keeps its extraction until the pages in flight are judged.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import signal
import struct
import sys
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from functools import cache
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

import msgspec

from gpscrape.content_version import Version, version_of
from gpscrape.extract import EXTRACTOR_VERSION, PageRecord
from gpscrape.extract.response import link_urls
from gpscrape.heap import PeriodicRelease
from gpscrape.items import PageItem
from gpscrape.outcome import Verdict, judge_html, judge_page, judge_response
from gpscrape.recent import RecentSet
from pipelines.normalise import normalise_record
from pipelines.validate import item_problems

if TYPE_CHECKING:
    from scrapy.http import TextResponse

logger = logging.getLogger(__name__)

READY = b"ready"
FRAME_HEADER = struct.Struct("!i")  # a frame's length, as multiprocessing.connection writes it
# Link URLs a worker remembers having sent (4,096 to twice as many, under 1.5 MiB): a sidebar's
# links recur on the pages read near it; one sent again is dropped by the crawl as seen.
SENT_LINKS = 4_096

# What the spider sends: url, body, kind ("html", "xml", "text" or "bytes": the response's
# class), Content-Type, explicit encoding, the request's guess tag.
Job = tuple[str, bytes, str, bytes | None, str | None, str | None]
# What a worker sends back: the verdict, the URLs the page links to (`link_urls`), the body's
# SHA-256 (hex), and the content version of the verdict's record when that record is already
# normalised and valid (checked), else None.
Judged = tuple[Verdict, list[str], str, Version | None]


def judge_job(job: Job) -> Judged:
    """The verdict on a job's page (a status of 200: the spider judges by status alone
    first), the URLs it links to, its body's SHA-256, and its record's version if checked."""
    url, body, kind, content_type, encoding, guess = job
    digest = hashlib.sha256(body).hexdigest()
    if kind == "bytes":
        verdict, links = judge_page(body, url, 200, guess), []
    else:
        judged = judge_html(body, url, content_type, encoding, guess) if kind == "html" else None
        if judged is None:
            judged = judge_response(_response_of(job), 200, guess, from_body=True,
                                    html=kind != "xml")
        verdict, links = judged
    verdict, version = checked_verdict(verdict, digest)
    return verdict, link_urls(url, links, verdict.record), digest, version


def _response_of(job: Job) -> TextResponse:
    """The Scrapy response of a job's page, as the spider had it."""
    # Imported here, for the pages that need it only: Scrapy is half a worker's start.
    from scrapy.http import HtmlResponse, TextResponse, XmlResponse  # noqa: PLC0415

    url, body, kind, content_type, encoding, _guess = job
    kinds: dict[str, type[TextResponse]] = {
        "html": HtmlResponse, "xml": XmlResponse, "text": TextResponse}
    headers = {b"Content-Type": content_type} if content_type is not None else None
    return kinds[kind](url=url, body=body, headers=headers, encoding=encoding)


def checked_verdict(verdict: Verdict, digest: str) -> tuple[Verdict, Version | None]:
    """The verdict with its record normalised (`pipelines.normalise`) and, when that record
    passes validation (`pipelines.validate`, the fetch fields as the spider sets them), its
    content version (`version_of`): a checked record's item skips both pipelines in the crawl,
    and the dataset's history takes its version as it is. A record that fails either comes
    back as it was, unchecked (None), for the pipelines to judge (and quarantine)."""
    record = verdict.record
    if record is None:
        return verdict, None
    try:
        record = normalise_record(record)
        item = PageItem(record=record, fetched_at=datetime.now(UTC), content_sha256=digest,
                        extractor_version=EXTRACTOR_VERSION)
        if item_problems(item):
            return verdict, None
        version = version_of(record)
    except Exception:  # an odd record: the pipelines judge it (and say why) as in-process
        logger.exception("could not check the record of %s", record.url)
        return verdict, None
    return Verdict(verdict.name, verdict.reason, record), version


def encode_job(job: Job) -> bytes:
    """A job as sent: the 4-byte length of its JSON header, the header, the page's bytes."""
    url, body, kind, content_type, encoding, guess = job
    header = json.dumps([url, kind, None if content_type is None
                         else content_type.decode("latin-1"), encoding, guess]).encode()
    return FRAME_HEADER.pack(len(header)) + header + body


def decode_job(frame: bytes) -> Job:
    """Inverse of `encode_job`."""
    (size,) = FRAME_HEADER.unpack_from(frame)
    url, kind, content_type, encoding, guess = json.loads(frame[4:4 + size])
    content = None if content_type is None else content_type.encode("latin-1")
    return url, frame[4 + size:], kind, content, encoding, guess


def encode_judged(judged: Judged) -> bytes:
    """A worker's answer as JSON (the record as `PageRecord.to_dict` writes it): by msgspec
    for a checked record (its types are the declared ones), else by the standard library,
    which writes whatever an odd record holds the way `to_dict` does."""
    verdict, links, digest, version = judged
    answer = (verdict.name, verdict.reason, verdict.record, links, digest, version)
    if version is not None:
        return _ENCODER.encode(answer)
    return json.dumps(answer, default=_plain).encode()


def decode_judged(frame: bytes) -> Judged:
    """Inverse of `encode_judged`: read straight into the record's classes by msgspec where
    the answer has the declared types, else through `PageRecord.from_dict`."""
    try:
        name, reason, record, links, digest, version = _DECODER.decode(frame)
    except msgspec.ValidationError:  # an unchecked record's answer: it has no version
        name, reason, record, links, digest, _ = json.loads(frame)
        record, version = None if record is None else PageRecord.from_dict(record), None
    return Verdict(name, reason, record), links, digest, version


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(
    tuple[str, str | None, PageRecord | None, list[str], str, Version | None])


def _plain(value: object) -> object:
    """A record (or a record inside one) as its fields, a date as its ISO form: what
    `PageRecord.to_dict` gives, one level at a time."""
    if isinstance(value, date):
        return value.isoformat()
    if is_dataclass(value) and not isinstance(value, type):
        return {name: getattr(value, name) for name in _field_names(type(value))}
    raise TypeError(f"not part of a page record: {type(value).__name__}")


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def serve(conn: Connection) -> None:
    """Judge the jobs `conn` brings, in order, until it closes (even before the worker is
    ready: a short crawl may end first). A link URL goes back with the first page that has
    it, and not again while the worker remembers sending it (the latest `SENT_LINKS`; the
    sidebars repeat most links on every page): the crawl follows a URL the first time it
    meets it, and takes a worker's answers in order. Every few seconds the worker's free heap
    memory goes back to the OS."""
    try:
        conn.send_bytes(READY)
    except (BrokenPipeError, ConnectionResetError):
        return
    sent = RecentSet(SENT_LINKS)  # link URLs sent lately: the crawl has followed them
    release = PeriodicRelease()
    while True:
        try:
            job = decode_job(conn.recv_bytes())
        except EOFError:
            return
        verdict, links, digest, version = judge_job(job)
        links = [url for url in links if url not in sent]
        for url in links:
            sent.add(url)
        try:
            conn.send_bytes(encode_judged((verdict, links, digest, version)))
        except (BrokenPipeError, ConnectionResetError):
            return
        release()


def main(argv: Sequence[str] | None = None) -> int:
    """Worker entry point: `python -m gpscrape.extract_worker FD` (FD: its socket)."""
    args = sys.argv[1:] if argv is None else argv
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING,
                        format="%(asctime)s [extract worker %(process)d] %(levelname)s: "
                               "%(message)s")
    # Its imports frozen (the collector's older passes no longer scan them), the thresholds
    # left as they are: raised as in the crawl's process, the garbage a page leaves in cycles
    # waited longer for a collection, and a 10,000-record crawl's worker peaked ~20 MiB higher.
    gc.freeze()
    serve(Connection(int(args[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
