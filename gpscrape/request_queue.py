"""The crawl's pending requests on disk, so that its memory does not grow with the site.

The series indexes list every article, so a crawl of a 20,000-record site holds some 17,000
requests in Scrapy's scheduler at once: in memory, about 6 KB each (the request, its headers,
its meta), 100 MiB in all. With `JOBDIR` set, Scrapy's scheduler keeps them in disk queues
instead (pickled, last in first out like its memory queue), and the peak memory of a crawl
stays near that of a small site's.

Unless the user sets `JOBDIR` (Scrapy's pause and resume, then left as it is), each crawl gets
its own folder, `OUTPUT/.queue/<run id>/`, removed when the crawl ends. Folders that a killed
crawl left are removed when the next crawl of the same output starts, while it holds the
dataset's lock (`clear_stale_queues`), so a running crawl's queue is never touched.

The queue is Scrapy's own (`DiskQueue`, through `SCHEDULER_DISK_QUEUE`), except that a full
disk stops the crawl with the one message of `gpscrape.disk_full` instead of an error per
request (the request that did not fit waits in memory while the crawl closes), and that the
newest `GPSCRAPE_QUEUE_IN_MEMORY` requests wait in memory, on top of those on disk: a request
costs about 0.15 ms of the reactor's time to go through the disk (its pickling, the file's
truncation, and above all the request built again when it comes back), and most requests a
page yields are fetched soon after (last in, first out), so they never need to. The order is
the disk queue's own: every request in memory is newer than every one on disk, and the oldest
in memory goes on top of the disk when there are too many. Closing the queue moves them all to
disk (a `JOBDIR` the user set keeps them for Scrapy's resume).
"""

from __future__ import annotations

import contextlib
import shutil
from collections import deque
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.squeues import PickleLifoDiskQueue

from gpscrape.disk_full import is_disk_full, stop_crawl

QUEUE_DIR = ".queue"
NO_DUPEFILTER = "scrapy.dupefilters.BaseDupeFilter"  # filters nothing


def queues_root(output: Path) -> Path:
    """Where the crawls of the dataset under `output` queue their requests."""
    return Path(output) / QUEUE_DIR


def clear_stale_queues(output: Path) -> None:
    """Remove the queues killed crawls left; call it only while holding the dataset's lock."""
    shutil.rmtree(queues_root(output), ignore_errors=True)


def use_own_queue(settings: Any, output: Path, run_id: str) -> Path | None:
    """Point `JOBDIR` at this run's own queue folder, unless the user set `JOBDIR`; returns
    the folder to remove when the crawl ends (None when the user's).

    With its own folder a crawl is never resumed, so Scrapy's dupefilter is off too (unless
    the user chose one): the spider's seen-sets already request each record and page once,
    and the dupefilter would only repeat them for every request (its URL canonicalised and
    hashed, the digest held in memory and appended to the folder). A `JOBDIR` the user set
    keeps it, for Scrapy's resume."""
    if settings.get("JOBDIR"):
        return None
    folder = queues_root(output) / run_id
    settings.set("JOBDIR", str(folder), priority="cmdline")
    settings.set("DUPEFILTER_CLASS", NO_DUPEFILTER, priority="project")  # a user's `-s` wins
    return folder


def remove_queue(folder: Path | None) -> None:
    """Remove a run's own queue folder (and the queues root, when it is left empty)."""
    if folder is None:
        return
    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):  # not empty (a user's folder) or already gone
        folder.parent.rmdir()


class DiskQueue(PickleLifoDiskQueue):
    """Scrapy's pickled last-in-first-out disk queue, stopping the crawl on a full disk, with
    its newest requests (`GPSCRAPE_QUEUE_IN_MEMORY`) kept in memory."""

    def __init__(self, crawler: Crawler, key: str) -> None:
        super().__init__(crawler, key)
        self._crawler = crawler
        self._folder = Path(key).parent
        self._names: dict[Any, str] = {}  # a spider method's function -> its name
        self._newest: deque[Request] = deque()  # on top of the disk's, oldest first
        self._keep = crawler.settings.getint("GPSCRAPE_QUEUE_IN_MEMORY")

    def push(self, request: Request) -> None:
        """Queue `request` (the oldest kept in memory, when there are too many, goes to
        disk); `ValueError` when it names no method of the spider, or on a full disk, which
        also stops the crawl (one message): Scrapy's scheduler then keeps `request` in
        memory instead."""
        self._name(request.callback)  # a request the disk could not take is refused now
        self._name(request.errback)
        self._newest.append(request)
        if len(self._newest) <= self._keep:
            return
        oldest = self._newest.popleft()
        try:
            self._push_on_disk(oldest)
        except ValueError:
            self._newest.appendleft(oldest)
            self._newest.pop()  # `request`, which Scrapy now keeps
            raise

    def pop(self) -> Request | None:
        if self._newest:
            return self._newest.pop()
        return super().pop()

    def peek(self) -> Request | None:
        if self._newest:
            return self._newest[-1]
        return super().peek()

    def __len__(self) -> int:
        return len(self._newest) + super().__len__()

    def close(self) -> None:
        """Move the requests kept in memory to disk, oldest first, and close the file."""
        try:
            while self._newest:
                self._push_on_disk(self._newest[0])
                self._newest.popleft()
        except ValueError:  # a full disk (the crawl is stopping): they are not kept
            self._newest.clear()
        super().close()

    def _push_on_disk(self, request: Request) -> None:
        """Write `request` on top of the disk's; on a full disk, stop the crawl (one
        message) and raise `ValueError`."""
        try:
            super(PickleLifoDiskQueue, self).push(self._as_dict(request))  # pickled
        except OSError as error:
            if not is_disk_full(error):
                raise
            stop_crawl(self._crawler, self._folder, error)
            raise ValueError(f"no space left to queue {request.url} on disk") from error

    def _as_dict(self, request: Request) -> dict[str, Any]:
        """`request.to_dict(spider=...)`, the spider's methods named once each (Scrapy looks
        a callback up among all the spider's members for every request it queues)."""
        callback, errback = request.callback, request.errback
        request.callback = request.errback = None
        try:
            data = request.to_dict()
        finally:
            request.callback, request.errback = callback, errback
        data["callback"], data["errback"] = self._name(callback), self._name(errback)
        return data

    def _name(self, method: Any) -> str | None:
        """The name of the spider's `method`; `ValueError` (kept in memory) for any other
        callable, as Scrapy's own queue does."""
        if method is None:
            return None
        function = getattr(method, "__func__", None)
        name = self._names.get(function)
        if name is None:
            name = getattr(method, "__name__", "")
            bound = getattr(self.spider, name, None)
            if function is None or getattr(bound, "__func__", None) is not function:
                raise ValueError(f"{method!r} is not a method of the spider")
            self._names[function] = name
        return name
