"""A Scrapy downloader that keeps CONCURRENT_REQUESTS_PER_DOMAIN when there is no delay.

Scrapy 2.19 (asyncio reactor) takes a request out of a slot's queue and only *schedules* its
download task; the task marks the request as transferring when it first runs. With
DOWNLOAD_DELAY 0, `_process_queue` therefore empties the whole queue at once, and a domain
gets up to CONCURRENT_REQUESTS parallel requests whatever its own limit (measured: 9 in flight
with a limit of 1). With a delay, Scrapy releases one request per call and is not affected.
This subclass reserves the transfer slot before scheduling the task; the task's own
bookkeeping then adds (no-op) and removes it as usual.
"""

from __future__ import annotations

from time import monotonic

from scrapy.core.downloader import Downloader, Slot
from scrapy.utils.asyncio import call_later
from scrapy.utils.defer import _schedule_coro


class SlotLimitedDownloader(Downloader):
    """Downloader whose per-slot concurrency holds with or without a download delay."""

    def _process_queue(self, slot: Slot) -> None:
        if slot.latercall:
            return
        now = monotonic()
        delay = slot.download_delay()
        if delay:
            penalty = delay - now + slot.lastseen
            if penalty > 0:
                slot.latercall = call_later(penalty, self._latercall, slot)
                return
        while slot.queue and slot.free_transfer_slots() > 0:
            slot.lastseen = now
            request, queue_dfd = slot.queue.popleft()
            slot.transferring.add(request)  # reserved now: the download task starts later
            _schedule_coro(self._wait_for_download(slot, request, queue_dfd))
            if delay:
                self._process_queue(slot)
                break
