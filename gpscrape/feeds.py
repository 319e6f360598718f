"""Scrapy feed exporters (`-O items.jsonl`, setting `FEEDS`) whose page rows look like records.

A `PageItem` is exported as `PageItem.to_dict()`: the page record as `gpscrape extract`
prints it, with the fetch fields (`fetched_at`, `content_sha256`, ...) beside the record's
fields at the top level; a `QuarantineItem` its own fields. `fetched_at` is ISO 8601. Setting
`FEED_EXPORTERS` maps every feed format of Scrapy to these classes.
"""

from __future__ import annotations

from typing import Any

from scrapy import exporters

from gpscrape.items import PageItem, QuarantineItem


def feed_row(item: Any) -> Any:
    """What a feed writes for `item`: a page or quarantine item's flat row, any other item
    unchanged."""
    return item.to_dict() if isinstance(item, PageItem | QuarantineItem) else item


class JsonLinesExporter(exporters.JsonLinesItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(feed_row(item))


class JsonExporter(exporters.JsonItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(feed_row(item))


class CsvExporter(exporters.CsvItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(feed_row(item))


class XmlExporter(exporters.XmlItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(feed_row(item))


class PickleExporter(exporters.PickleItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(feed_row(item))


class MarshalExporter(exporters.MarshalItemExporter):
    def export_item(self, item: Any) -> None:
        super().export_item(feed_row(item))
