"""Mirror pages for the benchmarks, and their mean size (reported with every speed figure)."""

from __future__ import annotations

import statistics

from gpscrape.mirror import MirrorSite

BASE = "http://127.0.0.1:8000/"


def article_pages(site: MirrorSite, count: int, base: str = BASE) -> list[tuple[bytes, str]]:
    """The first `count` canonical article pages of `site`, as (body, url)."""
    pages = []
    for record_no in site.record_nos()[:count]:
        url = site.article_urls(record_no, base)[0]
        pages.append((site.respond(url[len(base) - 1:], base).body, url))
    return pages


def mean_kb(site: MirrorSite, count: int = 300) -> float:
    """Mean size in KB (1,000 bytes) of the first `count` article pages of `site`."""
    return statistics.mean(len(body) for body, _ in article_pages(site, count)) / 1000


def size_note(site: MirrorSite, count: int = 300) -> str:
    return f"article pages of mean {mean_kb(site, count):.1f} KB"
