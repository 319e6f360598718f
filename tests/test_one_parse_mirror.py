"""One parse per page on the whole mirror: the crawler's path (the record and links read from
Scrapy's parsel tree, `judge_response`) gives what `extract_page` and `judge_page` give on the
saved bytes, for every page a crawl meets: each article under each of its URLs, in every markup
style, the index pages, the archive pages and a missing page."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from gpscrape.extract import ExtractError, extract_page
from gpscrape.extract.response import extract_response
from gpscrape.mirror import MirrorSite
from gpscrape.mirror import index as mirror_index
from gpscrape.mirror.render import STYLES
from gpscrape.outcome import judge_page, judge_response

BASE = "http://127.0.0.1:8000/"


def _pages(site: MirrorSite) -> list[tuple[str, str]]:
    """(request target, URL) of every page of `site` a crawl can fetch."""
    targets = [target for number in site.record_nos() for target in site.article_targets(number)]
    series = sorted({entry.series for entry in site.catalog.entries})
    targets += ["/", "/europe/", *(mirror_index.archive_target(name, page)
                                   for name in series for page in (1, 2))]
    targets.append(f"/TWTW_view_articles.php?recordNo={site.missing_record_nos()[0]}")
    return [(target, BASE.rstrip("/") + target) for target in targets]


def test_the_crawler_path_reads_every_mirror_page_as_extract_page_does() -> None:
    site = MirrorSite.generate(records=50, seed=11, styles=[s for s in STYLES if s != "cwa"])
    kinds = {"record": 0, "failed": 0}
    for target, url in _pages(site):
        page = site.respond(target, BASE)
        response = HtmlResponse(url, status=page.status, body=page.body,
                                headers={"Content-Type": page.content_type})
        try:
            expected = extract_page(page.body, url)
        except ExtractError as error:
            with pytest.raises(ExtractError) as raised:
                extract_response(response)
            assert (raised.value.reason, raised.value.no_content) == (
                error.reason, error.no_content), url
            kinds["failed"] += 1
        else:
            read = extract_response(response)
            assert not read.reparsed, url
            assert read.record == expected, url
            kinds["record"] += 1
        outcome, links = judge_response(response)
        assert outcome == judge_page(page.body, url), url
        assert links == response.css("a::attr(href)").getall(), url
    assert kinds["record"] > 50 and kinds["failed"] >= 1
