"""Every Parquet table of a gpscrape dataset: columns, Arrow types, keys and descriptions.

This module is the one place that declares the tables. The columns that mirror a field of the
page record (name, type, nullability, vocabulary, description) are derived from the record's
declaration (`gpscrape.extract.record`); the others (fetch metadata, counts, positions,
history) are declared here. The writer writes with these schemas
(`gpscrape.dataset.rows` turns an item into each table's rows, `gpscrape.dataset.authors`
derives the `authors` rows), and `gpscrape schema` renders them as the data dictionary
(`gpscrape.data_dictionary`, docs/data-dictionary.md).

Types: dates are `date32`, timestamps `timestamp("us", tz="UTC")`, integers `int64` (read by
pandas as the nullable `Int64`), lists Arrow lists, text Arrow strings.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import pyarrow as pa

from gpscrape.extract.record import (
    FieldInfo,
    ListingEntry,
    PageRecord,
    Section,
    Topic,
    record_fields,
)

Row = dict[str, Any]
SortKey = tuple[Any, ...]

INT = pa.int64()
TEXT = pa.string()
DATE = pa.date32()
TIMESTAMP = pa.timestamp("us", tz="UTC")
INTS = pa.list_(INT)
TEXTS = pa.list_(TEXT)

DESCRIPTION = b"description"
# Arrow types of the record's scalar field types (a list field is an Arrow list of them).
ARROW_TYPES: dict[type, pa.DataType] = {int: INT, str: TEXT, date: DATE}


@dataclass(frozen=True, slots=True)
class Column:
    """One column: its name, Arrow type, whether it may be null, and a one-line description.

    `vocabulary` lists the values of a coded text column (`gpscrape.read` makes it a pandas
    `category`); a value outside it is still kept."""

    name: str
    type: pa.DataType
    description: str
    nullable: bool = True
    vocabulary: tuple[str, ...] | None = None

    def field(self) -> pa.Field:
        """The Arrow field, with the description in its metadata."""
        return pa.field(
            self.name, self.type, nullable=self.nullable,
            metadata={DESCRIPTION: self.description.encode()},
        )


@dataclass(frozen=True)
class Table:
    """One table: its columns, its row key and the unit a newer fetch replaces as a whole.

    `key(row)` orders the rows and is unique within the table. `group(row)` names the unit
    that a newer fetch replaces: every row of a record for `sections`, the row itself elsewhere.
    Within a run the row with the highest `rank(row)` wins its group, the newest on a tie
    (no rank: the newest); ranking by content rather than arrival keeps the result
    independent of crawl order. A later run replaces the groups it touches.
    """

    name: str
    description: str
    key_doc: str
    columns: tuple[Column, ...]
    key: Callable[[Row], SortKey]
    group: Callable[[Row], SortKey]
    rank: Callable[[Row], SortKey] | None = None

    @cached_property
    def schema(self) -> pa.Schema:
        """The Arrow schema written to Parquet (pandas metadata makes integers `Int64`)."""
        return pa.schema([c.field() for c in self.columns], metadata=_pandas_metadata(self.columns))

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _pandas_metadata(columns: Iterable[Column]) -> dict[bytes, bytes]:
    """Tell pandas to read every integer column as `Int64`, nulls or not."""
    ints = [
        {"name": c.name, "field_name": c.name, "pandas_type": "int64",
         "numpy_type": "Int64", "metadata": None}
        for c in columns
        if c.type == INT
    ]
    return {b"pandas": json.dumps(
        {"index_columns": [], "column_indexes": [], "columns": ints}, sort_keys=True
    ).encode()}


def column_fields(record: type) -> list[FieldInfo]:
    """The fields of `record` a table column mirrors: all but the nested records."""
    return [f for f in record_fields(record) if f.type in ARROW_TYPES]


def record_columns(record: type, prefix: str = "", required: tuple[str, ...] = ()
                   ) -> tuple[Column, ...]:
    """A column per field of `record` that is not a nested record, in declaration order, named
    `prefix` + the field's name; `required` names fields whose column is never null."""
    columns = []
    for f in column_fields(record):
        arrow = ARROW_TYPES[f.type]
        columns.append(Column(prefix + f.name, pa.list_(arrow) if f.is_list else arrow,
                              f.description, nullable=f.nullable and f.name not in required,
                              vocabulary=f.vocabulary))
    return tuple(columns)


