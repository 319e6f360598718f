"""Discovery stays ahead of the downloads: landing and listing pages, and the newest record met
so far, are requested with `DISCOVERY_PRIORITY` and fetched before the articles waiting, so a
crawl does not end on its listings' chain or on its probes fetched one at a time."""

from __future__ import annotations

from run_command import crawl_argv, crawl_settings, gpscrape, output_of
from scrapy.utils.test import get_crawler

from gpscrape.mirror import MirrorServer, MirrorSite
from gpscrape.mirror.urls import parse_target
from gpscrape.outcome import DISCOVERY_PRIORITY
from gpscrape.spiders import gp

BASE = "http://127.0.0.1:9/"


def make_spider(**kwargs: str) -> gp.GpSpider:
    crawler = get_crawler(gp.GpSpider, {"GPSCRAPE_SEEDS": []})
    return gp.GpSpider.from_crawler(crawler, base_url=BASE, **kwargs)


def article(record_no: int) -> str:
    return f"{BASE}view_cir_articles.php?recordNo={record_no}"


def test_listings_and_the_newest_record_yet_come_first() -> None:
    spider = make_spider()
    links = [article(30), article(31), BASE + "archive.php?series=cw&page=2", article(12),
             article(40), article(31), BASE + "europe/"]
    priorities = {r.url: r.priority for r in spider._follow(links)}
    high = DISCOVERY_PRIORITY
    assert high > 0
    assert priorities == {article(30): high, article(31): high,
                          BASE + "archive.php?series=cw&page=2": high, article(12): 0,
                          article(40): high, BASE + "europe/": high}
    # A record older than the newest one met since: an ordinary request.
    assert [r.priority for r in spider._follow([article(35)])] == [0]


def test_a_backfill_asks_every_record_alike() -> None:
    spider = make_spider(backfill_from="5", backfill_to="8",
                         url_template="view_cir_articles.php?recordNo={n}")
    requests = [spider._request_once(article(n)) for n in range(5, 9)]
    assert [r.priority for r in requests] == [0, 0, 0, 0]


def test_a_crawl_fetches_its_listings_and_probes_early(tmp_path) -> None:
    """Over the mirror, two requests at a time: every landing and listing page, the newest
    record and the probes above it come in the first part of the crawl; requested last (as a
    last-in-first-out queue puts them), they would end it."""
    site = MirrorSite.generate(records=150, seed=3)
    with MirrorServer(site) as server:
        done = gpscrape(*crawl_argv(server.base_url, tmp_path / "out", *crawl_settings(
            CONCURRENT_REQUESTS=2, CONCURRENT_REQUESTS_PER_DOMAIN=2, GPSCRAPE_PROBE_MISSES=5,
            GPSCRAPE_MIN_COVERAGE=0)))
        targets = [r.target for r in server.requests if r.target != "/robots.txt"]
    assert done.returncode == 0, output_of(done)
    newest = max(site.record_nos())
    listings = [i for i, t in enumerate(targets) if not parse_target(t).is_article]
    newest_at = [i for i, t in enumerate(targets) if parse_target(t).record_no == newest]
    probes = [i for i, t in enumerate(targets)
              if parse_target(t).is_article and (parse_target(t).record_no or 0) > newest]
    assert len(listings) >= 5 and len(probes) == 5, targets
    first_part = len(targets) // 3
    assert max(listings) < first_part, (listings, len(targets))
    assert newest_at[0] < first_part and max(probes) < first_part, (newest_at, probes)
