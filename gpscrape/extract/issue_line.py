"""The issue-line grammar: `The World This Week #294 & 295 Vol. 6 Nos. 48 & 49, 26 January 2025`.

A line is an issue line when it opens with a series name (or `#N`, `Vol`) and everything after
it is issue numbers (`#N`, `# N`, `#N & M`, `#N&M`, `#N and M`, `#N-M`), a volume (`Vol 2`,
`Vol.2`, `Vol. 2`), numbers (`No 13`, `No.8 & 9`, `Nos. 41-43`, `Issue 10`) and a date, in any
order, separated by `,`, a space or nothing. Counter lines (`CWA # 67, 16 December 2018`,
`IPRI # 69, 27 May 2020`) are read by `parse_counter_line`; they are not issue lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from gpscrape.extract._scan import has_digit
from gpscrape.extract.dates import ParsedDate, find_date
from gpscrape.extract.vocab import GLUED_INITIATIVE, ISSUE_LINE_SERIES, matched_series

_LIST = r"\d+(?:\s*(?:&|and|-|–|—)\s*\d+)*"
_ISSUE_NOS = re.compile(rf"#\s*(?P<list>{_LIST})", re.I)
_VOLUME = re.compile(r"\bVol(?:ume)?\s*\.?\s*(?P<n>\d+)", re.I)
_NUMBERS = re.compile(rf"\b(?:Nos?|Numbers?|Issues?)\b\s*\.?\s*(?P<list>{_LIST})", re.I)
_LEFTOVER = re.compile(r"[\s,.;:|()\-–]+|\(STIR\)", re.I)
_COUNTER = re.compile(r"^(?P<kind>CWA|IPRI)\s*#\s*(?P<n>\d+)\b[\s,.;:]*(?P<rest>.*)$", re.I)
_LIST_PARTS = re.compile(r"\s*(?:&|\band\b)\s*")
_RANGE_BOUNDS = re.compile(r"\s*[-–—]\s*")
_BARE_ISSUE = re.compile(r"#\s*\d|Vol\b", re.I)  # an issue line without its series name
_RANGE_LIMIT = 60
_CACHED_LINE_MAX = 400  # longer lines (paragraphs) are read at once and never kept


@dataclass(slots=True)
class IssueLine:
    """What an issue line says."""

    raw: str
    series: str | None
    issue_numbers: list[int] = field(default_factory=list)
    volume: int | None = None
    numbers: list[int] = field(default_factory=list)
    date: ParsedDate | None = None


@dataclass(slots=True)
class CounterLine:
    """A `CWA # N, date` or `IPRI # N, date` line."""

    kind: str  # "CWA" or "IPRI"
    number: int
    date: ParsedDate | None


def number_list(text: str) -> list[int]:
    """`294 & 295` -> [294, 295]; `279-281` -> [279, 280, 281]; `39 and 40` -> [39, 40]."""
    numbers: list[int] = []
    for part in _LIST_PARTS.split(text.strip()):
        bounds = _RANGE_BOUNDS.split(part)
        values = [int(b) for b in bounds if b.isdigit()]
        if len(values) == 2 and 0 < values[1] - values[0] <= _RANGE_LIMIT:
            numbers.extend(range(values[0], values[1] + 1))
        else:
            numbers.extend(values)
    return numbers


def parse_issue_line(line: str) -> IssueLine | None:
    """Parse one line; None when it is not an issue line."""
    read = _read_short_issue_line(line) if len(line) <= _CACHED_LINE_MAX else _read_issue_line(line)
    if read is None:
        return None
    raw, series, issue_numbers, volume, numbers, dated = read
    return IssueLine(raw, series, list(issue_numbers), volume, list(numbers), dated)


def _read_issue_line(line: str) -> tuple | None:
    """What `parse_issue_line` returns, as a tuple (the numbers as tuples): cached for short
    lines, which the header, the chrome and the warnings ask about several times a page."""
    if not has_digit(line):
        return None  # (every part of an issue line but its series name holds a digit)
    text = GLUED_INITIATIVE.sub("", line).strip()
    if not text or len(text) > 240:
        return None
    series = None
    rest = text
    match = ISSUE_LINE_SERIES.match(text)
    if match:
        series, rest = matched_series(match), text[match.end():]
    if series is None and not _BARE_ISSUE.match(text):
        return None
    issue_numbers: list[int] = []
    volume = None
    numbers: list[int] = []
    date = None
    spans: list[tuple[int, int]] = []
    found = _ISSUE_NOS.search(rest)
    if found:
        issue_numbers = number_list(found.group("list"))
        spans.append(found.span())
    found = _VOLUME.search(rest)
    if found:
        volume = int(found.group("n"))
        spans.append(found.span())
    found = _NUMBERS.search(rest)
    if found:
        numbers = number_list(found.group("list"))
        spans.append(found.span())
    dated = find_date(_blank(rest, spans))
    if dated:
        date, match = dated
        spans.append(match.span())
    if not spans or _LEFTOVER.sub("", _blank(rest, spans)):
        return None
    if series is None and date is None and not issue_numbers:
        return None
    return text, series, tuple(issue_numbers), volume, tuple(numbers), date


_read_short_issue_line = lru_cache(maxsize=2048)(_read_issue_line)


def parse_counter_line(line: str) -> CounterLine | None:
    """`CWA # 67, 16 December 2018` -> CounterLine("CWA", 67, date); None otherwise."""
    read = (_read_short_counter_line(line) if len(line) <= _CACHED_LINE_MAX
            else _read_counter_line(line))
    return None if read is None else CounterLine(*read)


def _read_counter_line(line: str) -> tuple[str, int, ParsedDate | None] | None:
    """What `parse_counter_line` returns, as a tuple; cached for short lines."""
    match = _COUNTER.match(line.strip())
    if match is None:
        return None
    rest = match.group("rest").strip()
    dated = find_date(rest) if rest else None
    if rest and (dated is None or len(rest) > len(dated[1].group(0)) + 2):
        return None
    return match.group("kind").upper(), int(match.group("n")), dated[0] if dated else None


_read_short_counter_line = lru_cache(maxsize=2048)(_read_counter_line)


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the given spans replaced by spaces (so later searches skip them)."""
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)

