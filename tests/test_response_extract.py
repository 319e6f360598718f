"""One parse per page: the record and links read from Scrapy's parsel tree equal `extract_page`'s."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, TextResponse

from gpscrape.commands.fixtures import load_cases
from gpscrape.extract import ExtractError, extract_page
from gpscrape.extract.blocks import blocks_of_tree, parse_blocks
from gpscrape.extract.response import extract_response
from gpscrape.mirror import MirrorSite

CASES = load_cases(Path(__file__).parent / "fixtures" / "pages")
CHARSETS = (None, "utf-8", "iso-8859-1")


def _response(body: bytes, url: str, charset: str | None) -> HtmlResponse:
    headers = {"Content-Type": f"text/html; charset={charset}"} if charset else {}
    return HtmlResponse(url, body=body, headers=headers)


@pytest.mark.parametrize("charset", CHARSETS, ids=lambda c: f"header-{c}")
def test_both_paths_give_the_same_record_on_the_fixture_corpus(charset: str | None) -> None:
    parsed_once = 0
    for case in CASES:
        body = case.page_path.read_bytes()
        response = _response(body, case.url, charset)
        read = extract_response(response)
        assert read.record == extract_page(body, case.url), (case.name, read.reparsed)
        assert read.links == response.css("a::attr(href)").getall(), case.name
        parsed_once += not read.reparsed
    # Every page whose bytes are plain ASCII or UTF-8 that Scrapy reads as such is parsed once.
    assert parsed_once >= (len(CASES) - 4 if charset != "iso-8859-1" else 1)


def test_charset_traps_are_read_from_the_bytes() -> None:
    by_name = {case.name: case for case in CASES}
    for name in ("x-twtw-185-latin1-declared-utf8", "x-cw-091-cp1252-undeclared"):
        case = by_name[name]
        read = extract_response(_response(case.page_path.read_bytes(), case.url, None))
        assert read.reparsed, name
    utf8 = by_name["x-twtw-185-latin1-declared-utf8"]
    read = extract_response(_response(utf8.page_path.read_bytes(), utf8.url, "utf-8"))
    assert not read.reparsed  # the server's UTF-8 agrees with the bytes: one parse


def test_comments_and_processing_instructions_in_the_tree_change_nothing() -> None:
    body = (b"<html><body><p><b>What<!-- a --> <!-- b -->happened</b><?php x ?> today</p>"
            b"<p>Line<!-- c --> two<br>three</p><!-- d --><p>end</p></body></html>")
    response = _response(body, "http://x/a", "utf-8")
    with pytest.raises(ExtractError) as expected:
        extract_page(body, "http://x/a")
    with pytest.raises(ExtractError) as actual:
        extract_response(response)
    assert actual.value.reason == expected.value.reason
    assert blocks_of_tree(response.selector.root) == parse_blocks(body)


def test_control_characters_send_the_page_to_the_bytes_path() -> None:
    case = CASES[0]
    body = case.page_path.read_bytes().replace(b"</title>", b"\x01\x0b</title>", 1)
    read = extract_response(_response(body, case.url, "utf-8"))
    assert read.reparsed and read.record == extract_page(body, case.url)


@pytest.mark.parametrize("body", [b"   ", b"just words, no markup", b"\x00\x00"])
def test_pages_without_markup_fail_alike(body: bytes) -> None:
    with pytest.raises(ExtractError) as expected:
        extract_page(body, "http://x/a")
    with pytest.raises(ExtractError) as actual:
        extract_response(TextResponse("http://x/a", body=body, encoding="utf-8"))
    assert (actual.value.reason, actual.value.no_content) == (
        expected.value.reason, expected.value.no_content)


def test_mirror_pages_are_parsed_once_and_read_as_expected() -> None:
    site = MirrorSite.generate(records=40, seed=3)
    base = "http://127.0.0.1/"
    for number in site.record_nos():
        url = site.article_urls(number, base)[0]
        page = site.respond(url[len(base) - 1:], base)
        response = HtmlResponse(url, body=page.body, headers={"Content-Type": page.content_type})
        read = extract_response(response)
        assert not read.reparsed and read.record == site.expected(number, base)
