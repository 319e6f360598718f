"""The verdict on one fetched page: given once, where the page is read, with its reason.

The crawl's spider callback (`gpscrape.spiders.gp`) and the offline rebuild
(`gpscrape.archive.replay`) both call `judge_response` or `judge_page`, so a page gets the same
verdict whichever path reads it: a crawl tags its probes and backfill guesses in
`request.meta[GUESS]`, and the archive keeps that tag with the response
(`gpscrape.archive.writer.GUESS_HEADER`; pages archived before it are judged as pages the
crawl was led to). An extractor bug never escapes: it quarantines the page, with the
exception in the reason.

Verdicts on a response (`judge_*`):
- `record`: an article page, read into a record;
- `listing`: a listing page (entries, no recordNo);
- `index`: a page other than an article with nothing to extract (its links only);
- `missing`: a `404` (a probe's is a `probe_miss`), or a backfill guess answering without any
  article;
- `broken`: an article page the crawl was led to (a link, a seed, a stored URL) answering
  `200` without any article or listing: a layout the extractor no longer recognises;
- `quarantined`: the extraction failed (not HTML, an extractor error);
- `probe_miss`: a probe above the highest known recordNo that found no article;
- `unchanged`: `304 Not Modified` to a revalidation.
The spider turns a `record` into `filtered` (left out by series/since/limit) or `duplicate`
(a redirect to a record already fetched), and gives a request without a usable response
`failed` (after retries) or `robots_refused`. So every request the spider sends ends in one
verdict. `Verdicts` counts them (stats `gpscrape/verdict/<name>`) and names the pages of the
verdicts a run's summary and report list.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from gpscrape import urls
from gpscrape.extract import ExtractError, PageRecord, extract_page
from gpscrape.extract.blocks import blocks_of_tree, parse_tree
from gpscrape.extract.page import extract_blocks
from gpscrape.extract.response import (
    HtmlResponse,
    declared_encoding,
    extract_body,
    extract_response,
    page_links,
    same_bytes_decoding,
    tree_links,
)
from gpscrape.extract.w3lib_guard import is_native_panic

logger = logging.getLogger(__name__)

RECORD = "record"
LISTING = "listing"
INDEX = "index"
MISSING = "missing"
BROKEN = "broken"
QUARANTINED = "quarantined"
PROBE_MISS = "probe_miss"
UNCHANGED = "unchanged"
FILTERED = "filtered"
DUPLICATE = "duplicate"
FAILED = "failed"
ROBOTS_REFUSED = "robots_refused"
# Verdicts on a response that was received, then on a request without a usable response.
RESPONSE_VERDICTS: tuple[str, ...] = (RECORD, LISTING, INDEX, MISSING, BROKEN, QUARANTINED,
                                      PROBE_MISS, UNCHANGED, FILTERED, DUPLICATE)
VERDICTS: tuple[str, ...] = (*RESPONSE_VERDICTS, FAILED, ROBOTS_REFUSED)
NAMED: tuple[str, ...] = (MISSING, BROKEN, QUARANTINED, FAILED)  # pages kept with their reason
STAT = "gpscrape/verdict/"  # stats key prefix: one counter per verdict

GUESS = "gpscrape_guess"  # request meta key: why a page that may not exist was requested
VERDICT = "gpscrape_verdict"  # response meta key: the verdict the spider gave the page
PROBE = "probe"  # a recordNo above the highest known one (`gpscrape.incremental`)
BACKFILL = "backfill"  # a recordNo of a backfill's range
# Scheduler priority of a crawl's requests for landing and listing pages, for the newest record
# met so far and for probes (other requests: 0). Fetched before the articles waiting, they keep
# discovery ahead of the downloads: a listing leads to the next one (a series' archive is a
# chain of pages), and probes look above the newest record. Left in the requests' last-in-
# first-out queue, where every page's links go on top, they would be fetched last and end the
# crawl on pages fetched one at a time.
DISCOVERY_PRIORITY = 1
NOT_MODIFIED = 304
NO_CONTENT_REASON = "page without article or listing"


@dataclass(frozen=True, slots=True)
class Verdict:
    """A page's verdict (one of `VERDICTS`), why (for all but a record or listing), and the
    record of a `record` or `listing`."""

    name: str
    reason: str | None = None
    record: PageRecord | None = None


def judge_page(body: bytes, url: str, status: int = 200, guess: str | None = None) -> Verdict:
    """The verdict on a page answering `status` with `body` (`guess`: its request's tag)."""
    early = by_status(status, guess)
    if early is not None:
        return early
    try:
        return _read(extract_page(body, url))
    except Exception as error:
        return _failed(error, url, guess)


def judge_response(response: HtmlResponse, status: int = 200, guess: str | None = None,
                   *, from_body: bool = False, html: bool = True) -> tuple[Verdict, list[str]]:
    """`judge_page` of a fetched HTML page, read from the tree Scrapy parsed, and the page's
    links (`href` values) from that same tree (see `extract_response`); `from_body`: read
    from the page's bytes, parsed once, where the decodings agree (`extract_body`, for a
    process without Scrapy's tree; `html`: whether parsel would parse the page as HTML)."""
    early = by_status(status, guess)
    if early is not None:
        return early, []
    try:
        return _judged_response(response, guess, from_body, html)
    except BaseException as error:
        if not is_native_panic(error):
            raise
        # Scrapy could not decode the page (see `w3lib_guard`): read it from its bytes.
        return judge_page(response.body, response.url, status, guess), _body_links(response.body)


def _judged_response(response: HtmlResponse, guess: str | None, from_body: bool, html: bool
                     ) -> tuple[Verdict, list[str]]:
    """`judge_response` past the status."""
    try:
        page = extract_body(response, html) if from_body else extract_response(response)
    except Exception as error:
        return _failed(error, response.url, guess), page_links(response.selector)
    return _read(page.record), page.links


def _body_links(body: bytes) -> list[str]:
    """The links of a page read from its bytes (`blocks.parse_tree`); none if it does not
    parse."""
    try:
        return tree_links(parse_tree(body))
    except Exception:
        return []


def judge_html(body: bytes, url: str, content_type: bytes | None, encoding: str | None,
               guess: str | None = None) -> tuple[Verdict, list[str]] | None:
    """`judge_response(from_body=True)` of the Scrapy `HtmlResponse` of `body` (with that
    `Content-Type`, built with `encoding`) answering 200, without that response: the page's
    bytes parsed once where Scrapy's decoding is declared and agrees with ours; None elsewhere
    (or where the bytes do not parse), for `judge_response` to say."""
    declared = declared_encoding(body, content_type, encoding)
    if declared is None or not same_bytes_decoding(body, declared):
        return None
    try:
        root = parse_tree(body)
    except Exception:
        return None
    links = tree_links(root)
    try:
        record = extract_blocks(blocks_of_tree(root), url)
    except Exception as error:
        return _failed(error, url, guess), links
    return _read(record), links


def by_status(status: int, guess: str | None) -> Verdict | None:
    """The verdict the status alone gives (a `404` or a `304`), else None."""
    if status == 404:
        return Verdict(PROBE_MISS if guess == PROBE else MISSING, "HTTP 404")
    if status == NOT_MODIFIED:
        return Verdict(UNCHANGED, "HTTP 304")
    return None


def _read(record: PageRecord) -> Verdict:
    return Verdict(LISTING if record.record_no is None else RECORD, record=record)


def _failed(error: Exception, url: str, guess: str | None) -> Verdict:
    """The verdict on a failed extraction (called while handling `error`)."""
    if isinstance(error, ExtractError) and error.no_content:
        if urls.record_key(url) is None:
            return Verdict(INDEX, error.reason)
        if guess == PROBE:
            return Verdict(PROBE_MISS, error.reason)
        if guess == BACKFILL:
            return Verdict(MISSING, error.reason)
        return Verdict(BROKEN, f"{NO_CONTENT_REASON}: {error.reason}")
    if isinstance(error, ExtractError):
        return Verdict(QUARANTINED, error.reason)
    logger.exception("Extractor crashed on %s", url)  # an extractor bug must not lose the page
    return Verdict(QUARANTINED, f"extractor crashed: {type(error).__name__}: {error}")


@dataclass(slots=True)
class Verdicts:
    """A run's verdicts: a count per verdict and the `(url, reason)` of the `NAMED` ones; with
    Scrapy's stats collector given to `add`, each is counted there too, as
    `gpscrape/verdict/<name>`."""

    counts: Counter[str] = field(default_factory=Counter)
    pages: dict[str, list[tuple[str, str]]] = field(
        default_factory=lambda: {name: [] for name in NAMED})

    def add(self, name: str, url: str, reason: str | None = None, stats: Any = None) -> None:
        if name not in VERDICTS:
            raise ValueError(f"not a verdict: {name!r}")
        self.counts[name] += 1
        if stats is not None:
            stats.inc_value(STAT + name)
        if name in self.pages:
            self.pages[name].append((url, reason or name))

    def as_stats(self) -> dict[str, int]:
        """The counts as the stats keys a crawl records them under."""
        return {STAT + name: n for name, n in self.counts.items()}
