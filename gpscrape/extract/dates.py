"""Dates as the site prints them, with their precision.

A fast path reads the formats the site uses (`2 March 2023`, `02 July 2023`, `31 October, 2023`,
`November 2021`, `November 22, 2023`, `2023`) with one regular expression; anything else goes to
one configured dateparser (`languages=["en"]`, `PREFER_DAY_OF_MONTH="first"`), whose period gives
the precision, so a missing day is never filled in. An impossible date (`31 February 2023`)
parses to None: callers keep the printed text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# A date somewhere in a line: `D Month[,] YYYY`, `Month D, YYYY`, `Month YYYY`.
DATE_IN_TEXT = re.compile(
    rf"\b(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m1>{_MONTH}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<m3>{_MONTH}),?\s+(?P<y3>\d{{4}}))\b",
    re.I,
)
_YEAR = re.compile(r"(?:19|20)\d{2}")
_YEAR_IN = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")  # dateparser only sees dated strings


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A printed date: its value (None when impossible), precision and the text as printed."""

    value: date | None
    precision: str | None
    raw: str


def find_date(text: str) -> tuple[ParsedDate, re.Match[str]] | None:
    """The first date printed in `text`, with its match (for cutting it out of the line)."""
    match = DATE_IN_TEXT.search(text)
    if match is None:
        return None
    return _from_match(match), match


def parse_date(text: str) -> ParsedDate | None:
    """A whole string that is a date -> ParsedDate; None when it is not a date at all."""
    raw = text.strip().rstrip(".").strip()
    if not raw:
        return None
    match = DATE_IN_TEXT.fullmatch(raw)
    if match is not None:
        return _from_match(match)
    if _YEAR.fullmatch(raw):
        return ParsedDate(date(int(raw), 1, 1), "year", raw)
    return _dateparser(raw)


def _from_match(match: re.Match[str]) -> ParsedDate:
    groups = match.groupdict()
    raw = match.group(0)
    if groups["y3"]:
        month = MONTHS[groups["m3"].lower().rstrip(".")]
        return ParsedDate(date(int(groups["y3"]), month, 1), "month", raw)
    day, month_name, year = (
        (groups["d1"], groups["m1"], groups["y1"]) if groups["y1"]
        else (groups["d2"], groups["m2"], groups["y2"])
    )
    try:
        value = date(int(year), MONTHS[month_name.lower().rstrip(".")], int(day))
    except ValueError:
        return ParsedDate(None, None, raw)
    return ParsedDate(value, "day", raw)


@lru_cache(maxsize=1)
def _parser() -> DateDataParser:
    """The configured dateparser, imported when a date first needs it: the site's own formats
    never do, and the import costs a worker or a rebuild about 45 ms and 9 MiB."""
    from dateparser.date import DateDataParser  # noqa: PLC0415 (only when needed)

    return DateDataParser(
        languages=["en"],
        settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_TIME_AS_PERIOD": False,
                  "STRICT_PARSING": False, "REQUIRE_PARTS": ["year"]},
    )


def _dateparser(raw: str) -> ParsedDate | None:
    if len(raw) > 32 or len(raw.split()) > 5 or not _YEAR_IN.search(raw):
        return None
    try:
        data = _parser().get_date_data(raw)
    except (ValueError, OverflowError, TypeError):
        return None
    if data is None or data.date_obj is None:
        return None
    precision = data.period if data.period in ("day", "month", "year") else "day"
    value = data.date_obj.date()
    if precision == "month":
        value = value.replace(day=1)
    elif precision == "year":
        value = value.replace(month=1, day=1)
    return ParsedDate(value, precision, raw)
