"""A Scrapy add-on that makes the per-site limit the crawl's limit: CONCURRENT_REQUESTS is held
at most CONCURRENT_REQUESTS_PER_DOMAIN.

Why: with DOWNLOAD_DELAY 0, Scrapy's downloader (2.14 to at least 2.19, asyncio reactor)
schedules each download as a task and marks it as transferring only when the task first runs,
so a slot's queue is emptied at once and a domain gets up to CONCURRENT_REQUESTS requests in
parallel whatever its own limit (measured: 7 in flight with a limit of 1). CONCURRENT_REQUESTS
is not affected: the engine counts a request from the moment it hands it to the downloader
(`Downloader.needs_backout`), and it is the limit Scrapy's maintainers point to for a hard cap
on parallel requests (scrapy/scrapy#5511). gpscrape crawls one site, so the two limits are
the same thing; holding the total also keeps a `www.` host and the bare one, two download
slots, within the one limit. A crawl's requests in flight at the server are counted by
`test_per_domain_concurrency_holds_without_delay` (tests/test_spider_policy.py), which fails
when a Scrapy upgrade changes this; tests/test_site_concurrency.py pins how the limit is set.
"""

from __future__ import annotations

from scrapy.settings import BaseSettings


class SiteConcurrency:
    """Add-on (setting ADDONS): CONCURRENT_REQUESTS lowered to CONCURRENT_REQUESTS_PER_DOMAIN,
    at the priority it was set with, so a lower `-s CONCURRENT_REQUESTS=N` still wins."""

    def update_settings(self, settings: BaseSettings) -> None:
        limit = settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")
        total = settings.getint("CONCURRENT_REQUESTS")
        if limit > 0 and (total <= 0 or total > limit):  # a total of 0: no limit
            settings.set("CONCURRENT_REQUESTS", limit,
                         priority=settings.getpriority("CONCURRENT_REQUESTS") or "project")
