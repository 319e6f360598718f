"""`extract_page`: the extractor's entry point."""

from __future__ import annotations

from gpscrape.extract.errors import ExtractError
from gpscrape.extract.record import PageRecord

EXTRACTOR_VERSION = "0.1.0"


def extract_page(html: bytes | str, url: str) -> PageRecord:
    """Turn one page into its page record, or raise `ExtractError` with the reason."""
    raise ExtractError("extractor under construction")
