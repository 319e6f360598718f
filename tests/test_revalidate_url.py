"""A known record met under another URL is revalidated at the URL its validators belong to."""

from __future__ import annotations

from types import SimpleNamespace

from scrapy import Request
from scrapy.utils.test import get_crawler

from gpscrape.incremental.middleware import IncrementalMiddleware
from gpscrape.incremental.state import DatasetState, Validators

STORED = "http://old-host.example:8000/view_cir_articles.php?url=Conflict%20Weekly&recordNo=5"
SIDEBAR = "http://127.0.0.1:9/TWTW_view_articles.php?url=The%20World%20This%20Week&recordNo=5"


def middleware(stored: str) -> IncrementalMiddleware:
    """The middleware of a crawl of the site at 127.0.0.1:9 that knows record 5 at `stored`."""
    state = DatasetState(known={5: Validators(stored, '"abc"', None)})
    crawler = get_crawler()
    crawler.spider = SimpleNamespace(allowed_domains=["127.0.0.1"], base_url="http://127.0.0.1:9/")
    return IncrementalMiddleware(crawler, state, "revalidate", 25)


def test_a_sidebar_url_of_a_known_record_is_revalidated_at_the_stored_url() -> None:
    stored = STORED.replace("old-host.example:8000", "127.0.0.1:9")
    request = middleware(stored)._filter(Request(SIDEBAR))
    assert request.url == stored and request.headers["If-None-Match"] == b'"abc"'


def test_the_stored_path_moves_to_the_host_and_port_the_crawl_uses() -> None:
    stored = STORED.replace("old-host.example:8000", "127.0.0.1:7")  # a mirror on another port
    request = middleware(stored)._filter(Request(SIDEBAR))
    assert request.url == STORED.replace("old-host.example:8000", "127.0.0.1:9")


def test_a_record_stored_on_another_host_keeps_the_requested_url() -> None:
    request = middleware(STORED)._filter(Request(SIDEBAR))
    assert request.url == SIDEBAR and request.headers["If-None-Match"] == b'"abc"'
