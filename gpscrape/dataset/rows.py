"""A page item as the rows of each item table (`gpscrape.schema` declares the tables)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from gpscrape.extract.record import ListingEntry
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.schema import HISTORY_COLUMNS, Row, column_fields


def _fetch_values(item: PageItem) -> Row:
    return {
        "fetched_at": item.fetched_at,
        "content_sha256": item.content_sha256,
        "extractor_version": item.extractor_version,
    }


@cache
def _columns(record: type, prefix: str) -> tuple[tuple[str, str, bool], ...]:
    """(field, column, is a list) of each column field of a record class (`column_fields`)."""
    return tuple((f.name, prefix + f.name, f.is_list) for f in column_fields(record))


def _copy(record: Any, prefix: str = "") -> Row:
    """The values of `record`'s column fields (`record_columns`), lists copied."""
    values = {}
    for name, column, is_list in _columns(type(record), prefix):
        value = getattr(record, name)
        values[column] = list(value) if is_list else value
    return values


def article_rows(item: PageItem) -> list[Row]:
    """The page's `articles` row; none for a listing-only page without a `record_no`."""
    r = item.record
    if r.record_no is None:
        return []
    return [{
        **_copy(r),
        "topic_count": len(r.topics), "topic_titles": [t.title for t in r.topics],
        "section_count": sum(len(t.sections) for t in r.topics),
        "listing_count": len(r.listing),
        **_fetch_values(item), "etag": item.etag, "last_modified": item.last_modified,
        **dict.fromkeys(c.name for c in HISTORY_COLUMNS),  # the writer fills them at publishing
    }]


def section_rows(item: PageItem) -> list[Row]:
    """One row per section; none for a page without a `record_no`."""
    r = item.record
    if r.record_no is None:
        return []
    rows = []
    for ti, topic in enumerate(r.topics):
        topic_values = _copy(topic, prefix="topic_")  # once a topic: its rows share its lists
        rows.extend({"record_no": r.record_no, "topic_index": ti, **topic_values,
                     "section_index": si, **_copy(section)}
                    for si, section in enumerate(topic.sections))
    return rows


def listing_row(item: PageItem, entry: ListingEntry) -> Row:
    """The row of one listing entry of the page, with where it was seen."""
    r = item.record
    return {**_copy(entry), "seen_on_record_no": r.record_no, "seen_on_url": r.url,
            "fetched_at": item.fetched_at}


def listing_rows(item: PageItem) -> list[Row]:
    """One row per listing entry of the page, with where it was seen."""
    return [listing_row(item, e) for e in item.record.listing]


def listing_key_row(entry: ListingEntry) -> Row:
    """The columns of an entry's row that `LISTINGS.group` reads (its key)."""
    return {"cwa_no": entry.cwa_no, "url": entry.url, "title": entry.title}


def listing_rank_row(item: PageItem) -> Row:
    """The columns of the page's listing rows that `LISTINGS.rank` reads (where they were
    seen: the same for all of them)."""
    return {"seen_on_record_no": item.record.record_no, "seen_on_url": item.record.url}


def quarantine_rows(item: QuarantineItem) -> list[Row]:
    """The quarantined page's row."""
    return [{
        "url": item.url, "reason": item.reason, "record_no": item.record_no,
        "fetched_at": item.fetched_at, "content_sha256": item.content_sha256,
        "extractor_version": item.extractor_version,
    }]


def item_rows(item: PageItem | QuarantineItem) -> Iterator[tuple[str, Row]]:
    """Every (table name, row) an item contributes to the item tables but `listings`: the
    writer builds a listing row only for an entry that wins its group (`listing_key_row`,
    `listing_rank_row`, `listing_row`)."""
    if isinstance(item, QuarantineItem):
        for row in quarantine_rows(item):
            yield "quarantine", row
        return
    for name, flatten in (("articles", article_rows), ("sections", section_rows)):
        for row in flatten(item):
            yield name, row
