"""Page extraction in worker processes, off the crawl's reactor (`GPSCRAPE_EXTRACT_WORKERS`).

A crawl is CPU-bound on one core long before the network limits it: reading a page into its
record costs more than everything else Scrapy does with it. With `GPSCRAPE_EXTRACT_WORKERS` at
N > 0 the spider sends each fetched page's bytes, URL and what Scrapy's decoding reads (the
response's class, its `Content-Type` and any encoding it was given) to one of N worker
processes. The worker rebuilds the response, judges it as the spider would (`judge_job`: the
page parsed once, `outcome.judge_response(from_body=True)`) and sends back the verdict (with
its record), the page's links and the body's SHA-256; the spider's callback awaits that and
goes on as it does in-process. A page is judged alike either way (tests compare them). The
worker also normalises and validates the record as the pipelines would (`checked_verdict`), so
the crawl's reactor only writes it, and sends each link URL once (`serve`).

Each worker is a fresh interpreter (`python -m gpscrape.extract_worker FD`, never a fork of the
running reactor) talking over a socket pair: frames of a 4-byte big-endian length and JSON
(nothing is unpickled): a job is its JSON header and the page's bytes (`encode_job`), a verdict
the JSON form of its record (`PageRecord.to_dict`, read back by `from_dict`).

The spider sends a page to the least busy worker that is ready (it says `ready` once its
imports are done) and holds fewer than `BACKLOG` pages; otherwise, while the workers start
and whenever they fall behind, it judges the page in-process. A page never waits for a worker
to start or to work off a long queue: pages waiting fill Scrapy's scraper up to its size limit
(about a hundred pages of 46 KB), where it stops fetching, and a page's links are followed only
once it is judged. A short crawl is better off without workers (a worker's start, its imports,
costs about as much CPU as reading a hundred pages): the spider starts them once it has judged
`GPSCRAPE_EXTRACT_WORKERS_FROM` pages itself (at 0 the crawl waits for them before its first
request).

A worker ends when its socket closes: when the crawl closes it, or when the crawl dies, even
by SIGKILL (the kernel closes the crawl's end). It ignores SIGINT and SIGTERM, so that a crawl
stopping gracefully keeps its extraction until the pages in flight are judged. A worker that
dies is an error in the log; each page it held is quarantined with the reason (`WorkerDied`),
and a new worker takes its place (at most `MAX_RESTARTS` times a slot; then the pages are
judged in-process).
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import json
import logging
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from functools import cache
from multiprocessing.connection import Connection
from pathlib import Path

import msgspec
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from gpscrape.extract import EXTRACTOR_VERSION, PageRecord
from gpscrape.extract.response import link_urls
from gpscrape.items import PageItem
from gpscrape.outcome import Verdict, judge_page, judge_response
from pipelines.normalise import normalise_record
from pipelines.validate import item_problems

logger = logging.getLogger(__name__)

READY = b"ready"
MAX_RESTARTS = 3  # new workers started in one slot after the first died
# Pages a worker may hold (sent, not yet answered) before the crawl reads the next page itself:
# as many as CONCURRENT_REQUESTS fetch at once by default, so that a wave of responses waits
# for the worker while a worker that falls behind shares its work with the reactor.
BACKLOG = 16
# Bytes the crawl's end of a worker's socket may hold (the system's cap applies): the pages in
# flight, 16 of about 46 KB, go in one write each instead of in pieces as the worker reads.
SOCKET_BUFFER = 2 * 1024 * 1024
_HEADER = struct.Struct("!i")  # a frame's length, as multiprocessing.connection writes it
_KINDS: dict[str, type[TextResponse]] = {
    "html": HtmlResponse, "xml": XmlResponse, "text": TextResponse}
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])

# What the spider sends: url, body, kind ("html", "xml", "text" or "bytes": the response's
# class), Content-Type, explicit encoding, the request's guess tag.
Job = tuple[str, bytes, str, bytes | None, str | None, str | None]
# What a worker sends back: the verdict, the URLs the page links to (`link_urls`), the body's
# SHA-256 (hex), and whether the verdict's record is already normalised and valid (`checked`).
Judged = tuple[Verdict, list[str], str, bool]


class WorkerDied(RuntimeError):
    """An extraction worker ended while it held pages (the message says which and how)."""


def job_of(response: Response, guess: str | None) -> Job:
    """What a worker needs to judge `response` as the spider would in-process."""
    if isinstance(response, XmlResponse):
        kind = "xml"
    elif isinstance(response, HtmlResponse):
        kind = "html"
    elif isinstance(response, TextResponse):
        kind = "text"
    else:
        kind = "bytes"
    # `_encoding` is the encoding a response was built with (rarely any): the first thing
    # Scrapy's decoding reads, so the worker's copy must carry it too.
    encoding = getattr(response, "_encoding", None)
    return (response.url, response.body, kind, response.headers.get(b"Content-Type"),
            encoding, guess)


def judge_job(job: Job) -> Judged:
    """The verdict on a job's page (a status of 200: the spider judges by status alone
    first), the URLs it links to, its body's SHA-256, and whether its record is `checked`."""
    url, body, kind, content_type, encoding, guess = job
    digest = hashlib.sha256(body).hexdigest()
    if kind == "bytes":
        verdict, links = judge_page(body, url, 200, guess), []
    else:
        headers = {b"Content-Type": content_type} if content_type is not None else None
        response = _KINDS[kind](url=url, body=body, headers=headers, encoding=encoding)
        verdict, links = judge_response(response, 200, guess, from_body=True,
                                        html=kind != "xml")
    verdict, checked = checked_verdict(verdict, digest)
    return verdict, link_urls(url, links, verdict.record), digest, checked


