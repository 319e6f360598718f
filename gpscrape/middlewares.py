"""Downloader middlewares: redirects that stay on the site, retries with backoff and Retry-After."""

from __future__ import annotations

import email.utils
import time
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware, RedirectMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import task

from gpscrape.extract.w3lib_guard import is_native_panic
from gpscrape.urls import is_on_site

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class _SiteRedirects:
    """Redirect handling that reports, through the request's errback, what Scrapy would drop
    silently at scheduling time: a redirect off the site (OffsiteMiddleware) or back to a URL
    already in the chain (the dupefilter). Redirected requests skip the dupefilter: the spider's
    seen-set decides what is fetched."""

    crawler: Crawler

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if redirected.url in chain:
            raise IgnoreRequest(f"redirect loop back to {redirected.url}")
        domains = getattr(self.crawler.spider, "allowed_domains", None)
        if domains and not is_on_site(redirected.url, domains):
            raise IgnoreRequest(f"redirected off the site to {redirected.url}")
        result = super()._redirect(redirected, request, reason)  # type: ignore[misc]
        result.dont_filter = True
        return result


class SiteRedirectMiddleware(_SiteRedirects, RedirectMiddleware):
    """RedirectMiddleware (3xx) that stays on the site and reports loops."""


class SiteMetaRefreshMiddleware(_SiteRedirects, MetaRefreshMiddleware):
    """MetaRefreshMiddleware that stays on the site and reports loops, and that skips a page
    whose bytes rule a refresh out (`may_refresh`) rather than decoding it to look."""

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        if not may_refresh(response.body):
            return response
        try:
            return super().process_response(request, response)
        except BaseException as error:
            if not is_native_panic(error):
                raise
            return response  # Scrapy could not decode the page to look (see `w3lib_guard`)


# Scrapy looks for a `<meta http-equiv="refresh">` in the first 4,096 characters of a page's
# text: at most this many bytes in any encoding.
_REFRESH_SCAN = 4 * 4096


def may_refresh(body: bytes) -> bool:
    """Whether the start of a page may hold a meta refresh: False only when its bytes have no
    `refresh` in any case and no NUL (which a UTF-16 or UTF-32 page has, whose `refresh` is
    not those bytes); like w3lib's own scan of bytes, a `refresh` spelt with character
    references is not looked for."""
    window = body[:_REFRESH_SCAN]
    return b"\0" in window or b"refresh" in window.lower()


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP date), or None."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if moment is None:
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before each retry: `Retry-After` if sent, else exponential.

    Settings: `GPSCRAPE_RETRY_BACKOFF_BASE` (seconds before the first retry, doubled for each
    further one) and `GPSCRAPE_RETRY_BACKOFF_MAX` (cap for both the backoff and Retry-After).
    """

    def __init__(self, settings) -> None:
        super().__init__(settings)
        self.backoff_base = settings.getfloat("GPSCRAPE_RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("GPSCRAPE_RETRY_BACKOFF_MAX", 60.0)

    async def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Request | Response:
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self._wait(result, retry_after_seconds(response.headers.get("Retry-After")))
        return result

    async def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self._wait(result, None)
        return result

    def delay_for(self, retry_times: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `retry_times` (1-based)."""
        if retry_after is not None:
            return min(retry_after, self.backoff_max)
        return min(self.backoff_base * 2 ** (retry_times - 1), self.backoff_max)

    async def _wait(self, retry: Request, retry_after: float | None) -> None:
        delay = self.delay_for(retry.meta.get("retry_times", 1), retry_after)
        if delay > 0:
            # Imported here: importing the reactor at module level would install one.
            from twisted.internet import reactor  # noqa: PLC0415

            self.crawler.stats.inc_value("gpscrape/retry_wait_seconds", delay)
            await maybe_deferred_to_future(task.deferLater(reactor, delay, lambda: None))
