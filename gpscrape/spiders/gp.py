"""Spider `gp`: discover and fetch every article and listing page of the site, once per record.

Arguments (`-a NAME=VALUE`, or the `gpscrape crawl`/`backfill` options):
`base_url` (else setting `GPSCRAPE_BASE_URL`), `series` (canonical name, case-insensitive),
`since` (a date dateparser understands: `2024-01-01`, `3 months ago`; records without a
publication date are left out), `limit` (max article records; the crawl then closes with
reason `limit_reached`), `seeds` (comma-separated article URLs, relative to the base URL,
or bare recordNos; else setting `GPSCRAPE_SEEDS`), and for a backfill `backfill_from`,
`backfill_to` and `url_template` (else setting `GPSCRAPE_BACKFILL_URL_TEMPLATE`, with `{n}`
for the recordNo).

A crawl starts from the base URL, the landing pages `GPSCRAPE_START_PATHS` and the seeds, and
follows every on-site link to an article script or a listing page; none of them needs to exist.
Each record (recordNo) is requested once, under the first URL met. A backfill requests exactly
the recordNos of its range and follows no links.

Every response gets its one verdict here (`gpscrape.outcome`: record, listing, index, missing,
broken, quarantined, probe_miss, unchanged, filtered, duplicate), and every request that got
no usable response `failed` (after retries, or redirected off the site or in a loop) or
`robots_refused`. `verdicts` counts them in the stats (`gpscrape/verdict/<name>`) and keeps
the `(url, reason)` of the missing, broken, quarantined and failed pages, which the run's
summary and report read. Backfill requests are tagged `request.meta[GUESS] = "backfill"`
(probes are tagged by the incremental middleware). `left_out` holds the records series/since
left out (the incremental middleware remembers them).

With `GPSCRAPE_EXTRACT_WORKERS` > 0 the extraction worker processes start with the crawl
(`gpscrape.extract_pool`), and a page is judged in one whenever one is ready and not behind
(`ExtractPool.has_room`; when no request waits to be fetched, only one that holds fewer than
`FINAL_BACKLOG` pages), or, while they start, once one is ready when the crawl has judged
`GPSCRAPE_EXTRACT_WORKERS_FROM` pages itself and fewer than a worker's backlog of pages wait
for them; else here. The callback then returns a coroutine that awaits the worker's verdict
(its record already normalised and validated: a `CheckedPageItem`) and links, and goes on
exactly as in-process; a worker that died quarantines the page with the reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Awaitable, Coroutine, Generator, Iterator
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import dateparser
from scrapy import Request, Spider, signals
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.asyncio import is_asyncio_available
from twisted.python.failure import Failure

from gpscrape import urls
from gpscrape.archive.middleware import WARC_DATE
from gpscrape.content_version import Version
from gpscrape.extract import EXTRACTOR_VERSION, PageRecord
from gpscrape.extract.response import link_urls
from gpscrape.extract_pool import FINAL_BACKLOG, ExtractPool, WorkerDied
from gpscrape.extract_worker import Judged
from gpscrape.incremental.filters import LeftOut, RecordFilter
from gpscrape.items import CheckedPageItem, PageItem, QuarantineItem
from gpscrape.outcome import (
    BACKFILL,
    DISCOVERY_PRIORITY,
    DUPLICATE,
    FAILED,
    FILTERED,
    GUESS,
    LISTING,
    QUARANTINED,
    RECORD,
    ROBOTS_REFUSED,
    VERDICT,
    Verdict,
    Verdicts,
    by_status,
    judge_page,
    judge_response,
)
from gpscrape.recent import RecentSet
from gpscrape.record_keys import RecordKeySet

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

_ROBOTS_REFUSAL = "Forbidden by robots.txt"
WORKER_PAGES = "gpscrape/extract_worker/pages"  # stats key: pages an extraction worker judged
# Link URLs the spider remembers judging (4,096 to twice as many, under 1.5 MiB): the sidebars'
# links recur on nearby pages; a URL met again later is judged again and dropped as a record or
# page seen.
SEEN_LINKS = 4_096
# What Scrapy caches on a `TextResponse` once read: its decoded text and its parsel `Selector`.
_RESPONSE_CACHES = ("_cached_ubody", "_cached_selector")


def parse_since(text: str) -> date:
    """A `since` argument (`2024-01-01`, `3 months ago`) as a date; ValueError if unreadable."""
    parsed = dateparser.parse(
        text, settings={"PREFER_DATES_FROM": "past", "DATE_ORDER": "DMY", "STRICT_PARSING": False}
    )
    if parsed is None:
        raise ValueError(f"cannot read the date {text!r}")
    return parsed.date()


def _count(value: Any, name: str) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an integer, not {value!r}") from None
    if number < 0:
        raise ValueError(f"{name} must not be negative, not {number}")
    return number


class GpSpider(Spider):
    """Crawl (or backfill) the Global Politics site into PageItem / QuarantineItem."""

    name = "gp"

    def __init__(
        self,
        base_url: str | None = None,
        series: str | None = None,
        since: str | None = None,
        limit: str | int | None = None,
        backfill_from: str | int | None = None,
        backfill_to: str | int | None = None,
        url_template: str | None = None,
        seeds: str | list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._base_url_arg = base_url
        self.series = series.strip().casefold() if series else None
        self.since = parse_since(since) if since else None
        self.limit = _count(limit, "limit") if limit not in (None, "") else None
        if self.limit == 0:
            raise ValueError("limit must be at least 1")
        self.backfill = None
        if backfill_from not in (None, "") or backfill_to not in (None, ""):
            first = _count(backfill_from, "backfill_from")
            last = _count(backfill_to, "backfill_to")
            if last < first:
                raise ValueError(f"backfill_to ({last}) is below backfill_from ({first})")
            self.backfill = (first, last)
        self._url_template = url_template
        self._seeds = seeds.split(",") if isinstance(seeds, str) else seeds
        self.verdicts = Verdicts()  # also counted in the crawler's stats
        self.left_out: list[LeftOut] = []  # records series/since left out (not limit)
        self._seen_records = RecordKeySet()
        self._seen_pages: set[str] = set()
        self._seen_links = RecentSet(SEEN_LINKS)  # the records and pages: _seen_records/_pages
        self._article_records = 0
        self._newest_record = -1  # the highest recordNo requested (crawl)
        self._extract_pool: ExtractPool | None = None  # set by `start` (workers > 0)
        self._workers_from = 0  # pages judged here before pages wait for starting workers
        self._judged_here = 0
        self._waiting = 0  # pages waiting for a starting worker
        if base_url:
            self._configure(base_url)

    def _configure(self, base_url: str) -> None:
        if urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError(f"base URL must be http(s): {base_url!r}")
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.allowed_domains = urls.site_domains(self.base_url)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> GpSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        if not spider._base_url_arg:
            spider._configure(crawler.settings.get("GPSCRAPE_BASE_URL"))
        if spider._url_template is None:
            spider._url_template = crawler.settings.get("GPSCRAPE_BACKFILL_URL_TEMPLATE")
        if spider.backfill and "{n}" not in (spider._url_template or ""):
            raise ValueError(f"url_template needs {{n}} for the recordNo: {spider._url_template!r}")
        if spider._seeds is None:
            spider._seeds = crawler.settings.getlist("GPSCRAPE_SEEDS")
        crawler.signals.connect(spider._stop_workers, signal=signals.spider_idle)
        return spider

    # --- requests ---------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Request]:
        workers = self.settings.getint("GPSCRAPE_EXTRACT_WORKERS")
        self._workers_from = self.settings.getint("GPSCRAPE_EXTRACT_WORKERS_FROM")
        if workers < 0 or self._workers_from < 0:
            raise ValueError("GPSCRAPE_EXTRACT_WORKERS and GPSCRAPE_EXTRACT_WORKERS_FROM must "
                             f"not be negative: {workers}, {self._workers_from}")
        if workers and is_asyncio_available():  # workers talk to the reactor's asyncio loop
            self._extract_pool = ExtractPool(workers)
            # Started now, in the background: their imports overlap robots.txt and the first
            # pages, which the crawl reads itself meanwhile (FROM 0: it waits for them).
            self._extract_pool.launch()
            if self._workers_from == 0:
                await self._extract_pool.wait_ready()
        if self.backfill:
            urls_ = [self._record_url(n) for n in range(self.backfill[0], self.backfill[1] + 1)]
        else:
            paths = ["", *self.settings.getlist("GPSCRAPE_START_PATHS")]
            urls_ = [urljoin(self.base_url, path) for path in paths]
            urls_ += [self._seed_url(seed) for seed in self._seeds if seed.strip()]
        for url in urls_:
            request = self._request_once(url)
            if request is not None:
                yield request.replace(meta={GUESS: BACKFILL}) if self.backfill else request

    def _record_url(self, record_no: int) -> str:
        return urljoin(self.base_url, self._url_template.format(n=record_no))

    def _seed_url(self, seed: str) -> str:
        seed = seed.strip()
        return self._record_url(int(seed)) if seed.isdigit() else urljoin(self.base_url, seed)

    def _request_once(self, url: str, key: tuple[str, int] | None = None) -> Request | None:
        """A request for `url` unless its record (`key`, computed when not given) or, for other
        pages, the URL was seen; with `DISCOVERY_PRIORITY` for a page that is no record and
        for the newest record yet (in a crawl)."""
        key = key or urls.record_key(url)
        if key is not None:
            if key in self._seen_records:
                return None
            self._seen_records.add(key)
            if key[1] > self._newest_record and not self.backfill:
                self._newest_record = key[1]
                return Request(url, callback=self.parse, errback=self.on_error,
                               priority=DISCOVERY_PRIORITY)
        else:
            page = urls.page_key(url)
            if page in self._seen_pages:
                return None
            self._seen_pages.add(page)
            return Request(url, callback=self.parse, errback=self.on_error,
                           priority=DISCOVERY_PRIORITY)
        return Request(url, callback=self.parse, errback=self.on_error)

    def _follow(self, links: list[str]) -> Iterator[Request]:
        """Requests for the pages of `links` (absolute URLs, `link_urls`) worth fetching."""
        if self.backfill:
            return
        for url in links:
            if url in self._seen_links:  # sidebars repeat most links: judge a URL once (lately)
                continue
            self._seen_links.add(url)
            if not urls.is_on_site(url, self.allowed_domains):
                continue
            key = urls.record_key(url)
            if key is None and not urls.is_listing_url(url):
                continue
            request = self._request_once(url, key)
            if request is not None:
                yield request

    # --- responses --------------------------------------------------------------------

    def parse(self, response: Response) -> Iterator[Any] | Coroutine[Any, Any, Iterator[Any]]:
        """Give the response its verdict, yield its item, follow its links (a coroutine when
        an extraction worker judges the page)."""
        guess = response.meta.get(GUESS)
        early = by_status(response.status, guess)
        pool = self._extract_pool
        if early is None and pool is not None:
            if pool.has_room and (not self._nothing_queued()
                                  or pool.has_room_under(FINAL_BACKLOG)):
                # sent now, so that the next page sees the worker's backlog
                return self._parse_in_worker(response, pool.judge(response, guess))
            if (pool.starting and self._judged_here >= self._workers_from
                    and self._waiting < pool.backlog):
                self._waiting += 1  # counted now, so that the next page sees it
                return self._parse_once_ready(response, guess)
            self._judged_here += 1
        return self._parse_here(response, guess, early)

    def _nothing_queued(self) -> bool:
        """Whether no request waits in the scheduler: the pages in flight are the crawl's last
        unless those being read link to more."""
        try:
            scheduler = self.crawler.engine.scheduler
        except RuntimeError:  # no engine: the spider is not crawling (tests drive it)
            return False
        return scheduler is not None and not scheduler.has_pending_requests()

    def _parse_here(self, response: Response, guess: str | None,
                    early: Verdict | None) -> Iterator[Any]:
        """`parse` in this process."""
        if early is not None:
            verdict, hrefs = early, []
        elif isinstance(response, TextResponse):  # one parse: the record and links from one tree
            verdict, hrefs = judge_response(response, response.status, guess)
            release_parse(response)
        else:
            verdict, hrefs = judge_page(response.body, response.url, response.status, guess), []
        return self._judged(response, verdict, link_urls(response.url, hrefs, verdict.record))

    async def _parse_once_ready(self, response: Response, guess: str | None) -> Iterator[Any]:
        """`parse` of a page met while the workers start: by a worker once one is ready, here
        if none can take it then."""
        pool = self._extract_pool
        try:
            await pool.wait_ready()
        finally:
            self._waiting -= 1  # counted by `parse`
        if pool.has_room:
            return await self._parse_in_worker(response, pool.judge(response, guess))
        return self._parse_here(response, guess, None)

    async def _parse_in_worker(self, response: Response,
                               judged: Awaitable[Judged]) -> Iterator[Any]:
        """`parse` of a page sent to an extraction worker, once `judged` is its answer."""
        try:
            verdict, links, digest, version = await judged
        except WorkerDied as error:
            verdict, links, digest, version = Verdict(QUARANTINED, str(error)), [], None, None
        self.crawler.stats.inc_value(WORKER_PAGES)
        return self._judged(response, verdict, links, digest, version)

    def _judged(self, response: Response, verdict: Verdict, links: list[str],
                digest: str | None = None, version: Version | None = None) -> Iterator[Any]:
        """Yield the judged response's item, count its verdict, follow its links (`digest`:
        the body's SHA-256 when already known; `version`: given when the record is already
        normalised and valid, its content version, see `extract_worker.checked_verdict`)."""
        record = verdict.record
        if verdict.name == QUARANTINED:
            yield self._quarantine(response, verdict.reason, digest)
        if record is not None:
            verdict = yield from self._emit(record, response, digest, version)
        self.verdicts.add(verdict.name, response.url, verdict.reason, self.crawler.stats)
        response.meta[VERDICT] = verdict.name  # read by the incremental middleware (probes)
        yield from self._follow(links)

    def _quarantine(self, response: Response, reason: str,
                    digest: str | None = None) -> QuarantineItem:
        return QuarantineItem(
            url=response.url,
            reason=reason,
            fetched_at=fetched_at(response),
            record_no=urls.record_no_of(response.url),
            content_sha256=digest or hashlib.sha256(response.body).hexdigest(),
            extractor_version=EXTRACTOR_VERSION,
        )

    def _is_new_after_redirect(self, response: Response) -> bool:
        """False when a redirect led to a record already fetched under another URL."""
        if not response.meta.get("redirect_urls"):
            return True
        key = urls.record_key(response.url)
        requested = urls.record_key(response.meta["redirect_urls"][0])
        if key is None or key == requested:
            return True
        if key in self._seen_records:
            return False
        self._seen_records.add(key)
        return True

    def _emit(self, record: PageRecord, response: Response, digest: str | None = None,
              version: Version | None = None) -> Generator[PageItem, None, Verdict]:
        """Yield the record's item, if wanted (a `CheckedPageItem` when its `version` is
        given); returns the page's verdict (a limit reached closes the spider once that
        verdict is counted)."""
        fetch = {"fetched_at": fetched_at(response),
                 "content_sha256": digest or hashlib.sha256(response.body).hexdigest(),
                 "extractor_version": EXTRACTOR_VERSION, "etag": _header(response, "ETag"),
                 "last_modified": _header(response, "Last-Modified")}
        item = (PageItem(record=record, **fetch) if version is None
                else CheckedPageItem(record=record, **fetch, version=version))
        if record.record_no is None:
            yield item
            return Verdict(LISTING, record=record)
        if not self._is_new_after_redirect(response):
            return Verdict(DUPLICATE, "redirected to a record already fetched", record)
        if not self._wanted(record):
            if not self.record_filter.keeps(record.series, record.published):
                self.left_out.append(LeftOut(record.record_no, record.url, record.series,
                                             record.published))
            return Verdict(FILTERED, "left out by series/since/limit", record)
        self._article_records += 1
        yield item
        if self.limit is not None and self._article_records >= self.limit:
            self.verdicts.add(RECORD, response.url, stats=self.crawler.stats)
            raise CloseSpider("limit_reached")
        return Verdict(RECORD, record=record)

    @property
    def record_filter(self) -> RecordFilter:
        """The run's series/since/limit (recorded with its archive, used by recovery)."""
        return RecordFilter(self.series, self.since, self.limit)

    def _wanted(self, record: PageRecord) -> bool:
        if self.limit is not None and self._article_records >= self.limit:
            return False
        return self.record_filter.keeps(record.series, record.published)

    def _stop_workers(self) -> None:
        """At idle every page is judged and the crawl closes: the extraction workers end
        meanwhile, while the dataset publishes (a page met after all, when an extension keeps
        the crawl open, is judged here)."""
        if self._extract_pool is not None:
            self._extract_pool.stop()

    async def closed(self, reason: str) -> None:
        """End the extraction workers (the crawl's pages are all judged by now)."""
        if self._extract_pool is not None:
            await self._extract_pool.close()

    def on_error(self, failure: Failure) -> Iterator[QuarantineItem]:
        """Report a request that failed for good (after retries), or count a robots.txt refusal."""
        request = failure.request
        url = request.meta.get("redirect_urls", [request.url])[0]  # as requested, before redirects
        if failure.check(HttpError):
            reason = f"HTTP {failure.value.response.status}"
        elif failure.check(IgnoreRequest):
            reason = failure.getErrorMessage()
            if reason == _ROBOTS_REFUSAL:
                self.verdicts.add(ROBOTS_REFUSED, url, reason, self.crawler.stats)
                return
        else:
            reason = download_error(failure.value)
        self.verdicts.add(FAILED, url, reason, self.crawler.stats)
        self.logger.error("Request failed for good: %s (%s)", url, reason)
        yield QuarantineItem(
            url=url,
            reason=f"request failed: {reason}",
            fetched_at=datetime.now(UTC),
            record_no=urls.record_no_of(url),
        )


