"""The page record: the data contract's names, as dataclasses, each field declared once.

Every field carries, besides its type, what each consumer needs (`FieldInfo`): its one-line
description, how it is cleaned and its vocabulary. The Parquet columns that mirror the record
(`gpscrape.schema`), the validator (`pipelines.validate`) and the normaliser
(`pipelines.normalise`) read `record_fields()`; `docs/record.md` shows the same facts (a test
compares them).

`PageRecord.to_dict()` gives the JSON form printed by `gpscrape extract` (dates as ISO
strings, missing values as None, empty lists as []); `PageRecord.from_dict()` reads it back.
"""

from __future__ import annotations

import operator
import types
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from gpscrape.extract.vocab import (
    AFRICA_WEEKLY,
    CONFLICT_WEEKLY,
    CWA_COMMENTARY,
    EUROPE_MONITOR,
    EUROPE_STUDIES,
    SECTION_KINDS,
    STIR,
    TWTW,
)

# Vocabularies of the coded fields (`SECTION_KINDS`, for `Section.kind`, is in `vocab`).
PRECISIONS = ("day", "month", "year")
SERIES = (TWTW, CONFLICT_WEEKLY, AFRICA_WEEKLY, STIR, EUROPE_MONITOR, EUROPE_STUDIES,
          CWA_COMMENTARY)

# How the normaliser cleans a field's text (Unicode NFC and whitespace in every case).
LINE = "one line"  # whitespace collapsed to single spaces, trimmed
PARAGRAPHS = "paragraphs"  # each paragraph one line, paragraphs separated by a blank line
NAMES = "name list"  # each name one line, empty names removed
DATE = "date"  # a `datetime` or parsed-date result becomes a `date`

_INFO = "gpscrape"


@dataclass(frozen=True, slots=True)
class FieldInfo:
    """One record field as its consumers see it.

    `type` is `int`, `str`, `date` or a nested record class (for a list, its items' type);
    `nullable` says whether None is allowed (a list is never None, but empty). `clean` says
    how the normaliser cleans its text (`LINE`, `PARAGRAPHS`, `NAMES`, `DATE`). `vocabulary`
    lists the values of a coded text field: with `closed`, a value outside it breaks the
    contract; an open vocabulary only lists the known values (a new series is still kept)."""

    name: str
    type: type
    is_list: bool
    nullable: bool
    description: str
    clean: str
    vocabulary: tuple[str, ...] | None
    closed: bool


def info(description: str, *, clean: str = LINE, vocabulary: tuple[str, ...] | None = None,
         closed: bool = True, **options: Any) -> Any:
    """A dataclass field declared with its description, cleaning and vocabulary; `options`
    go to `dataclasses.field` (`default`, `default_factory`)."""
    return field(metadata={_INFO: {"description": description, "clean": clean,
                                   "vocabulary": vocabulary, "closed": closed}}, **options)


@dataclass(slots=True)
class Section:
    """One analytic section of a topic."""

    heading: str | None = info("heading as printed; null for text before the first heading")
    kind: str = info(f"canonical kind: {', '.join(SECTION_KINDS)}", vocabulary=SECTION_KINDS)
    text: str = info("the section's paragraphs, separated by a blank line", clean=PARAGRAPHS)


@dataclass(slots=True)
class Topic:
    """One sub-article of a page (a single-topic page has one)."""

    title: str | None = info("title of the topic (null where none is printed)", default=None)
    authors: list[str] = info("people on the topic's author line", clean=NAMES,
                              default_factory=list)
    standfirst: str | None = info("teaser printed under the topic's title", clean=PARAGRAPHS,
                                  default=None)
    sections: list[Section] = info("the topic's sections, in page order",
                                   default_factory=list)


@dataclass(slots=True)
class ListingEntry:
    """One entry of a `PREVIOUS COMMENTS` block or a landing page."""

    cwa_no: int | None = info("CWA number of the listed piece (`CWA # 1931` -> 1931)",
                              default=None)
    month: date | None = info("first day of the printed month", clean=DATE, default=None)
    title: str | None = info("title as printed (often cut at a colon)", default=None)
    authors: list[str] = info("people or teams named in the entry", clean=NAMES,
                              default_factory=list)
    author_bio: str | None = info("text after `|` on the entry's author line", default=None)
    url: str | None = info("the entry's link, absolute", default=None)
    record_no: int | None = info("`recordNo` in the entry's link", default=None)


