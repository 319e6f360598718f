"""The spider's and the extraction worker's memories of link URLs are bounded, and a link URL
met again once forgotten still gives no second request."""

from __future__ import annotations

import threading
from multiprocessing.connection import Pipe

from scrapy import Request
from test_spider_parse import BASE, extractor, make_spider, response

from gpscrape import extract_worker
from gpscrape.extract import ExtractError
from gpscrape.extract_worker import READY, decode_judged, encode_job


def links_page(numbers: range) -> bytes:
    anchors = "".join(f'<a href="/view_cir_articles.php?recordNo={n}">x</a>' for n in numbers)
    return f"<html><body>{anchors}</body></html>".encode()


def test_a_link_forgotten_by_the_spider_is_still_requested_once(monkeypatch) -> None:
    monkeypatch.setattr("gpscrape.spiders.gp.SEEN_LINKS", 4)
    extractor(monkeypatch, ExtractError("no article and no listing entries found on the page",
                                        no_content=True))
    spider = make_spider()
    page = links_page(range(1, 21)).decode()
    first = [r for r in spider.parse(response(BASE, page)) if isinstance(r, Request)]
    assert len(first) == 20
    assert len(spider._seen_links) <= 8  # 20 URLs judged, at most twice 4 remembered
    again = [r for r in spider.parse(response(BASE + "europe/", page)) if isinstance(r, Request)]
    assert again == []


def test_the_worker_sends_a_link_again_only_once_it_forgot_it(monkeypatch) -> None:
    monkeypatch.setattr(extract_worker, "SENT_LINKS", 3)
    crawl_end, worker_end = Pipe()
    worker = threading.Thread(target=extract_worker.serve, args=(worker_end,), daemon=True)
    worker.start()
    assert crawl_end.recv_bytes() == READY

    def links_of(numbers: range) -> list[str]:
        crawl_end.send_bytes(encode_job((BASE, links_page(numbers), "html",
                                         b"text/html; charset=utf-8", None, None)))
        return decode_judged(crawl_end.recv_bytes())[1]

    assert len(links_of(range(1, 3))) == 2
    assert links_of(range(1, 3)) == []  # remembered: not sent again
    assert len(links_of(range(3, 9))) == 6  # 8 URLs sent: 1 and 2 forgotten
    assert len(links_of(range(1, 3))) == 2
    crawl_end.close()
    worker.join(timeout=10)
    assert not worker.is_alive()
