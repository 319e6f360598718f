"""`MirrorSite`: a generated globalpolitics.in, its URLs, its pages and the records they hold."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from gpscrape.extract.record import ListingEntry, PageRecord
from gpscrape.extract.vocab import EUROPE_MONITOR
from gpscrape.mirror import index as idx
from gpscrape.mirror.article import build_article, join_names
from gpscrape.mirror.catalog import DEFAULT_STYLES, Catalog, Entry
from gpscrape.mirror.layout import Layout, Link
from gpscrape.mirror.prose import month_year, rng_for
from gpscrape.mirror.render import STYLES, render_article
from gpscrape.mirror.urls import article_targets, parse_target

DEFAULT_BASE = "http://127.0.0.1/"
DEFAULT_DISALLOW: tuple[str, ...] = ("/admin/",)
SIDEBAR_WINDOW = 48
SIDEBAR_ENTRIES = (30, 45)  # as many as a real page's PREVIOUS COMMENTS
MODIFIED_EPOCH = datetime(2026, 2, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Page:
    """One HTTP answer of the site (before faults, latency and conditional requests)."""

    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    record_no: int | None = None
    last_modified: datetime | None = None

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:20] + '"'


@lru_cache(maxsize=4096)
def _article(entry: Entry, seed: int) -> tuple[PageRecord, Layout]:
    return build_article(entry, seed)


@lru_cache(maxsize=65536)
def _targets(entry: Entry, seed: int) -> tuple[str, ...]:
    return tuple(article_targets(entry, seed))


class MirrorSite:
    """A deterministic site of generated records; pages are built lazily on request."""

    def __init__(self, catalog: Catalog, index_pages: bool, disallow: tuple[str, ...]) -> None:
        self.catalog = catalog
        self.seed = catalog.seed
        self.index_pages = index_pages
        self.disallow = disallow
        self.version = 0
        self._changed: dict[int, int] = {}
        self._numbers = [e.record_no for e in catalog.entries]
        self._by_no = {e.record_no: e for e in catalog.entries}

    @classmethod
    def generate(
        cls,
        records: int = 2000,
        seed: int = 0,
        index_pages: bool = True,
        missing_rate: float = 0.03,
        disallow: tuple[str, ...] | list[str] = DEFAULT_DISALLOW,
        styles: tuple[str, ...] | list[str] = DEFAULT_STYLES,
    ) -> MirrorSite:
        """Plan `records` records (recordNo from 150, gaps answer 404) for `seed`.

        `styles`: markup styles drawn for articles other than CWA Commentary (which always use
        `cwa`); any of `STYLES` (`font`, old upper-case table markup, is opt-in).
        """
        unknown = set(styles) - set(STYLES)
        if unknown:
            raise ValueError(f"unknown markup styles: {sorted(unknown)}; known: {sorted(STYLES)}")
        catalog = Catalog.build(records, seed, missing_rate, tuple(styles))
        return cls(catalog, index_pages, tuple(disallow))

    # --- records and URLs -----------------------------------------------------------------
    def record_nos(self) -> list[int]:
        """recordNos that exist, ascending."""
        return list(self._numbers)

    def missing_record_nos(self) -> list[int]:
        """recordNos inside the range that answer 404."""
        return sorted(self.catalog.missing)

    def entry(self, record_no: int) -> Entry:
        """The catalogue entry of an existing record (KeyError otherwise)."""
        return self._by_no[record_no]

    def article_targets(self, record_no: int) -> list[str]:
        """Root-relative URLs (`/script?query`) the site links for a record; first is canonical."""
        return list(_targets(self.entry(record_no), self.seed))

    def article_urls(self, record_no: int, base_url: str = DEFAULT_BASE) -> list[str]:
        """Absolute URLs serving a record; the first is its canonical URL."""
        return [base_url.rstrip("/") + target for target in self.article_targets(record_no)]

    def add_records(self, count: int) -> list[int]:
        """Append `count` records; the previous newest record's sidebar starts linking to them."""
        before = self._numbers[-1]
        added = self.catalog.extend(count)
        self.version += 1
        self._changed[before] = self.version
        for entry in added:
            self._numbers.append(entry.record_no)
            self._by_no[entry.record_no] = entry
            self._changed[entry.record_no] = self.version
        return [e.record_no for e in added]

    def revise_records(self, record_nos: list[int]) -> None:
        """Correct the records' titles, as the site's editors do: their pages change (and the
        sidebars listing them)."""
        self.version += 1
        for record_no in record_nos:
            entry = self.entry(record_no)
            revised = replace(entry, title=f"{entry.title} Revised")
            self.catalog.entries[entry.index] = revised
            self._by_no[record_no] = revised
            self._changed[record_no] = self.version

    def last_modified(self, record_no: int) -> datetime:
        """When the record's page last changed (a logical clock: one hour per `add_records`)."""
        return MODIFIED_EPOCH + timedelta(hours=self._changed.get(record_no, 0))

    # --- expected records -----------------------------------------------------------------
    def expected(
        self, record_no: int, base_url: str = DEFAULT_BASE, url: str | None = None
    ) -> PageRecord:
        """What the extractor must produce for `url` (default: the record's canonical URL)."""
        entry = self.entry(record_no)
        url = url or self.article_urls(record_no, base_url)[0]
        record, _ = _article(entry, self.seed)
        listing = [
            ListingEntry(
                month=date(other.day.year, other.day.month, 1),
                cwa_no=other.cwa,
                authors=list(other.listing_authors),
                author_bio=other.listing_bio,
                title=other.listing_title,
                url=base_url.rstrip("/") + target,
                record_no=other.record_no,
            )
            for other, target, _absolute in self._sidebar(entry)
        ]
        copy = PageRecord.from_dict(record.to_dict())  # callers may change it; the cache stays
        parts = urlsplit(url)
        label = parse_target(f"{parts.path}?{parts.query}").params.get("url")
        return replace(copy, url=url, series_raw=label or self._canonical_label(entry),
                       listing=listing)

    def expected_europe(self, base_url: str = DEFAULT_BASE) -> PageRecord:
        """The listing-only record of the `/europe/` landing (index pages only)."""
        listing = [
            ListingEntry(month=date(e.day.year, e.day.month, 1), cwa_no=e.cwa,
                         authors=list(e.listing_authors), title=e.title,
                         url=base_url.rstrip("/") + target, record_no=e.record_no)
            for e, target in self._europe_rows()
        ]
        return PageRecord(record_no=None, cwa_no=None, url=base_url.rstrip("/") + "/europe/",
                          series=EUROPE_MONITOR, listing=listing)

    def _europe_rows(self) -> list[tuple[Entry, str]]:
        return [self._row(e.record_no) for e in reversed(self.catalog.entries) if e.series == "em"]

    def _canonical_label(self, entry: Entry) -> str:
        return parse_target(_targets(entry, self.seed)[0]).params["url"]

    # --- sidebar --------------------------------------------------------------------------
    def _sidebar(self, entry: Entry) -> list[tuple[Entry, str, bool]]:
        """PREVIOUS COMMENTS (30-45 entries where the site has them, newest first): the next
        and previous records, then others drawn from earlier records."""
        rng = rng_for(self.seed, entry.record_no, "sidebar")
        position = entry.index
        chosen: set[int] = set()
        if position + 1 < len(self._numbers):
            chosen.add(position + 1)
        if position > 0:
            chosen.add(position - 1)
        wanted = rng.randint(*SIDEBAR_ENTRIES)
        # Earlier records; the first ones also see the rest of the first window (fixed at
        # generation, so adding records never changes an old sidebar beyond its `next` link).
        window = min(SIDEBAR_WINDOW, self.catalog.planned)
        pool = [i for i in range(max(position - 1, window)) if abs(i - position) > 1]
        chosen.update(rng.sample(pool, min(len(pool), max(0, wanted - len(chosen)))))
        rows = []
        for other_index in sorted(chosen, reverse=True):
            other = self.entry(self._numbers[other_index])
            targets = _targets(other, self.seed)
            rows.append((other, targets[int(rng.random() * len(targets))], rng.random() < 0.3))
        return rows

    def _links(self, entry: Entry, base_url: str) -> list[Link]:
        links = []
        for other, target, absolute in self._sidebar(entry):
            author = join_names(list(other.listing_authors))
            if other.listing_bio:
                author += f" | {other.listing_bio}"
            href = base_url.rstrip("/") + target if absolute else target
            links.append(Link(f"{month_year(other.day)} | CWA # {other.cwa}", author,
                              other.listing_title, href))
        return links

    # --- serving --------------------------------------------------------------------------
    def respond(self, target: str, base_url: str = DEFAULT_BASE) -> Page:
        """The page for a request target (`/path?query`), as the origin server would send it."""
        parsed = parse_target(target)
        if parsed.path == "/robots.txt":
            return Page(200, self.robots_txt().encode(), "text/plain; charset=utf-8")
        if parsed.is_article:
            number = parsed.record_no
            if number is None or number not in self._by_no:
                return self._not_found(number)
            return self._article_page(self._by_no[number], parsed.params.get("url"), base_url)
        if self.index_pages:
            html = self._index_page(parsed.path, target)
            if html is not None:
                return Page(200, html.encode())
        return self._not_found(None)

    def robots_txt(self) -> str:
        lines = ["User-agent: *", *(f"Disallow: {path}" for path in self.disallow)]
        return "\n".join(lines) + "\n"

    def render(self, record_no: int, base_url: str = DEFAULT_BASE, label: str | None = None) -> str:
        """The HTML of a record's page, with `label` as its label line (default: canonical)."""
        entry = self.entry(record_no)
        _, layout = _article(entry, self.seed)
        layout = replace(layout, links=self._links(entry, base_url))
        return render_article(layout, label or self._canonical_label(entry), entry.style,
                              self._nav())

    def _article_page(self, entry: Entry, label: str | None, base_url: str) -> Page:
        html = self.render(entry.record_no, base_url, label)
        return Page(200, html.encode(), record_no=entry.record_no,
                    last_modified=self.last_modified(entry.record_no))

    def _nav(self) -> tuple[str, str]:
        return ("/", "/europe/") if self.index_pages else ("#", "#")

    def _not_found(self, record_no: int | None) -> Page:
        body = "<html><body><h1>404 Not Found</h1><p>No such page.</p></body></html>\n"
        return Page(404, body.encode(), record_no=record_no)

    def _index_page(self, path: str, target: str) -> str | None:
        if path == "/":
            latest = [self._row(n) for n in reversed(self._numbers[-idx.HOME_LATEST:])]
            series = sorted({e.series for e in self.catalog.entries})
            return idx.home_page(latest, series, self._nav())
        if path == "/europe/":
            return idx.europe_page(self._europe_rows(), self._nav())
        if path == idx.ARCHIVE:
            return self._archive(target)
        return None

    def endless_archive_page(self, target: str) -> Page | None:
        """A series archive page under the `endless_listing` fault: every page, past the last
        one too (without entries), has an `Older` link to the next; None for other targets."""
        if not self.index_pages or parse_target(target).path != idx.ARCHIVE:
            return None
        html = self._archive(target, endless=True)
        return None if html is None else Page(200, html.encode())

    def _archive(self, target: str, endless: bool = False) -> str | None:
        query = dict(p.partition("=")[::2] for p in target.partition("?")[2].split("&"))
        series, number = query.get("series", ""), query.get("page", "")
        numbers = [e.record_no for e in reversed(self.catalog.entries) if e.series == series]
        if not numbers or not number.isdigit() or int(number) < 1:
            return None
        start = (int(number) - 1) * idx.ARCHIVE_PAGE_SIZE
        if start >= len(numbers) and not endless:
            return None
        chunk = numbers[start:start + idx.ARCHIVE_PAGE_SIZE]
        has_next = endless or start + idx.ARCHIVE_PAGE_SIZE < len(numbers)
        return idx.archive_page(series, int(number), [self._row(n) for n in chunk], has_next,
                                self._nav())

    def _row(self, record_no: int) -> tuple[Entry, str]:
        entry = self.entry(record_no)
        return entry, _targets(entry, self.seed)[0]