def download_error(error: BaseException) -> str:
    """`Type: message` of a download error, where a message that is Twisted's list of failures
    is replaced by their own `Type: message`; an empty message leaves the type alone."""
    message = str(error).strip()
    reasons = getattr(error.__cause__, "reasons", None)
    if reasons and message.startswith("[<"):
        message = "; ".join(download_error(getattr(r, "value", r)) for r in reasons)
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def fetched_at(response: Response) -> datetime:
    """When the response was received: its archived WARC-Date (what a rebuild reads back),
    else now (archiving off, or a response from Scrapy's HTTP cache)."""
    return response.meta.get(WARC_DATE) or datetime.now(UTC)


def release_parse(response: TextResponse) -> None:
    """Drop the parsed tree and decoded text Scrapy keeps on a response once the page is
    judged here (Scrapy decodes and parses it again if anything asks). The response itself
    lives on until its item and links have passed the archive and the pipelines: tens of
    pages at once when the crawl reads its last pages itself, and the tree and text of a
    46 KB page hold about 370 KiB. Kept, they raised the crawl process's peak by some 25 MiB
    on a 20,000-record mirror (`benchmarks/memory_crawl.py`)."""
    for cache in _RESPONSE_CACHES:
        if hasattr(response, cache):  # Scrapy's own slots: gone in a version without them
            setattr(response, cache, None)


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value is not None else None