def checked_verdict(verdict: Verdict, digest: str) -> tuple[Verdict, bool]:
    """The verdict with its record normalised (`pipelines.normalise`) and whether that record
    passes validation (`pipelines.validate`, the fetch fields as the spider sets them): a
    checked record's item skips both pipelines in the crawl. A record that fails either
    comes back as it was, unchecked, for the pipelines to judge (and quarantine)."""
    record = verdict.record
    if record is None:
        return verdict, False
    try:
        record = normalise_record(record)
        item = PageItem(record=record, fetched_at=datetime.now(UTC), content_sha256=digest,
                        extractor_version=EXTRACTOR_VERSION)
        if item_problems(item):
            return verdict, False
    except Exception:  # an odd record: the pipelines judge it (and say why) as in-process
        logger.exception("could not check the record of %s", record.url)
        return verdict, False
    return Verdict(verdict.name, verdict.reason, record), True


def encode_job(job: Job) -> bytes:
    """A job as sent: the 4-byte length of its JSON header, the header, the page's bytes."""
    url, body, kind, content_type, encoding, guess = job
    header = json.dumps([url, kind, None if content_type is None
                         else content_type.decode("latin-1"), encoding, guess]).encode()
    return _HEADER.pack(len(header)) + header + body


def decode_job(frame: bytes) -> Job:
    """Inverse of `encode_job`."""
    (size,) = _HEADER.unpack_from(frame)
    url, kind, content_type, encoding, guess = json.loads(frame[4:4 + size])
    content = None if content_type is None else content_type.encode("latin-1")
    return url, frame[4 + size:], kind, content, encoding, guess


def encode_judged(judged: Judged) -> bytes:
    """A worker's answer as JSON (the record as `PageRecord.to_dict` writes it): by msgspec
    for a checked record (its types are the declared ones), else by the standard library,
    which writes whatever an odd record holds the way `to_dict` does."""
    verdict, links, digest, checked = judged
    answer = (verdict.name, verdict.reason, verdict.record, links, digest, checked)
    if checked:
        return _ENCODER.encode(answer)
    return json.dumps(answer, default=_plain).encode()


def decode_judged(frame: bytes) -> Judged:
    """Inverse of `encode_judged`: read straight into the record's classes by msgspec where
    the answer has the declared types, else through `PageRecord.from_dict`."""
    try:
        name, reason, record, links, digest, checked = _DECODER.decode(frame)
    except msgspec.ValidationError:
        name, reason, record, links, digest, checked = json.loads(frame)
        record = None if record is None else PageRecord.from_dict(record)
    return Verdict(name, reason, record), links, digest, checked


