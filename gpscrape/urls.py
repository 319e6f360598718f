"""Recognise the site's article and listing URLs and reduce article URLs to one key.

The same record (`recordNo`) is reachable through several scripts and spellings of one URL:
parameters in any order, `+` or `%20` for spaces, `http` or `https`, and a `url=` value that
may hold an unescaped `&`. Only `recordNo` identifies a record.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from w3lib.url import canonicalize_url, safe_url_string

from gpscrape.extract.url_keys import record_no_in

# Scripts that render one article, as path suffixes (case-insensitive).
ARTICLE_SCRIPTS: tuple[str, ...] = (
    "/view_cir_articles.php",
    "/twtw_view_articles.php",
    "/africa/africa-weekly.php",
    "/europe/view_em_comments.php",
    "/view_ipri_articles.php",
)
MAIN_SITE = "globalpolitics.in"
SISTER_SITE = "conflictreader.org"
_PAGE_SUFFIXES = (".php", ".html", ".htm")


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def record_no_of(url: str) -> int | None:
    """The `recordNo` of a URL, read as the extractor reads it, or None if it has none."""
    return record_no_in(url)


def is_article_url(url: str) -> bool:
    """True when the URL is one of the article scripts with a `recordNo`."""
    path = urlsplit(url.strip()).path.lower()
    return path.endswith(ARTICLE_SCRIPTS) and record_no_of(url) is not None


def record_key(url: str) -> tuple[str, int] | None:
    """One key per record: `(site, recordNo)`; the sister site numbers its records apart."""
    if not urlsplit(url.strip()).path.lower().endswith(ARTICLE_SCRIPTS):
        return None
    record_no = record_no_of(url)
    if record_no is None:
        return None
    return (SISTER_SITE if _host(url) == SISTER_SITE else MAIN_SITE), record_no


def is_listing_url(url: str) -> bool:
    """True for a page that may list articles: a directory (`/europe/`) or a script or HTML
    page (`/archive.php?series=cw&page=2`) other than an article script."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or is_article_url(url):
        return False
    path = (parts.path or "/").lower()
    if path.rstrip("/").endswith(ARTICLE_SCRIPTS):
        return False
    return path.endswith("/") or path.endswith(_PAGE_SUFFIXES)


def page_key(url: str) -> str:
    """A scheme-free canonical form of any URL, for de-duplicating non-article pages."""
    canonical = canonicalize_url(safe_url_string(url.strip()), keep_fragments=False)
    parts = urlsplit(canonical)
    path = parts.path or "/"
    return f"{_host(canonical)}:{parts.port or ''}{path}?{parts.query}"


def is_on_site(url: str, domains: list[str]) -> bool:
    """True when the URL is HTTP(S) and its host is one of `domains` or a subdomain of one
    (any port). Other schemes (ftp:, file:, data:, s3:) never are: Scrapy would fetch them."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        return False
    host = (parts.hostname or "").lower()
    return any(host == d or host.endswith("." + d) for d in domains)


def site_domains(base_url: str) -> list[str]:
    """Domains a crawl of `base_url` may visit: its host only. The sister site
    (conflictreader.org) numbers its records apart, and the tables are keyed by `record_no`
    alone, so following it would let its records replace the main site's."""
    host = _host(base_url)
    if not host:
        raise ValueError(f"base URL has no host: {base_url!r}")
    return [host]
