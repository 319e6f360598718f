"""Non-article pages: the home page, per-series archive pages and the `/europe/` landing."""

from __future__ import annotations

from html import escape

from gpscrape.mirror.catalog import SERIES_NAMES, Entry
from gpscrape.mirror.prose import month_year
from gpscrape.mirror.render import page, t

ARCHIVE = "/archive.php"
ARCHIVE_PAGE_SIZE = 50
HOME_LATEST = 20
SERIES_TITLES = {key: name or "Interviews" for key, name in SERIES_NAMES.items()}


def archive_target(series: str, number: int) -> str:
    return f"{ARCHIVE}?series={series}&page={number}"


def _link(href: str, text: str) -> str:
    return f"<a href=\"{escape(href)}\">{t(text)}</a>"


def _item(entry: Entry, href: str) -> str:
    return f"<li>{_link(href, entry.title)} ({month_year(entry.day)})</li>"


def home_page(latest: list[tuple[Entry, str]], series: list[str], nav: tuple[str, str]) -> str:
    """Latest records, then one archive link per series and the Europe landing."""
    items = "\n".join(_item(entry, href) for entry, href in latest)
    archives = "\n".join(
        f"<li>{_link(archive_target(key, 1), SERIES_TITLES[key])}</li>" for key in series
    )
    body = (
        "<div class=\"home\"><h1>Global Politics</h1>\n<h2>Latest</h2>\n"
        f"<ul>\n{items}\n</ul>\n<h2>Archives</h2>\n<ul>\n{archives}\n"
        f"<li>{_link('/europe/', 'Europe Monitor')}</li>\n</ul></div>"
    )
    return page("Global Politics", body, nav)


def archive_page(series: str, number: int, rows: list[tuple[Entry, str]], has_next: bool,
                 nav: tuple[str, str]) -> str:
    """One page of a series archive, newest first, with a link to the next page."""
    items = "\n".join(_item(entry, href) for entry, href in rows)
    more = _link(archive_target(series, number + 1), "Older") if has_next else ""
    body = (
        f"<div class=\"archive\"><h1>{t(SERIES_TITLES[series])}</h1>\n<ul>\n{items}\n</ul>\n"
        f"<p>{more}</p></div>"
    )
    return page(SERIES_TITLES[series], body, nav)


def europe_page(rows: list[tuple[Entry, str]], nav: tuple[str, str]) -> str:
    """The `/europe/` landing: a blurb, then `NIAS Europe Monitor` / title / month line / author."""
    blocks = "\n".join(
        "<div class=\"em\"><p>NIAS Europe Monitor</p>"
        f"<p>{_link(href, e.title)}</p><p>{month_year(e.day)} | CWA # {e.cwa}</p>"
        f"<p>{t(', '.join(e.listing_authors))}</p></div>"
        for e, href in rows
    )
    body = (
        "<div class=\"europe\"><p>The Europe programme follows politics across the continent "
        "through short monthly notes.</p>\n<h2>Europe Monitor</h2>\n"
        f"<p>NIAS Monthly on Contemporary Europe</p>\n{blocks}\n</div>"
    )
    return page("Europe", body, nav)