_ENCODER = msgspec.json.Encoder()
_DECODER = msgspec.json.Decoder(tuple[str, str | None, PageRecord | None, list[str], str, bool])


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
    it only: the crawl follows a URL the first time it meets it, and takes a worker's answers
    in order (the sidebars repeat most links on every page)."""
    try:
        conn.send_bytes(READY)
    except (BrokenPipeError, ConnectionResetError):
        return
    sent: set[str] = set()  # link URLs already sent: the crawl has followed them
    while True:
        try:
            job = decode_job(conn.recv_bytes())
        except EOFError:
            return
        verdict, links, digest, checked = judge_job(job)
        links = [url for url in links if url not in sent]
        sent.update(links)
        try:
            conn.send_bytes(encode_judged((verdict, links, digest, checked)))
        except (BrokenPipeError, ConnectionResetError):
            return


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


class _Worker(asyncio.Protocol):
    """The crawl's end of one worker: sends jobs, resolves their futures in order."""

    def __init__(self, pool: ExtractPool, slot: int) -> None:
        self.pool = pool
        self.slot = slot
        self.process: subprocess.Popen[bytes] | None = None
        self.transport: asyncio.Transport | None = None
        self.ready = False
        self.pending: deque[asyncio.Future[Judged]] = deque()
        self._buffer = bytearray()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        buffer = self._buffer
        buffer += data
        start = 0
        while len(buffer) - start >= 4:
            (size,) = _HEADER.unpack_from(buffer, start)
            end = start + 4 + size
            if len(buffer) < end:
                break
            frame = bytes(buffer[start + 4:end])
            start = end
            if not self.ready:
                self.ready = frame == READY
                self.pool.changed()
                continue
            future = self.pending.popleft()
            if not future.done():
                future.set_result(decode_judged(frame))
        del buffer[:start]

    def connection_lost(self, exc: Exception | None) -> None:
        self.ready = False
        self.transport = None
        closing = self.pool.closing
        message = "extraction worker closed" if closing else (
            f"extraction worker {self.describe_end()}")
        if not closing:
            logger.error("%s; %d page(s) it held are quarantined", message, len(self.pending))
        while self.pending:  # none when the pool closes after the crawl; never left waiting
            future = self.pending.popleft()
            if not future.done():
                future.set_exception(WorkerDied(message))
        if not closing:
            self.pool.replace(self)
        self.pool.changed()

    def describe_end(self) -> str:
        """`pid N ended (exit code / signal)`: how the worker's process ended."""
        process = self.process
        if process is None:
            return "ended"
        try:
            code = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return f"pid {process.pid} closed its socket"
        how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        return f"pid {process.pid} ended ({how})"

    def send(self, job: Job) -> asyncio.Future[Judged]:
        assert self.transport is not None
        future: asyncio.Future[Judged] = asyncio.get_running_loop().create_future()
        payload = encode_job(job)
        self.transport.write(_HEADER.pack(len(payload)) + payload)
        self.pending.append(future)
        return future


