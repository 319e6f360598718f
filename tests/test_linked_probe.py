"""A probe that missed but whose record a page links to is requested again, untagged: a probe
can be sent before the link to its record is met, and a broken page must not pass for a miss."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from gpscrape.incremental.middleware import IncrementalMiddleware
from gpscrape.incremental.state import DatasetState
from gpscrape.outcome import GUESS, PROBE, PROBE_MISS, RECORD, VERDICT

BASE = "http://127.0.0.1:9/"
TEMPLATE = "view_cir_articles.php?url=Conflict%20Weekly&recordNo={n}"
LINK = BASE + "TWTW_view_articles.php?url=The%20World%20This%20Week&recordNo=12"


def middleware() -> IncrementalMiddleware:
    """The middleware of a first crawl of the site at 127.0.0.1:9 that has found record 10."""
    crawler = get_crawler(settings_dict={"GPSCRAPE_BACKFILL_URL_TEMPLATE": TEMPLATE})
    crawler.spider = SimpleNamespace(allowed_domains=["127.0.0.1"], base_url=BASE,
                                     backfill=None, parse=print, on_error=print)
    found = IncrementalMiddleware(crawler, DatasetState(), "none", 3)
    found.highest_found = 10
    return found


def probe_for(mw: IncrementalMiddleware, record_no: int) -> Request:
    return next(r for r in mw._probes() if r.url.endswith(f"recordNo={record_no}"))


def answered(mw: IncrementalMiddleware, probe: Request, verdict: str) -> list[Request]:
    """What the middleware adds once the spider judged the probe's response `verdict`."""
    response = HtmlResponse(probe.url, body=b"<html></html>", request=probe)
    response.meta[VERDICT] = verdict
    return list(mw.process_spider_output(response, [], None))


def test_a_link_met_after_the_probe_missed_is_requested_again_untagged() -> None:
    mw = middleware()
    probe = probe_for(mw, 12)
    assert probe.meta[GUESS] == PROBE
    assert not [r for r in answered(mw, probe, PROBE_MISS) if r.url.endswith("recordNo=12")]
    again = mw._filter(Request(LINK))
    assert again is not None and again.url == LINK and again.dont_filter
    assert GUESS not in again.meta
    assert mw._filter(Request(LINK)) is None  # once only


def test_a_link_met_before_the_probe_missed_is_requested_once_the_miss_is_known() -> None:
    mw = middleware()
    probe = probe_for(mw, 12)
    assert mw._filter(Request(LINK)) is None  # the probe is on its way
    again = [r for r in answered(mw, probe, PROBE_MISS) if r.url == probe.url]
    assert len(again) == 1 and again[0].dont_filter and GUESS not in again[0].meta
    assert mw._filter(Request(LINK)) is None


def test_a_probe_that_found_its_record_drops_the_links_to_it() -> None:
    mw = middleware()
    probe = probe_for(mw, 12)
    assert mw._filter(Request(LINK)) is None
    assert not [r for r in answered(mw, probe, RECORD) if r.url == probe.url]
    assert mw._filter(Request(LINK)) is None
