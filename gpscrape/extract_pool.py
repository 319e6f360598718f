"""The crawl's end of the extraction workers (`gpscrape.extract_worker`): `ExtractPool` starts
them, sends each the pages it takes (`job_of`) and resolves each page's future with the
worker's answer, in order.

The spider sends a page to the least busy worker that is ready (it says `ready` once its
imports are done) and holds fewer than `BACKLOG` pages. The spider starts the workers with the
crawl, so that their imports (about 0.2 s of CPU) overlap robots.txt and the first pages; it
judges the first `GPSCRAPE_EXTRACT_WORKERS_FROM` pages itself meanwhile (the landing and
listing pages, whose links the crawl needs at once), then up to `BACKLOG` pages wait for the
workers (at FROM 0 the crawl waits for them before its first request). Past that, and
whenever the workers fall behind, the spider judges the page in-process: pages waiting fill
Scrapy's scraper up to its size limit (about a hundred pages of 46 KB), where it stops
fetching, and a page's links are followed only once it is judged, while a page read on the
reactor costs it as much again as the rest of its work on the page. A crawl that ends before
a worker is ready kills it (it holds no page).

A worker ends when its socket closes: when the crawl closes it, or when the crawl dies, even
by SIGKILL (the kernel closes the crawl's end). A worker that dies is an error in the log;
each page it held is quarantined with the reason (`WorkerDied`), and a new worker takes its
place (at most `MAX_RESTARTS` times a slot; then the pages are judged in-process).
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import subprocess
import sys
import time
from collections import deque
from pathlib import Path

from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse

from gpscrape.extract_worker import FRAME_HEADER, READY, Job, Judged, decode_judged, encode_job

logger = logging.getLogger(__name__)

MAX_RESTARTS = 3  # new workers started in one slot after the first died
# Pages a worker may hold (sent, not yet answered), and pages that may wait for the workers to
# start, before the crawl reads the next page itself: three times as many as CONCURRENT_REQUESTS
# fetch at once by default (2.2 MB of 46 KB pages, under the 5 MB at which Scrapy's scraper
# stops the downloads). A page read on the reactor costs it more than the worker's queue: the
# reactor is the crawl's busiest thread (measured on a loaded machine: with 16, and no page
# waiting for a starting worker, the reactor read 15-25% of the pages itself and its CPU per
# page rose by 0.45 ms; with 32 and waiting, by 0.33 ms).
BACKLOG = 48
# Pages a worker may hold while no request waits to be fetched (the crawl's last pages are in
# flight, or it waits for links): the spider reads the others itself, on the reactor, which
# has no downloads left to serve, so that they are read on two cores instead of waiting in
# one worker's queue (a page takes a worker about 2.5 ms, the crawl's process about 4).
FINAL_BACKLOG = 2
# Bytes the crawl's end of a worker's socket may hold (the system's cap applies): the pages in
# flight, 16 of about 46 KB, go in one write each instead of in pieces as the worker reads.
SOCKET_BUFFER = 2 * 1024 * 1024
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])


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
            (size,) = FRAME_HEADER.unpack_from(buffer, start)
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
        self.transport.write(FRAME_HEADER.pack(len(payload)) + payload)
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
        self._restarts = [0] * workers
        self._starting: set[asyncio.Task[None]] = set()
        self._change: asyncio.Event | None = None  # set (and replaced) when `ready` may change
        self._gave_up = False  # `wait_ready` timed out: pages no longer wait
        self._ending: list[subprocess.Popen[bytes]] = []  # stopped, waited for by `close`

    def launch(self) -> None:
        """Start the workers, in the background (each says `ready` once it can take pages;
        until one has, `ready` is False)."""
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
        self.workers.append(worker)  # from now on, `close` ends it however far it got
        try:
            await asyncio.get_running_loop().create_connection(lambda: worker, sock=ours)
        except BaseException:  # cancelled by `close`
            ours.close()
            raise

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
        return self.has_room_under(self.backlog)

    def has_room_under(self, pages: int) -> bool:
        """Whether a ready worker holds fewer than `pages` pages."""
        return any(worker.ready and len(worker.pending) < pages for worker in self.workers)

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

    def stop(self) -> None:
        """Close the workers' sockets: each ends once it has read its last page (`close` waits
        for that); a worker not ready yet holds no page and is killed at once (a short crawl
        does not wait for its imports). Pages met later are for the crawl's own process."""
        self.closing = True
        for task in self._starting:
            task.cancel()
        for worker in self.workers:
            if worker.transport is not None:
                worker.transport.close()
            if worker.process is not None:
                if not worker.ready:
                    worker.process.kill()
                self._ending.append(worker.process)
        self.workers.clear()
        self.changed()

    async def close(self, timeout: float = 10.0) -> None:
        """`stop`, and wait for the workers to end (killed after `timeout`)."""
        self.stop()
        processes = self._ending
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
