"""The per-site limit holds with no download delay through Scrapy's public settings alone: the
add-on `gpscrape.concurrency.SiteConcurrency` holds CONCURRENT_REQUESTS at the per-domain limit
(why: its docstring). `tests/test_spider_policy.py::test_per_domain_concurrency_holds_without_delay`
counts the requests a crawl has in flight at the server, so it fails when a Scrapy upgrade
stops holding the total the way the add-on relies on; these tests pin how the limit is set."""

from __future__ import annotations

import pytest
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from gpscrape.concurrency import SiteConcurrency
from gpscrape.config import command_settings
from gpscrape.spiders.gp import GpSpider


@pytest.mark.parametrize(
    ("given", "total"),
    [
        ({}, 2),  # Scrapy's defaults below: 16 in all, 2 per domain (gpscrape's default)
        ({"CONCURRENT_REQUESTS_PER_DOMAIN": 8}, 8),
        ({"CONCURRENT_REQUESTS": 1}, 1),  # a lower total is kept
        ({"CONCURRENT_REQUESTS": 0}, 2),  # 0 (no total limit) still gets the site's
        ({"CONCURRENT_REQUESTS_PER_DOMAIN": 0}, 16),  # no per-site limit: nothing to hold
    ],
)
def test_the_total_is_held_at_the_per_site_limit(given, total) -> None:
    settings = Settings({"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 2},
                        priority="project")
    settings.setdict(given, priority="cmdline")
    SiteConcurrency().update_settings(settings)
    assert settings.getint("CONCURRENT_REQUESTS") == total


@pytest.mark.parametrize("per_domain", [1, 3])
def test_a_gp_crawler_built_from_the_project_settings_gets_the_limit(per_domain) -> None:
    settings = command_settings([("CONCURRENT_REQUESTS_PER_DOMAIN", str(per_domain))])
    crawler = Crawler(GpSpider, settings)
    crawler.addons.load_settings(crawler.settings)  # as the crawl does before it starts
    assert crawler.settings.getint("CONCURRENT_REQUESTS") == per_domain
    assert any(isinstance(addon, SiteConcurrency) for addon in crawler.addons.addons)

