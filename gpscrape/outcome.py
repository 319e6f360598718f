"""What one fetched page gives: a record, a missing page, or a broken one (with the reason).

The crawler and the offline rebuild both judge pages here, so a page is judged alike
whichever path reads it. An extractor bug never escapes: it makes the page broken, with the
exception in the reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from gpscrape.extract import ExtractError, PageRecord, extract_page
from gpscrape.extract.response import HtmlResponse, extract_response, page_links

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Outcome:
    """Exactly one of `record`, `missing` (a reason) and `broken` (a reason) is set."""

    record: PageRecord | None = None
    missing: str | None = None
    broken: str | None = None


def judge_page(body: bytes, url: str) -> Outcome:
    """Extract one page; no content is missing, anything else that fails is broken."""
    try:
        return Outcome(record=extract_page(body, url))
    except Exception as error:
        return _failed(error, url)


def judge_response(response: HtmlResponse) -> tuple[Outcome, list[str]]:
    """`judge_page` of a fetched HTML page, read from the tree Scrapy parsed, and the page's
    links (`href` values) from that same tree (see `extract_response`)."""
    try:
        page = extract_response(response)
    except Exception as error:
        return _failed(error, response.url), page_links(response.selector)
    return Outcome(record=page.record), page.links


def _failed(error: Exception, url: str) -> Outcome:
    """The outcome of a failed extraction (called while handling `error`)."""
    if isinstance(error, ExtractError):
        return Outcome(missing=error.reason) if error.no_content else Outcome(broken=error.reason)
    logger.exception("Extractor crashed on %s", url)  # an extractor bug must not lose the page
    return Outcome(broken=f"extractor crashed: {type(error).__name__}: {error}")
