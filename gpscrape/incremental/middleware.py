"""`IncrementalMiddleware`: a spider middleware that makes crawls and backfills incremental.

- Landing and listing pages are always fetched.
- An article page whose recordNo the dataset holds is not requested again, unless
  `GPSCRAPE_REFETCH` is `all` (`--refresh`) or `revalidate` (`--revalidate`: a conditional
  request with the stored ETag / Last-Modified; a 304 keeps the stored row).
- A crawl also requests the records the dataset's listings link to but does not hold (a
  resumed crawl goes on from the sidebars of the pages it had already fetched), every known
  record when refetching (so no index page or sidebar is needed to reach them), and probes the
  recordNos above the highest one known or found, until `GPSCRAPE_PROBE_MISSES` in a row are
  missing (0 turns probing off). Known pages are not fetched, so their sidebars are not seen:
  probing is what finds records published since the last run. A backfill does neither.
- Each record is requested once per run, whoever asks for it (spider or probe), except a
  probe that missed and is linked to: the page exists after all (a probe can be sent before
  the link to its record is met), so it is requested once more, untagged, and judged as any
  linked page (a `broken` page is then reported, not lost as a probe miss).
- A record the series/since filter of an earlier run left out (remembered in
  `OUTPUT/.left-out.json`, see `gpscrape.incremental.filters`) is not requested while this
  run's filter leaves it out too; a run whose filter keeps it (an unfiltered run) requests it.

Stats: `gpscrape/incremental/known`, `.../skipped_known`, `.../new`, `.../refreshed`,
`.../skipped_left_out`, `gpscrape/probes`. Probes are tagged `request.meta[GUESS] = "probe"`;
the spider's callback gives every response, a probe's or a `304`, its verdict
(`gpscrape.outcome`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from scrapy import Request, signals
from scrapy.http import Response

from gpscrape import urls
from gpscrape.disk_full import disk_full
from gpscrape.incremental.filters import RecordFilter, save_left_out
from gpscrape.incremental.state import DatasetState, load_state
from gpscrape.items import PageItem
from gpscrape.locations import output_root
from gpscrape.outcome import DISCOVERY_PRIORITY, GUESS, NOT_MODIFIED, PROBE, PROBE_MISS, VERDICT
from gpscrape.record_keys import NumberSet, RecordKeySet

REFETCH_MODES = ("none", "all", "revalidate")


class IncrementalMiddleware:
    """Filters article requests by what the dataset holds and adds probes for new records."""

    def __init__(self, crawler: Any, state: DatasetState, refetch: str, probe_misses: int,
                 output: Path | None = None) -> None:
        if refetch not in REFETCH_MODES:
            raise ValueError(f"GPSCRAPE_REFETCH must be one of {REFETCH_MODES}, not {refetch!r}")
        if probe_misses < 0:
            raise ValueError(f"GPSCRAPE_PROBE_MISSES must not be negative: {probe_misses}")
        self.crawler = crawler
        self.stats = crawler.stats
        self.state = state
        self.refetch = refetch
        self.probe_misses = probe_misses
        self.requested = RecordKeySet()  # record keys asked for in this run
        # Probes not yet answered (key -> linked to since), and probes that missed (key -> URL).
        self.probing: dict[tuple[str, int], bool] = {}
        self.missed: dict[tuple[str, int], str] = {}
        self.highest_found = state.highest
        self.probed_up_to: int | None = None
        self.output = output  # where the records filters left out are remembered
        self.found = NumberSet()  # recordNos yielded in this run
        self.stats.set_value("gpscrape/incremental/known", len(state.known))

    @classmethod
    def from_crawler(cls, crawler: Any) -> IncrementalMiddleware:
        settings = crawler.settings
        output = output_root(settings)
        middleware = cls(crawler, load_state(output), settings.get("GPSCRAPE_REFETCH") or "none",
                         settings.getint("GPSCRAPE_PROBE_MISSES", 25), output)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    @property
    def spider(self) -> Any:
        return self.crawler.spider

    # --- Scrapy hooks -----------------------------------------------------------------------
    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for item in start:
            if (item := self._filter(item)) is not None:
                yield item
        if self.spider.backfill:
            return
        again = [] if self.refetch == "none" else [v.url for v in self.state.known.values()]
        kept = [e.url for e in self.state.left_out.values()
                if self._filter_now.keeps(e.series, e.published)]
        for request in self._stored_requests([*self.state.unknown_listed(), *kept, *again]):
            yield request
        for request in self._probes():
            yield request

    def process_spider_output(self, response: Response, result: Iterable[Any],
                              spider: Any = None) -> Iterator[Any]:
        for item in result:
            if (item := self._filter(item)) is not None:
                yield item
        yield from self._probe_answered(response)
        yield from self._probes()

    async def process_spider_output_async(self, response: Response, result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        async for item in result:
            if (item := self._filter(item)) is not None:
                yield item
        # One request at a time: on a fresh crawl the first probes span every recordNo between
        # the first record found and the highest, thousands of requests that must not all be
        # held in memory at once (the scheduler puts each on disk as it comes).
        for request in self._probe_answered(response):
            yield request
        for request in self._probes():
            yield request

    # --- requests ---------------------------------------------------------------------------
    def _filter(self, item: Any) -> Any:
        if isinstance(item, PageItem):
            self._count_record(item)
            return item
        if not isinstance(item, Request):
            return item
        key = urls.record_key(item.url)
        if key is None:
            return item
        if key in self.requested:
            return self._linked_to_probe(key, item)
        self.requested.add(key)
        record_no = key[1]  # the dataset keys records by recordNo alone
        if self._left_out_again(record_no):
            self.stats.inc_value("gpscrape/incremental/skipped_left_out")
            return None
        if record_no not in self.state.known or self.refetch == "all":
            return item
        if self.refetch == "none":
            self.stats.inc_value("gpscrape/incremental/skipped_known")
            return None
        return self._conditional(item, record_no)

    def _conditional(self, request: Request, record_no: int) -> Request:
        """The request with the stored validators, sent to the stored URL they belong to (the
        site echoes the URL in the page, so another URL of the record never matches them)."""
        stored = self.state.known[record_no]
        headers = stored.headers()
        if not headers:
            return request
        allowed = [NOT_MODIFIED, *self.crawler.settings.getlist("HTTPERROR_ALLOWED_CODES")]
        url = request.url
        if urls.is_on_site(stored.url, self.spider.allowed_domains):
            url = self._on_base(stored.url)
        return request.replace(
            url=url, headers={**request.headers.to_unicode_dict(), **headers},
            meta={**request.meta, "handle_httpstatus_list": allowed},
        )

    def _stored_requests(self, stored: list[str]) -> Iterator[Request]:
        """Requests for article URLs stored in the dataset that are on the site; those on the
        base URL's host are moved to its scheme and port (the site, or a mirror, may have
        moved)."""
        for url in stored:
            if not (urls.is_article_url(url)
                    and urls.is_on_site(url, self.spider.allowed_domains)):
                continue
            request = Request(self._on_base(url), callback=self.spider.parse,
                              errback=self.spider.on_error)
            if (request := self._filter(request)) is not None:
                yield request

    def _on_base(self, url: str) -> str:
        """`url`, moved to the base URL's scheme and port when it is on the base URL's host."""
        base, parts = urlsplit(self.spider.base_url), urlsplit(url)
        if _bare_host(parts.hostname) != _bare_host(base.hostname):
            return url
        return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))

    def _probes(self) -> Iterator[Request]:
        """Probes up to `probe_misses` recordNos above the highest one known or found."""
        if self.probe_misses == 0 or self.spider.backfill or self.highest_found is None:
            return
        target = self.highest_found + self.probe_misses
        start = (self.probed_up_to or self.highest_found) + 1
        self.probed_up_to = max(self.probed_up_to or 0, target)
        template = self.crawler.settings.get("GPSCRAPE_BACKFILL_URL_TEMPLATE")
        for record_no in range(start, target + 1):
            url = urljoin(self.spider.base_url, template.format(n=record_no))
            key = urls.record_key(url)
            if key is None or key in self.requested:
                continue
            self.requested.add(key)
            if self._left_out_again(record_no):
                self.stats.inc_value("gpscrape/incremental/skipped_left_out")
                continue
            self.stats.inc_value("gpscrape/probes")
            self.probing[key] = False
            yield Request(url, callback=self.spider.parse, errback=self.spider.on_error,
                          meta={GUESS: PROBE}, priority=DISCOVERY_PRIORITY)

    def _linked_to_probe(self, key: tuple[str, int], request: Request) -> Request | None:
        """A link to a record already requested: dropped, unless a probe asked for it and
        missed (then requested again, untagged) or has not been answered yet (marked, so that
        a miss is requested again once answered)."""
        if key in self.missed:
            del self.missed[key]
            return request.replace(dont_filter=True)
        if key in self.probing:
            self.probing[key] = True
        return None

    def _probe_answered(self, response: Response) -> Iterator[Request]:
        """After a probe's verdict: a miss already linked to is requested again, untagged; a
        miss not linked to yet is remembered (`_linked_to_probe`)."""
        if response.meta.get(GUESS) != PROBE:
            return
        key = urls.record_key(response.meta.get("redirect_urls", [response.url])[0])
        linked = self.probing.pop(key, False)
        if key is None or response.meta.get(VERDICT) != PROBE_MISS:
            return
        if linked:
            yield Request(response.url, callback=self.spider.parse, errback=self.spider.on_error,
                          dont_filter=True)
        else:
            self.missed[key] = response.url

    @property
    def _filter_now(self) -> RecordFilter:
        return getattr(self.spider, "record_filter", None) or RecordFilter()

    def _left_out_again(self, record_no: int) -> bool:
        """Whether an earlier run's filter left the record out and this run's does too."""
        entry = self.state.left_out.get(record_no)
        return entry is not None and not self._filter_now.keeps(entry.series, entry.published)

    def spider_closed(self, spider: Any = None) -> None:
        """Remember the records this run's filter left out; forget those it found."""
        if self.output is not None and not disk_full(self.crawler):
            save_left_out(self.output, getattr(self.spider, "left_out", []), self.found)

    def _count_record(self, item: PageItem) -> None:
        record_no = item.record.record_no
        if record_no is None:
            return
        self.found.add(record_no)
        if self.highest_found is None or record_no > self.highest_found:
            self.highest_found = record_no
        kind = "refreshed" if record_no in self.state.known else "new"
        self.stats.inc_value(f"gpscrape/incremental/{kind}")


def _bare_host(host: str | None) -> str:
    host = (host or "").lower()
    return host[4:] if host.startswith("www.") else host
