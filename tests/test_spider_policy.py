"""Crawl policy against a tiny hand-made site on loopback: robots.txt, off-site redirects,
retries with Retry-After, permanent failures, `-s` overrides and the User-Agent.

The crawl runs in a subprocess (Twisted's reactor cannot restart in one pytest process);
the site runs in a thread of the test process and logs every request it receives.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pytest
from loopback_site import Reply, Site, links
from run_command import QUICK_RETRIES, crawl_argv, crawl_settings, gpscrape
from scrapy.settings import Settings

from gpscrape import exit_codes
from gpscrape.middlewares import BackoffRetryMiddleware, retry_after_seconds

FAST = crawl_settings(QUICK_RETRIES)


def crawl(site: Site, tmp_path: Path, *extra: str, env: dict[str, str] | None = None):
    result = gpscrape(*crawl_argv(site.base_url, tmp_path / "out", *FAST, *extra), env=env,
                      timeout=60)
    quarantine = tmp_path / "out" / "quarantine"
    rows = pd.read_parquet(quarantine).to_dict("records") if quarantine.exists() else []
    return result, rows


def test_robots_disallow_is_obeyed(make_site, tmp_path: Path) -> None:
    site = make_site(
        {
            "/robots.txt": Reply(body="User-agent: *\nDisallow: /TWTW_view_articles.php\n"),
            "/": Reply(
                body=links("view_cir_articles.php?recordNo=1", "TWTW_view_articles.php?recordNo=2")
            ),
        }
    )
    result, _ = crawl(site, tmp_path)
    assert "/view_cir_articles.php?recordNo=1" in site.paths(), result.stderr
    assert not [p for p in site.paths() if p.startswith("/TWTW_view_articles.php")]
    assert "1 refused by robots.txt" in result.stdout


def test_redirect_to_another_host_is_not_followed(make_site, tmp_path: Path) -> None:
    elsewhere = make_site({"/view_cir_articles.php?recordNo=3": Reply(body=links())})
    away = f"http://localhost:{elsewhere.server.server_address[1]}/view_cir_articles.php?recordNo=3"
    site = make_site(
        {
            "/": Reply(body=links("view_cir_articles.php?recordNo=3", away)),
            "/view_cir_articles.php?recordNo=3": Reply(302, headers={"Location": away}),
        }
    )
    result, _ = crawl(site, tmp_path)
    assert "/view_cir_articles.php?recordNo=3" in site.paths(), result.stderr
    assert elsewhere.paths() == []


def test_each_record_fetched_once_whatever_its_url(make_site, tmp_path: Path) -> None:
    variants = [
        "view_cir_articles.php?url=Conflict%20Weekly&recordNo=5",
        "TWTW_view_articles.php?recordNo=5&url=The+World+This+Week",
        "http://127.0.0.1:{port}/europe/view_em_comments.php?url=NIAS%20Europe%20Studies&recordNo=5",
        "view_cir_articles.php?recordNo=6",
    ]
    site = make_site({})
    port = site.server.server_address[1]
    page = Reply(body=links(*(v.format(port=port) for v in variants)))
    site.routes.update(
        {
            "/": page,
            "/europe/": page,
            "/view_cir_articles.php?url=Conflict%20Weekly&recordNo=5": page,
            "/view_cir_articles.php?recordNo=6": page,
        }
    )
    crawl(site, tmp_path)
    article_hits = [p for p in site.paths() if "recordNo=" in p]
    assert article_hits == sorted(set(article_hits), key=article_hits.index)
    assert sorted("recordNo=5" in p for p in article_hits) == [False, True]


def test_retry_after_is_honoured_and_permanent_failures_reported(make_site, tmp_path: Path) -> None:
    site = make_site(
        {
            "/": Reply(
                body=links("view_cir_articles.php?recordNo=7", "view_cir_articles.php?recordNo=8")
            ),
            "/view_cir_articles.php?recordNo=7": Reply(
                503, headers={"Retry-After": "1"}, times=1, then=Reply(body=links())
            ),
            "/view_cir_articles.php?recordNo=8": Reply(500),
        }
    )
    result, rows = crawl(site, tmp_path)
    seven = [h.at for h in site.hits if h.path.endswith("recordNo=7")]
    assert len(seven) == 2 and seven[1] - seven[0] >= 0.9
    assert len([p for p in site.paths() if p.endswith("recordNo=8")]) == 3  # 1 + RETRY_TIMES
    failed = [r for r in rows if r["url"].endswith("recordNo=8")]
    assert len(failed) == 1 and failed[0]["reason"] == "request failed: HTTP 500"
    assert failed[0]["record_no"] == 8
    assert "1 failed requests" in result.stdout
    assert result.returncode == exit_codes.CHECKS_FAILED


def test_responses_over_the_size_cap_fail_with_their_reason(make_site, tmp_path: Path) -> None:
    big = "<html><body>" + "<p>filler text</p>" * 2000 + "</body></html>"
    site = make_site(
        {
            "/": Reply(
                body=links("view_cir_articles.php?recordNo=1", "view_cir_articles.php?recordNo=2")
            ),
            "/view_cir_articles.php?recordNo=1": Reply(body=big),
            "/view_cir_articles.php?recordNo=2": Reply(
                body=gzip.compress(big.encode()), headers={"Content-Encoding": "gzip"}
            ),
        }
    )
    result, rows = crawl(site, tmp_path, "-s", "DOWNLOAD_MAXSIZE=10000")
    assert len(gzip.compress(big.encode())) < 10000 < len(big)
    reasons = {row["record_no"]: row["reason"] for row in rows}
    assert set(reasons) == {1, 2}, result.stdout + result.stderr
    assert "2 failed requests" in result.stdout
    assert "max size" in reasons[1] or "MAXSIZE" in reasons[1], reasons[1]
    assert "exceeded DOWNLOAD_MAXSIZE" in reasons[2], reasons[2]


def test_http_cache_is_off_by_default_and_available(make_site, tmp_path: Path) -> None:
    site = make_site({"/": Reply(body=links("view_cir_articles.php?recordNo=1"))})
    cache = ["-s", "HTTPCACHE_ENABLED=True", "-s", f"HTTPCACHE_DIR={tmp_path / 'cache'}"]
    crawl(site, tmp_path)
    crawl(site, tmp_path, *cache)
    fetched = len(site.hits)
    assert fetched >= 6  # two uncached runs of robots.txt, /, /europe/, the article
    crawl(site, tmp_path, *cache)
    assert len(site.hits) == fetched  # the third run was served from the cache


@pytest.mark.parametrize("per_domain", [1, 2])
def test_per_domain_concurrency_holds_without_delay(make_site, tmp_path, per_domain) -> None:
    articles = [f"view_cir_articles.php?recordNo={n}" for n in range(1, 9)]
    routes = {"/": Reply(body=links(*articles))}
    routes |= {f"/{a}": Reply(body=links(), delay=0.1) for a in articles}
    site = make_site(routes)
    result, _ = crawl(site, tmp_path, "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={per_domain}")
    assert len([h for h in site.hits if "recordNo" in h.path]) == 8, result.stderr
    assert site.peak_in_flight == per_domain


def test_settings_overrides_and_user_agent(make_site, tmp_path: Path) -> None:
    site = make_site({"/": Reply(body=links())})
    env = {"PATH": "", "GPSCRAPE_CONTACT": "https://example.org/contact"}
    result, _ = crawl(site, tmp_path, "-s", "GPSCRAPE_START_PATHS=africa/,asia/", env=env)
    assert {"/", "/africa/", "/asia/"} <= set(site.paths()), result.stderr
    assert "/europe/" not in site.paths()
    assert {h.user_agent for h in site.hits} == {"gpscrape/0.1.0 (+https://example.org/contact)"}


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (b"3", 3.0),
        ("0", 0.0),
        ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0),
        ("soon", None),
        (None, None),
    ],
)
def test_retry_after_seconds(header: bytes | str | None, seconds: float | None) -> None:
    now = 1445412480.0  # 2015-10-21 07:28:00 UTC
    assert retry_after_seconds(header, now=now) == seconds


def test_backoff_doubles_and_is_capped() -> None:
    middleware = BackoffRetryMiddleware(
        Settings({"GPSCRAPE_RETRY_BACKOFF_BASE": 0.5, "GPSCRAPE_RETRY_BACKOFF_MAX": 3})
    )
    assert [middleware.delay_for(k, None) for k in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 3.0]
    assert middleware.delay_for(1, 120.0) == 3.0
    assert middleware.delay_for(2, 0.0) == 0.0
