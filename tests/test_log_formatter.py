"""Scrapy's per-page and per-item DEBUG messages are not built when the log level hides them
(gpscrape/log_formatter.py), and are Scrapy's own when it shows them."""

from __future__ import annotations

import logging

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DropItem
from scrapy.http import HtmlResponse
from scrapy.logformatter import LogFormatter
from scrapy.settings import Settings
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from gpscrape.log_formatter import QuietLogFormatter

URL = "http://127.0.0.1:1/view_cir_articles.php?recordNo=7"


def _formatter(level: str | int) -> QuietLogFormatter:
    return QuietLogFormatter.from_crawler(get_crawler(Spider, {"LOG_LEVEL": level}))


def _calls(formatter: LogFormatter) -> dict[str, object]:
    request = Request(URL)
    response = HtmlResponse(URL, body=b"<html></html>", request=request)
    spider = Spider.from_crawler(get_crawler(Spider), name="s")
    return {"crawled": formatter.crawled(request, response, spider),
            "scraped": formatter.scraped({"a": 1}, response, spider),
            "dropped": formatter.dropped({"a": 1}, DropItem("x"), response, spider)}


@pytest.mark.parametrize("level", ["INFO", "WARNING", logging.ERROR])
def test_above_debug_no_message_is_built_for_a_page_or_an_item(level: str | int) -> None:
    calls = _calls(_formatter(level))
    assert calls["crawled"] is None and calls["scraped"] is None
    dropped = _calls(LogFormatter())["dropped"]  # other messages stay
    assert (calls["dropped"]["msg"], calls["dropped"]["level"]) == (dropped["msg"],
                                                                    dropped["level"])


@pytest.mark.parametrize("level", ["DEBUG", logging.DEBUG])
def test_at_debug_the_messages_are_scrapys(level: str | int) -> None:
    quiet, plain = _calls(_formatter(level)), _calls(LogFormatter())
    assert quiet["crawled"] is not None and quiet["scraped"] is not None
    for name in ("crawled", "scraped"):
        assert quiet[name]["msg"] == plain[name]["msg"]
        assert quiet[name]["level"] == logging.DEBUG


def test_the_crawl_uses_it() -> None:
    settings = Settings()
    settings.setmodule("gpscrape.settings", priority="project")
    assert load_object(settings["LOG_FORMATTER"]) is QuietLogFormatter
