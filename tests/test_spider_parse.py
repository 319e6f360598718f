"""Spider `gp`'s response handling, in-process: what is yielded, counted and followed."""

from __future__ import annotations

import gc
from datetime import date

import pytest
from scrapy import Request
from scrapy.exceptions import CloseSpider
from scrapy.http import HtmlResponse
from scrapy.selector import Selector
from scrapy.utils.test import get_crawler
from scrapy.utils.trackref import live_refs

from gpscrape import outcome as outcome_module
from gpscrape.extract import ExtractError, PageRecord
from gpscrape.extract.response import Read, page_links
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.outcome import GUESS
from gpscrape.spiders import gp

BASE = "http://127.0.0.1:9/"
ARTICLE = BASE + "view_cir_articles.php?url=Conflict%20Weekly&recordNo=12"


def make_spider(**kwargs: str):
    crawler = get_crawler(gp.GpSpider, {"GPSCRAPE_SEEDS": []})
    return gp.GpSpider.from_crawler(crawler, base_url=BASE, **kwargs)


def response(url: str = ARTICLE, body: str = "<html><body></body></html>", status: int = 200,
             guess: str | None = None):
    request = Request(url, meta={GUESS: guess} if guess else {})
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", status=status, request=request)


def stat(spider, verdict: str) -> int:
    """How many responses got `verdict` (stats `gpscrape/verdict/<name>`)."""
    return spider.crawler.stats.get_value(f"gpscrape/verdict/{verdict}", 0)


def extractor(monkeypatch, outcome) -> None:
    def fake(html, url):
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def fake_response(page):  # the spider's path: the record and links from one tree
        return Read(fake(page.body, page.url), page_links(page.selector), reparsed=False)

    monkeypatch.setattr(outcome_module, "extract_page", fake)
    monkeypatch.setattr(outcome_module, "extract_response", fake_response)


def test_a_record_is_yielded_with_fetch_metadata(monkeypatch) -> None:
    extractor(monkeypatch, PageRecord(record_no=12, cwa_no=None, url=ARTICLE, series="STIR"))
    spider = make_spider()
    page = response().replace(headers={"ETag": '"abc"', "Last-Modified": "Mon, 02 Feb 2026"})
    items = [x for x in spider.parse(page) if isinstance(x, PageItem)]
    assert len(items) == 1 and items[0].record.record_no == 12
    assert items[0].etag == '"abc"' and items[0].last_modified == "Mon, 02 Feb 2026"
    assert len(items[0].content_sha256) == 64 and items[0].fetched_at.tzinfo is not None
    assert stat(spider, "record") == 1
    assert sum(spider.verdicts.counts.values()) == 1  # one verdict per response


NO_CONTENT = ExtractError("no article and no listing entries found on the page", no_content=True)


@pytest.mark.parametrize(
    ("outcome", "status", "guess", "counted"),
    [
        (NO_CONTENT, 200, None, "broken"),  # a page the crawl was led to: its layout broke
        (NO_CONTENT, 200, "backfill", "missing"),  # a guess that found nothing
        (NO_CONTENT, 200, "probe", "probe_miss"),
        (PageRecord(record_no=12, cwa_no=None, url=ARTICLE), 404, None, "missing"),
        (PageRecord(record_no=12, cwa_no=None, url=ARTICLE), 404, "probe", "probe_miss"),
        (ExtractError("not HTML: no markup found"), 200, None, "quarantined"),
        (ExtractError("empty page"), 200, "probe", "quarantined"),
        (KeyError("boom"), 200, None, "quarantined"),
    ],
)
def test_pages_without_a_record_get_one_verdict_with_its_reason(
    monkeypatch, outcome, status: int, guess: str | None, counted: str
) -> None:
    extractor(monkeypatch, outcome)
    spider = make_spider()
    out = list(spider.parse(response(status=status, guess=guess)))
    quarantined = [x for x in out if isinstance(x, QuarantineItem)]
    assert not [x for x in out if isinstance(x, PageItem)]
    assert stat(spider, counted) == 1 and sum(spider.verdicts.counts.values()) == 1
    if counted in spider.verdicts.pages:  # missing, broken and quarantined pages are named
        [(url, reason)] = spider.verdicts.pages[counted]
        assert url == ARTICLE and reason
    if counted == "broken":
        assert reason.startswith("page without article or listing: no article")
    if counted != "quarantined":
        assert quarantined == []
    else:
        assert reason == quarantined[0].reason
        assert len(quarantined) == 1 and quarantined[0].record_no == 12
        assert quarantined[0].reason
        if isinstance(outcome, KeyError):
            assert quarantined[0].reason.startswith("extractor crashed: KeyError")


