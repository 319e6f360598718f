"""Pure extraction: HTML and URL in, page record out. No Scrapy, no I/O."""

from gpscrape.extract.errors import ExtractError
from gpscrape.extract.page import EXTRACTOR_VERSION, extract_page
from gpscrape.extract.record import ListingEntry, PageRecord, Section, Topic

__all__ = [
    "EXTRACTOR_VERSION",
    "ExtractError",
    "ListingEntry",
    "PageRecord",
    "Section",
    "Topic",
    "extract_page",
]