def _text_key(value: str | None) -> str:
    return value or ""


def _sort_int(value: int | None) -> int:
    return -1 if value is None else value


FETCH_COLUMNS = (
    Column("fetched_at", TIMESTAMP, "when the page was fetched (UTC)", nullable=False),
    Column("content_sha256", TEXT, "SHA-256 hex digest of the response body as received"),
    Column("extractor_version", TEXT, "version of the extractor that produced the record"),
)

_BEFORE_HISTORY = "; null for a row published before history was kept"
HISTORY_COLUMNS = (
    Column("revision", INT, "number of the record's current version in `revisions` (1 for "
           "the first)" + _BEFORE_HISTORY),
    Column("first_seen_at", TIMESTAMP, "when the record was first fetched (UTC)"
           + _BEFORE_HISTORY),
    Column("last_seen_at", TIMESTAMP, "when the record was last fetched or found unchanged "
           "by a conditional request (UTC)" + _BEFORE_HISTORY),
    Column("changed_at", TIMESTAMP, "when the current version was first seen (UTC); null "
           "while the record has never changed"),
)

# The page record's own fields (its rows exist only for a `record_no`), with the counts of its
# topics, sections and listing entries after `body_text`.
_PAGE_COLUMNS = record_columns(PageRecord, required=("record_no",))
_AFTER_BODY_TEXT = [c.name for c in _PAGE_COLUMNS].index("body_text") + 1

ARTICLES = Table(
    name="articles",
    description="One row per page record with a `record_no`. A run replaces earlier runs' "
    "rows; when a run fetches a record through several URLs, the greatest URL wins (the "
    "newest fetch of one URL).",
    key_doc="`record_no`",
    columns=(
        *_PAGE_COLUMNS[:_AFTER_BODY_TEXT],
        Column("topic_count", INT, "number of topics (sub-articles) on the page", nullable=False),
        Column("topic_titles", TEXTS, "title of each topic in page order (null where none is "
               "printed)", nullable=False),
        Column("section_count", INT, "number of sections over all topics", nullable=False),
        Column("listing_count", INT, "number of listing entries on the page", nullable=False),
        *_PAGE_COLUMNS[_AFTER_BODY_TEXT:],
        *FETCH_COLUMNS,
        Column("etag", TEXT, "HTTP `ETag` of the response"),
        Column("last_modified", TEXT, "HTTP `Last-Modified` of the response, as sent"),
        *HISTORY_COLUMNS,
    ),
    key=lambda row: (row["record_no"],),
    group=lambda row: (row["record_no"],),
    rank=lambda row: (row["url"],),
)

SECTIONS = Table(
    name="sections",
    description="One row per section of every topic of every article, from the fetch that "
    "gives the record's `articles` row.",
    key_doc="`record_no`, `topic_index`, `section_index`",
    columns=(
        Column("record_no", INT, "the article's `record_no`", nullable=False),
        Column("topic_index", INT, "position of the topic on the page, from 0", nullable=False),
        *record_columns(Topic, prefix="topic_"),
        Column("section_index", INT, "position of the section within its topic, from 0",
               nullable=False),
        *record_columns(Section),
    ),
    key=lambda row: (row["record_no"], row["topic_index"], row["section_index"]),
    group=lambda row: (row["record_no"],),
)


def _listing_key(row: Row) -> SortKey:
    if row["cwa_no"] is not None:
        return (0, row["cwa_no"], "", "")
    return (1, 0, _text_key(row["url"]), _text_key(row["title"]))