def test_index_pages_duplicates_and_unchanged_pages_get_their_verdict(monkeypatch) -> None:
    extractor(monkeypatch, NO_CONTENT)
    spider = make_spider()
    list(spider.parse(response(BASE + "europe/")))  # no article, not an article URL
    list(spider.parse(response(status=304)))  # a revalidated record, unchanged
    extractor(monkeypatch, PageRecord(record_no=12, cwa_no=None, url=ARTICLE))
    assert spider._request_once(ARTICLE) is not None  # record 12 requested under ARTICLE
    list(spider.parse(response()))
    other = ARTICLE.replace("recordNo=12", "recordNo=30")  # ... and redirected to it from 30
    moved = HtmlResponse(ARTICLE, body=b"<html></html>", encoding="utf-8",
                         request=Request(ARTICLE, meta={"redirect_urls": [other]}))
    assert not [x for x in spider.parse(moved) if isinstance(x, PageItem)]
    assert dict(spider.verdicts.counts) == {"index": 1, "unchanged": 1, "record": 1,
                                            "duplicate": 1}


def test_links_are_followed_once_per_record_and_stay_on_site(monkeypatch) -> None:
    extractor(monkeypatch, ExtractError("no article and no listing entries found on the page", no_content=True))
    spider = make_spider()
    body = "".join(
        f'<a href="{href}">x</a>'
        for href in [
            "/view_cir_articles.php?recordNo=20",
            "TWTW_view_articles.php?url=The+World+This+Week&recordNo=20",
            "http://127.0.0.1:9/europe/view_em_comments.php?recordNo=21",
            "https://globalpolitics.in/view_cir_articles.php?recordNo=22",
            "/archive.php?series=cw&page=2",
            "/archive.php?page=2&series=cw",
            "/images/logo.png",
            "mailto:someone@example.org",
            "#top",
        ]
    )
    first = [r for r in spider.parse(response(BASE, f"<html><body>{body}</body></html>"))]
    again = [r for r in spider.parse(response(BASE + "europe/", f"<html><body>{body}</body></html>"))]
    urls = [r.url for r in first if isinstance(r, Request)]
    assert urls == [
        BASE + "view_cir_articles.php?recordNo=20",
        BASE + "europe/view_em_comments.php?recordNo=21",
        BASE + "archive.php?series=cw&page=2",
    ]
    assert not [r for r in again if isinstance(r, Request)]


def items_until_close(spider, page) -> tuple[list[PageItem], bool]:
    """The PageItems `parse` yields, and whether it then asked to close (limit reached)."""
    items = []
    try:
        for out in spider.parse(page):
            if isinstance(out, PageItem):
                items.append(out)
    except CloseSpider as stop:
        assert stop.reason == "limit_reached"
        return items, True
    return items, False


def test_series_since_and_limit_filters(monkeypatch) -> None:
    spider = make_spider(series="conflict weekly", since="2024-01-01", limit="2")
    pages = [
        ("Conflict Weekly", date(2024, 5, 1)),  # kept
        ("STIR", date(2024, 5, 1)),  # other series
        ("Conflict Weekly", date(2023, 5, 1)),  # too old
        ("Conflict Weekly", None),  # undated
        ("Conflict Weekly", date(2024, 1, 1)),  # kept: the limit is reached
        ("Conflict Weekly", date(2025, 1, 1)),  # over the limit
    ]
    kept, closed = [], []
    for n, (series, day) in enumerate(pages):
        record = PageRecord(record_no=n, cwa_no=None, url=ARTICLE, series=series, published=day)
        extractor(monkeypatch, record)
        items, close = items_until_close(spider, response())
        kept += [item.record.record_no for item in items]
        closed.append(close)
    assert kept == [0, 4]
    assert closed == [False, False, False, False, True, False]
    assert stat(spider, "record") == 2 and stat(spider, "filtered") == 4


def test_listing_pages_pass_every_filter(monkeypatch) -> None:
    spider = make_spider(series="STIR", since="2030-01-01", limit="1")
    extractor(monkeypatch, PageRecord(record_no=None, cwa_no=None, url=BASE + "europe/"))
    items, closed = items_until_close(spider, response(BASE + "europe/"))
    assert len(items) == 1 and not closed
    assert stat(spider, "listing") == 1 and stat(spider, "record") == 0


def test_a_url_template_without_its_placeholder_is_refused() -> None:
    with pytest.raises(ValueError, match="needs"):
        make_spider(backfill_from="1", backfill_to="2", url_template="view_cir_articles.php")


def test_a_page_judged_here_lets_go_of_its_parsed_tree() -> None:
    """The response outlives its judging (it waits for the archive and the pipelines): the
    tree and text Scrapy parsed for it are dropped once the page is judged, and parsed again
    only if asked for."""
    spider = make_spider()
    page = response(body="<html><body><h1>A title</h1><p>Some words here.</p></body></html>")
    gc.collect()
    before = len(live_refs.get(Selector, ()))
    list(spider.parse(page))
    gc.collect()
    assert sum(spider.verdicts.counts.values()) == 1  # judged here, from its tree
    assert len(live_refs.get(Selector, ())) == before  # the page's Selector is gone with its tree
    assert page.css("h1::text").get() == "A title"  # read again on demand
