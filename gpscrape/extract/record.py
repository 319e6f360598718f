"""The page record: the data contract's names, as dataclasses.

`PageRecord.to_dict()` gives the JSON form printed by `gpscrape extract` (dates as ISO
strings, missing values as None, empty lists as []); `PageRecord.from_dict()` reads it back.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from datetime import date
from typing import Any


@dataclass(slots=True)
class Section:
    """One analytic section of a topic."""

    heading: str | None
    kind: str
    text: str


@dataclass(slots=True)
class Topic:
    """One sub-article of a page (a single-topic page has one)."""

    title: str | None = None
    authors: list[str] = field(default_factory=list)
    standfirst: str | None = None
    sections: list[Section] = field(default_factory=list)


@dataclass(slots=True)
class ListingEntry:
    """One entry of a `PREVIOUS COMMENTS` block or a landing page."""

    month: date | None = None
    cwa_no: int | None = None
    authors: list[str] = field(default_factory=list)
    author_bio: str | None = None
    title: str | None = None
    url: str | None = None
    record_no: int | None = None


@dataclass(slots=True)
class PageRecord:
    """One fetched page, as the data contract defines it."""

    record_no: int | None
    cwa_no: int | None
    url: str
    series: str | None = None
    series_raw: str | None = None
    title: str | None = None
    issue_line_raw: str | None = None
    issue_numbers: list[int] = field(default_factory=list)
    volume: int | None = None
    numbers: list[int] = field(default_factory=list)
    published: date | None = None
    published_precision: str | None = None
    published_raw: str | None = None
    byline: str | None = None
    authors: list[str] = field(default_factory=list)
    photo_source: str | None = None
    standfirst: str | None = None
    topics: list[Topic] = field(default_factory=list)
    about_author: str | None = None
    listing: list[ListingEntry] = field(default_factory=list)
    body_text: str = ""
    warnings: list[str] = field(default_factory=list)  # codes from `extract.warnings`

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