@dataclass(slots=True)
class PageRecord:
    """One fetched page, as the data contract defines it."""

    record_no: int | None = info("`recordNo` from the URL: the site's key for the page")
    cwa_no: int | None = info("CWA number: `ArticleNo` in the URL or the page's own CWA line")
    url: str = info("URL the page was fetched from")
    series: str | None = info("canonical series name; null for a page outside any series",
                              vocabulary=SERIES, closed=False, default=None)
    series_raw: str | None = info("label line at the top of the page, as printed", default=None)
    title: str | None = info("issue or commentary title", default=None)
    issue_line_raw: str | None = info("issue line as printed, trimmed", default=None)
    issue_numbers: list[int] = info("issue numbers (`#294 & 295` -> [294, 295])",
                                    default_factory=list)
    volume: int | None = info("volume number (`Vol. 6` -> 6)", default=None)
    numbers: list[int] = info("numbers within the volume (`Nos. 48 & 49` -> [48, 49])",
                              default_factory=list)
    published: date | None = info("publication date (first day of the month or year when only "
                                  "those are printed)", clean=DATE, default=None)
    published_precision: str | None = info(f"precision of `published`: {', '.join(PRECISIONS)}",
                                           vocabulary=PRECISIONS, default=None)
    published_raw: str | None = info("the date as printed", default=None)
    byline: str | None = info("byline as printed: a team or a person", default=None)
    authors: list[str] = info("people credited as authors, in order, teams excluded",
                              clean=NAMES, default_factory=list)
    photo_source: str | None = info("the value after `Photo Source:`", default=None)
    standfirst: str | None = info("teaser paragraph for the whole page", clean=PARAGRAPHS,
                                  default=None)
    topics: list[Topic] = info("the page's sub-articles, in page order", default_factory=list)
    about_author: str | None = info("text under `About the author`", clean=PARAGRAPHS,
                                    default=None)
    listing: list[ListingEntry] = info("entries of the page's `PREVIOUS COMMENTS` block or "
                                       "of a landing page", default_factory=list)
    body_text: str = info("all topic text, paragraphs separated by a blank line",
                          clean=PARAGRAPHS, default="")
    # Codes of `extract.warnings.WARNINGS` (that module reads the record, so the validator
    # checks the codes rather than this declaration).
    warnings: list[str] = info("codes of the extractor's doubts about this page (see "
                               "`docs/record.md`); empty when it is sure", default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form: dates as ISO strings, nested records as dicts."""
        return _jsonable(asdict(self))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PageRecord:
        """Inverse of `to_dict` (ISO dates parsed back, nested dicts to dataclasses)."""
        values = dict(data)
        values["published"] = _date_or_none(values.get("published"))
        values["topics"] = [
            Topic(
                title=t.get("title"),
                authors=list(t.get("authors", [])),
                standfirst=t.get("standfirst"),
                sections=[Section(**s) for s in t.get("sections", [])],
            )
            for t in values.get("topics", [])
        ]
        values["listing"] = [
            ListingEntry(**{**e, "month": _date_or_none(e.get("month"))})
            for e in values.get("listing", [])
        ]
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in values.items() if k in names})


RECORD_TYPES: tuple[type, ...] = (PageRecord, Topic, Section, ListingEntry)


@cache
def record_fields(record: type) -> tuple[FieldInfo, ...]:
    """Every field of a record class, in declaration order, with its type read from the
    annotation and the rest from its declaration (`info`)."""
    hints = get_type_hints(record)
    found = []
    for f in fields(record):
        kind, is_list, nullable = _shape(hints[f.name])
        found.append(FieldInfo(f.name, kind, is_list, nullable, **f.metadata[_INFO]))
    return tuple(found)


@cache
def field_values(record: type) -> Callable[[Any], tuple]:
    """A function giving the values of a record's fields, in `record_fields` order, as a
    tuple (one `attrgetter` call instead of a `getattr` a field)."""
    names = [f.name for f in record_fields(record)]
    if len(names) == 1:
        return lambda value: (getattr(value, names[0]),)
    return operator.attrgetter(*names)


def _shape(hint: Any) -> tuple[type, bool, bool]:
    """(item type, is a list, may be None) of an annotation: `int | None`, `list[str]`..."""
    args = get_args(hint)
    if get_origin(hint) is list:
        return args[0], True, False
    if get_origin(hint) in (Union, types.UnionType):
        (kind,) = (a for a in args if a is not type(None))
        return kind, False, True
    return hint, False, False


def _date_or_none(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
