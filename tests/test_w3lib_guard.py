"""A page that makes w3lib's native encoding scan panic (`gpscrape.extract.w3lib_guard`) gets a
verdict on every path that reads pages, never stops the run.

frostwork 0.2.2 (w3lib 2.6's native code) panics on any page whose bytes end just after a
`<meta`: the panic is a `BaseException`, which `except Exception` does not catch. The tests on
such pages hold whatever w3lib does with them; the guard's own rules are tested with a stand-in
panic, so they hold whatever w3lib version is installed.
"""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from gpscrape.extract import ExtractError, extract_page
from gpscrape.extract import w3lib_guard as guard
from gpscrape.extract.blocks import decode
from gpscrape.extract.w3lib_guard import body_declared_encoding, body_to_unicode, is_native_panic
from gpscrape.extract_worker import judge_job
from gpscrape.middlewares import SiteMetaRefreshMiddleware
from gpscrape.outcome import BROKEN, judge_page, judge_response
from gpscrape.spiders import gp

BASE = "http://127.0.0.1:9/"
ARTICLE = BASE + "view_cir_articles.php?url=Conflict%20Weekly&recordNo=12"
# An article page cut off just after a `<meta` in its head, with a byte that is not UTF-8
# before it (so that our own decoding looks for a declaration too).
CUT_PAGE = (b'<!DOCTYPE html>\n<html lang="en">\n<head>\n<title>Conflict Weekly \xaf 12</title>\n'
            b'<a href="view_cir_articles.php?url=Conflict%20Weekly&recordNo=11">prev</a>\n<meta')
PanicException = type("PanicException", (BaseException,), {"__module__": "pyo3_runtime"})


def panics(*args: object) -> None:
    raise PanicException("range start index 51 out of range for slice of length 50")


def test_only_a_pyo3_panic_counts_as_one() -> None:
    assert is_native_panic(PanicException("boom"))
    assert not is_native_panic(ValueError("boom"))
    assert not is_native_panic(KeyboardInterrupt())
    other = type("PanicException", (BaseException,), {"__module__": "elsewhere"})
    assert not is_native_panic(other("boom"))


def test_a_panic_reads_as_no_declaration(monkeypatch) -> None:
    monkeypatch.setattr(guard, "html_body_declared_encoding", panics)
    monkeypatch.setattr(guard, "html_to_unicode", panics)
    assert body_declared_encoding(b"<p>caf\xe9</p><meta") is None
    assert body_to_unicode(b"<p>caf\xe9</p><meta") == "<p>café</p><meta"


def test_other_exceptions_still_propagate(monkeypatch) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(guard, "html_body_declared_encoding", interrupted)
    with pytest.raises(KeyboardInterrupt):
        body_declared_encoding(b"<meta")


def test_the_guarded_readers_agree_with_w3lib_elsewhere() -> None:
    page = b'<html><head><meta charset="iso-8859-2"></head><body>\xb1</body></html>'
    assert body_declared_encoding(page) == "iso8859-2"
    assert body_to_unicode(page).endswith("<body>ą</body></html>")


@pytest.mark.parametrize("body", [CUT_PAGE, b"<p>\xaf<meta"])
def test_extract_page_gives_a_record_or_an_extract_error(body: bytes) -> None:
    try:
        extract_page(body, ARTICLE)
    except ExtractError as error:
        assert error.reason


def test_a_cut_page_is_decoded_as_windows_1252() -> None:
    assert decode(b"<p>caf\xe9</p><meta") == "<p>caf\xe9</p><meta"


def spider_response(body: bytes) -> HtmlResponse:
    return HtmlResponse(ARTICLE, body=body, request=Request(ARTICLE))


def test_every_path_gives_the_cut_page_the_same_verdict() -> None:
    from_bytes = judge_page(CUT_PAGE, ARTICLE)
    assert from_bytes.name == BROKEN  # a record's URL answering with no article
    for from_body in (False, True):
        verdict, links = judge_response(spider_response(CUT_PAGE), from_body=from_body)
        assert verdict == from_bytes
        assert links == ["view_cir_articles.php?url=Conflict%20Weekly&recordNo=11"]
    verdict, urls, _digest, _version = judge_job((ARTICLE, CUT_PAGE, "html", None, None, None))
    assert verdict == from_bytes
    assert urls == [BASE + "view_cir_articles.php?url=Conflict%20Weekly&recordNo=11"]


def test_a_cut_page_without_markup_early_on_is_judged_from_its_bytes() -> None:
    body = b"x" * 70_000 + b"\xaf<meta"  # no tag in the first 64 KiB: not HTML, for us
    expected = judge_page(body, ARTICLE)
    for from_body in (False, True):
        assert judge_response(spider_response(body), from_body=from_body) == (expected, [])


def test_the_spider_counts_the_cut_page_and_follows_its_link() -> None:
    crawler = get_crawler(gp.GpSpider, {"GPSCRAPE_SEEDS": []})
    spider = gp.GpSpider.from_crawler(crawler, base_url=BASE)
    out = list(spider.parse(spider_response(CUT_PAGE)))
    assert crawler.stats.get_value(f"gpscrape/verdict/{BROKEN}") == 1
    assert [r.url for r in out if isinstance(r, Request)] == [
        BASE + "view_cir_articles.php?url=Conflict%20Weekly&recordNo=11"]


def test_the_meta_refresh_middleware_passes_the_cut_page_on() -> None:
    middleware = SiteMetaRefreshMiddleware(Settings({"METAREFRESH_ENABLED": True}))
    page = spider_response(b"<p>no refresh here \xaf</p><meta")
    assert middleware.process_response(Request(ARTICLE), page) is page
