"""Article-URL recognition and canonicalisation (table-driven)."""

from __future__ import annotations

import pytest

from gpscrape import urls
from gpscrape.extract.url_keys import record_no_in

FORTNIGHTLY = (
    "https://globalpolitics.in/view_cir_articles.php?"
    "url=NIAS%20Fortnightly%20on%20Science,%20Technology%20&%20International%20Relations"
    "&recordNo=662"
)


@pytest.mark.parametrize(
    ("url", "record_no"),
    [
        (
            "https://globalpolitics.in/view_cir_articles.php?url=Conflict%20Weekly&recordNo=1012",
            1012,
        ),
        (
            "https://globalpolitics.in/view_cir_articles.php?ArticleNo=67"
            "&url=South%20Asia%20Monthly%20Brief%20(Nov%202018)&recordNo=154",
            154,
        ),
        (
            "https://globalpolitics.in/TWTW_view_articles.php?ArticleNo=1945&recordNo=1946"
            "&url=The+World+This+Week",
            1946,
        ),
        ("http://globalpolitics.in/view_cir_articles.php?ArticleNo=166&recordNo=248", 248),
        (FORTNIGHTLY, 662),
        ("https://globalpolitics.in/view_cir_articles.php?url=A&amp;recordNo=17", 17),
        ("https://globalpolitics.in/view_cir_articles.php?RECORDNO=18&url=x", 18),
        ("https://globalpolitics.in/view_cir_articles.php?recordNo=%2019#top", 19),
        ("https://globalpolitics.in/europe/", None),
        ("https://globalpolitics.in/view_cir_articles.php?url=Conflict%20Weekly", None),
        ("https://globalpolitics.in/view_cir_articles.php?recordNo=abc", None),
        ("https://globalpolitics.in/view_cir_articles.php?recordNo=", None),
    ],
)
def test_record_no_of(url: str, record_no: int | None) -> None:
    assert urls.record_no_of(url) == record_no


@pytest.mark.parametrize(
    "variants",
    [
        [
            "https://globalpolitics.in/TWTW_view_articles.php?url=The%20World%20this%20Week&recordNo=852",
            "http://globalpolitics.in/TWTW_view_articles.php?ArticleNo=755&url=The%20World%20This%20Week&recordNo=852",
            "https://www.globalpolitics.in/TWTW_view_articles.php?recordNo=852&url=The+World+This+Week",
            "https://globalpolitics.in/view_cir_articles.php?recordNo=852",
        ],
        [
            "https://globalpolitics.in/europe/view_em_comments.php?url=NIAS%20Europe%20Studies&recordNo=1305",
            "https://globalpolitics.in/view_cir_articles.php?url=NIAS%20Europe%20Studies&recordNo=1305",
            "https://globalpolitics.in/africa/africa-weekly.php?url=NIAS%20AFRICA%20WEEKLY&recordNo=1305",
        ],
    ],
)
def test_one_key_per_record(variants: list[str]) -> None:
    keys = {urls.record_key(url) for url in variants}
    assert len(keys) == 1
    assert None not in keys


@pytest.mark.parametrize(
    ("url", "key"),
    [
        (FORTNIGHTLY, ("globalpolitics.in", 662)),
        (
            "http://conflictreader.org/view_ipri_articles.php?ArticleNo=97&url=Conflict%20Weekly&recordNo=100",
            ("conflictreader.org", 100),
        ),
        ("http://127.0.0.1:8000/view_cir_articles.php?recordNo=3", ("globalpolitics.in", 3)),
        ("https://globalpolitics.in/view_cir_articles.php?url=x", None),
        ("https://globalpolitics.in/about.php?recordNo=3", None),
        ("https://globalpolitics.in/europe/", None),
    ],
)
def test_record_key(url: str, key: tuple[str, int] | None) -> None:
    assert urls.record_key(url) == key


@pytest.mark.parametrize(
    ("url", "listing"),
    [
        ("https://globalpolitics.in/", True),
        ("https://globalpolitics.in/europe/", True),
        ("https://globalpolitics.in/europe/index.php", True),
        ("https://globalpolitics.in", True),
        ("https://globalpolitics.in/europe/?page=2", True),
        ("https://globalpolitics.in/archive.php?series=cw&page=3", True),
        ("https://globalpolitics.in/about.html", True),
        ("https://globalpolitics.in/view_cir_articles.php?recordNo=3", False),
        ("https://globalpolitics.in/view_cir_articles.php?url=Conflict%20Weekly", False),
        ("https://globalpolitics.in/report.pdf", False),
        ("https://globalpolitics.in/images/logo.png", False),
        ("mailto:someone@example.org", False),
    ],
)
def test_is_listing_url(url: str, listing: bool) -> None:
    assert urls.is_listing_url(url) is listing


def test_page_key_ignores_scheme_and_query_order() -> None:
    assert urls.page_key("http://globalpolitics.in/europe/?b=2&a=1") == urls.page_key(
        "https://GlobalPolitics.in/europe/?a=1&b=2"
    )
    assert urls.page_key("http://127.0.0.1:81/europe/") != urls.page_key("http://127.0.0.1:82/europe/")


@pytest.mark.parametrize(
    ("base", "domains"),
    [
        ("https://globalpolitics.in/", ["globalpolitics.in"]),
        ("https://www.globalpolitics.in/", ["globalpolitics.in"]),
        ("http://127.0.0.1:8123/", ["127.0.0.1"]),
    ],
)
def test_site_domains(base: str, domains: list[str]) -> None:
    assert urls.site_domains(base) == domains


def test_site_domains_rejects_a_url_without_host() -> None:
    with pytest.raises(ValueError, match="no host"):
        urls.site_domains("not a url")


@pytest.mark.parametrize(
    ("url", "record_no"),
    [
        ("https://globalpolitics.in/view_cir_articles.php?recordNo=%31%32", 12),
        ("https://globalpolitics.in/view_cir_articles.php?a=1;recordNo=5", 5),
        ("https://globalpolitics.in/view_cir_articles.php?recordNo=+7", 7),
        ("https://globalpolitics.in/view_cir_articles.php?url=x?recordNo=8&recordNo=3", 3),
        ("https://globalpolitics.in/view_cir_articles.php?url=A&amp;recordNo=9", 9),
    ],
)
def test_spider_and_extractor_read_record_no_alike(url, record_no):
    assert urls.record_no_of(url) == record_no_in(url) == record_no