class ExtractPool:
    """N extraction workers; `judge` sends a page to the least busy one that is ready."""

    def __init__(self, workers: int, backlog: int = BACKLOG) -> None:
        if workers < 1:
            raise ValueError(f"an extraction pool needs at least one worker, not {workers}")
        if backlog < 1:
            raise ValueError(f"a worker's backlog must be at least 1 page, not {backlog}")
        self.size = workers
        self.backlog = backlog
        self.workers: list[_Worker] = []
        self.closing = False
        self.launched = False
        self._restarts = [0] * workers
        self._starting: set[asyncio.Task[None]] = set()
        self._change: asyncio.Event | None = None  # set (and replaced) when `ready` may change
        self._gave_up = False  # `wait_ready` timed out: pages no longer wait

    def launch(self) -> None:
        """Start the workers, in the background (each says `ready` once it can take pages;
        until one has, `ready` is False)."""
        self.launched = True
        for slot in range(self.size):
            self._start_in_background(slot)

    def _start_in_background(self, slot: int) -> None:
        task = asyncio.ensure_future(self._start_worker(slot))
        self._starting.add(task)
        task.add_done_callback(self._started)

    async def _start_worker(self, slot: int) -> None:
        ours, theirs = socket.socketpair()
        for end, option in ((ours, socket.SO_SNDBUF), (theirs, socket.SO_RCVBUF)):
            end.setsockopt(socket.SOL_SOCKET, option, SOCKET_BUFFER)
        worker = _Worker(self, slot)
        try:
            env = dict(os.environ)
            env["PYTHONPATH"] = os.pathsep.join(
                filter(None, [_PACKAGE_ROOT, env.get("PYTHONPATH")]))
            worker.process = subprocess.Popen(
                [sys.executable, "-m", "gpscrape.extract_worker", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL, env=env)
        finally:
            theirs.close()
        loop = asyncio.get_running_loop()
        await loop.create_connection(lambda: worker, sock=ours)
        self.workers.append(worker)

    def replace(self, worker: _Worker) -> None:
        """Drop a worker that ended; start another in its slot unless it has had its
        restarts (its pages then go to the others, or are judged in-process)."""
        if worker in self.workers:
            self.workers.remove(worker)
        if self.closing or self._restarts[worker.slot] >= MAX_RESTARTS:
            return
        self._restarts[worker.slot] += 1
        self._start_in_background(worker.slot)

    def _started(self, task: asyncio.Task[None]) -> None:
        self._starting.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("could not start an extraction worker: %s", task.exception())
        self.changed()

    def changed(self) -> None:
        """Wake whoever waits in `wait_ready`: a worker became ready, or one ended or could
        not start."""
        if self._change is not None:
            self._change.set()
            self._change = None

    async def wait_ready(self, timeout: float = 60.0) -> None:
        """Wait until a worker is ready, or none is `starting` any more (an error in the log
        after `timeout` seconds: from then on nobody waits, the pages are judged in-process
        until a worker is ready)."""
        deadline = time.monotonic() + timeout
        while not self.ready and self.starting:
            if self._change is None:
                self._change = asyncio.Event()
            try:
                await asyncio.wait_for(self._change.wait(), deadline - time.monotonic())
            except TimeoutError:
                if not self._gave_up:
                    logger.error("no extraction worker ready after %.0f s", timeout)
                self._gave_up = True
                return

    @property
    def ready(self) -> bool:
        """Whether a worker is ready to take a page."""
        return any(worker.ready for worker in self.workers)

    @property
    def has_room(self) -> bool:
        """Whether a ready worker holds fewer than `backlog` pages: one that can take a page
        without keeping it waiting behind a long queue."""
        return any(worker.ready and len(worker.pending) < self.backlog
                   for worker in self.workers)

    @property
    def starting(self) -> bool:
        """Whether a worker is on its way (launched, not yet ready) and worth waiting for."""
        if self.closing or self._gave_up:
            return False
        return bool(self._starting) or any(not worker.ready for worker in self.workers)

    def judge(self, response: Response, guess: str | None) -> asyncio.Future[Judged]:
        """The worker's verdict on `response` (see `judge_job`); fails with `WorkerDied`."""
        worker = min((w for w in self.workers if w.ready), key=lambda w: len(w.pending))
        return worker.send(job_of(response, guess))

    async def close(self, timeout: float = 10.0) -> None:
        """Close the workers' sockets and wait for them to end (killed after `timeout`)."""
        self.closing = True
        for task in self._starting:
            task.cancel()
        for worker in self.workers:
            if worker.transport is not None:
                worker.transport.close()
        processes = [w.process for w in self.workers if w.process is not None]
        self.workers.clear()
        self.changed()
        deadline = time.monotonic() + timeout
        while any(process.poll() is None for process in processes):
            if time.monotonic() > deadline:
                for process in processes:
                    if process.poll() is None:
                        logger.error("extraction worker %d did not end; killed", process.pid)
                        process.kill()
                        process.wait()
                break
            await asyncio.sleep(0.01)

if __name__ == "__main__":
    sys.exit(main())
