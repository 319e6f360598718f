"""An endless chain of `page=N+1` listing pages: the crawl stops at GPSCRAPE_MAX_LISTING_PAGE
and says so in its summary and run report."""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qs, urlsplit

from run_command import crawl_argv, crawl_settings, gpscrape, newest_report, output_of

from gpscrape import exit_codes
from gpscrape.dataset.read import read_frame
from gpscrape.listing_cap import page_number
from gpscrape.mirror import FaultPlan, MirrorServer, MirrorSite
from gpscrape.mirror.index import ARCHIVE

MAX_PAGE = 4


def test_an_endless_listing_chain_stops_at_the_cap(tmp_path) -> None:
    site = MirrorSite.generate(records=12, seed=91)
    output = tmp_path / "out"
    with MirrorServer(site, faults=FaultPlan(endless_listing=True)) as server:
        done = gpscrape(*crawl_argv(server.base_url, output, *crawl_settings(
            GPSCRAPE_PROBE_MISSES=2, GPSCRAPE_MAX_LISTING_PAGE=MAX_PAGE)))
        archive_pages = [parse_qs(urlsplit(r.target).query) for r in server.requests
                         if r.target.startswith(ARCHIVE)]
    assert done.returncode == exit_codes.OK, output_of(done)
    series = {query["series"][0] for query in archive_pages}
    pages = Counter(query["series"][0] for query in archive_pages)
    assert pages == dict.fromkeys(series, MAX_PAGE)  # pages 1..MAX_PAGE of each, once
    report = newest_report(output)
    assert report["counts"]["listing_pages_capped"] == len(series)
    assert f"not requested: {len(series)}" in done.stdout
    assert "listing pages past the cap" in done.stdout
    assert sorted(read_frame(output, "articles")["record_no"]) == site.record_nos()


def test_page_numbers_of_listing_urls() -> None:
    assert page_number("https://globalpolitics.in/archive.php?series=cw&page=12") == 12
    assert page_number("https://globalpolitics.in/archive.php?Page=3") == 3
    assert page_number("https://globalpolitics.in/archive.php?series=cw") is None
    assert page_number("https://globalpolitics.in/view_cir_articles.php?recordNo=5&page=9") is None