LISTINGS = Table(
    name="listings",
    description="One row per listed CWA number (or per listed entry without one), from the "
    "`PREVIOUS COMMENTS` blocks and landing pages. A run replaces earlier runs' rows; within "
    "a run the sighting on the page with the highest `record_no` wins.",
    key_doc="`cwa_no`; for entries without one, `url` and `title`",
    columns=(
        *record_columns(ListingEntry),
        Column("seen_on_record_no", INT, "`record_no` of the page listing it (null for a "
               "landing page without one)"),
        Column("seen_on_url", TEXT, "URL of the page listing it", nullable=False),
        Column("fetched_at", TIMESTAMP, "when that page was fetched (UTC)", nullable=False),
    ),
    key=_listing_key,
    group=_listing_key,
    rank=lambda row: (_sort_int(row["seen_on_record_no"]), row["seen_on_url"]),
)

AUTHORS = Table(
    name="authors",
    description="One row per person (never a team) credited on an article or named in a "
    "listing entry; rebuilt from `articles` and `listings` at every write.",
    key_doc="`name`",
    columns=(
        Column("name", TEXT, "the person's name as first spelled", nullable=False),
        Column("record_nos", INTS, "records crediting the person: article authors, and "
               "listing entries linking to a record", nullable=False),
        Column("bios", TEXTS, "distinct bios seen: `About the author` of their single-author "
               "articles and `Name | bio` of listing entries", nullable=False),
    ),
    key=lambda row: (row["name"],),
    group=lambda row: (row["name"],),
)

QUARANTINE = Table(
    name="quarantine",
    description="Pages that could not be turned into a valid record, with the reason. The "
    "newest fetch of a URL wins; a run that publishes a record, under any of its URLs, "
    "removes the record's rows.",
    key_doc="`url`",
    columns=(
        Column("url", TEXT, "URL of the page", nullable=False),
        Column("reason", TEXT, "why the page was quarantined", nullable=False),
        Column("record_no", INT, "`recordNo` from the URL, when known"),
        *FETCH_COLUMNS,
    ),
    key=lambda row: (row["url"],),
    group=lambda row: (row["url"],),
)

REVISIONS = Table(
    name="revisions",
    description="One row per version of each record: consecutive fetches with the same "
    "content make one revision, from its first to its last sighting; a fetch with other "
    "content adds one. The content is the page record without `url`, `series_raw` (the site "
    "echoes the label of the URL asked for; `series` stays in), `listing` (the "
    "`PREVIOUS COMMENTS` sidebar changes whenever anything is published) and `warnings`, "
    "empty fields left out; `content_sha256` of the raw body is not used, as the page's "
    "chrome changes with every new article. A `304 Not Modified` answer extends the current "
    "revision. Merged with the published history at every write; `gpscrape reextract` "
    "rebuilds it from the archived responses.",
    key_doc="`record_no`, `revision`",
    columns=(
        Column("record_no", INT, "the article's `record_no`", nullable=False),
        Column("revision", INT, "1 for the first version seen, then 2, 3, ...", nullable=False),
        Column("record_sha256", TEXT, "SHA-256 hex digest of the record's content (canonical "
               "JSON of its content fields)", nullable=False),
        Column("first_seen_at", TIMESTAMP, "`fetched_at` of the first fetch giving this "
               "version (UTC)", nullable=False),
        Column("last_seen_at", TIMESTAMP, "`fetched_at` of the last fetch giving this "
               "version, or of a later `304 Not Modified` (UTC)", nullable=False),
        Column("changed_fields", TEXTS, "record fields that differ from the previous revision "
               "(e.g. `title`, `topics`); empty for revision 1", nullable=False),
        Column("field_digests", TEXTS, "`field:digest` for each non-empty content field (first "
               "16 hex digits of the SHA-256 of its JSON): what `changed_fields` compares",
               nullable=False),
    ),
    key=lambda row: (row["record_no"], row["revision"]),
    group=lambda row: (row["record_no"],),
)

TABLES: dict[str, Table] = {t.name: t for t in (ARTICLES, SECTIONS, LISTINGS, AUTHORS, QUARANTINE,
                                                REVISIONS)}
# Tables filled from items; `authors` is derived from `articles` and `listings`, `revisions`
# from the items' sightings (gpscrape.dataset.history).
ITEM_TABLES: tuple[str, ...] = ("articles", "sections", "listings", "quarantine")
