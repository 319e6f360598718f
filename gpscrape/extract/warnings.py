"""Warnings: the codes a page record carries when the extractor doubts its own reading.

A warning says the extractor is not sure it read the page right, not that the page lacks
something: a page that prints no date carries none (the run's coverage checks count those).
`WARNINGS` declares every code once, with its meaning; `page_warnings` reads a finished
record and returns the codes that apply, in vocabulary order. `docs/record.md` lists them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from gpscrape.extract.dates import parse_date
from gpscrape.extract.issue_line import parse_counter_line, parse_issue_line
from gpscrape.extract.names import is_author_line, split_names
from gpscrape.extract.record import PageRecord
from gpscrape.extract.vocab import (
    CONFLICT_WEEKLY,
    KNOWN_HEADINGS,
    OTHER,
    TWTW,
    heading_key,
    is_team,
    label_series,
)

WARNINGS: dict[str, str] = {
    "no_title": "an article page whose title was not found",
    "untitled_topic": "a topic without a title among titled topics",
    "unclaimed_header_line": "a header line (issue line, CWA line, date or series label) read "
    "as a topic title, a heading or section text: the header was not read to its end",
    "names_as_text": "a paragraph of section text or a standfirst that is a list of names "
    "(a contributor line read as text)",
    "no_analytic_heading": "a page of an analytic series (The World This Week, Conflict "
    "Weekly) with several paragraphs and no heading at all",
    "unknown_heading": "on a page of an analytic series, a heading outside the vocabulary "
    "among a topic's analytic headings (not numbered, not a known heading): a title or a "
    "line read as a heading",
    "empty_section": "a section with a heading and no text before the next heading",
    "title_like_text": "a standfirst or a paragraph of section text shaped like a title or "
    "a heading (short, title-cased or `Region: headline`, no sentence end): a title or a "
    "heading read as text",
}

ANALYTIC_SERIES = frozenset({TWTW, CONFLICT_WEEKLY})
_NUMBERED = re.compile(r"^(?:\d{1,2}|[IVXivx]{1,4})[.)]?\s+\S")
_SENTENCE_MARKS = frozenset(".!?…:;,")  # what ends a sentence, before closing quotes
_CLOSERS = "\"”’')"
_SHORT_LINE_WORDS = 16
_NAMES_LINE_MAX = 400
_HEADER_LINE_MAX = 200
_AND = re.compile(r"\band\b")  # with `,` or `&`, what marks a list
_COLON_TITLE_WORDS = 6
_CLAUSE = re.compile(r",\s+[a-z]")  # `First, unlike …`: a sentence, not a title
_REGION_HEAD = re.compile(r"^[A-Z][\w'’.-]*(?:\s+[\w'’.-]+){0,3}:\s+\S")


def describe(code: str) -> str:
    """The one-line meaning of a warning code."""
    return WARNINGS[code]


def page_warnings(record: PageRecord) -> list[str]:
    """The warning codes of a finished page record, in vocabulary order."""
    if not record.topics and not record.title:
        return []  # a listing page: nothing was read that could be doubted
    paragraphs = _paragraphs(record)
    found = {code for code, check in _CHECKS.items() if check(record, paragraphs)}
    return [code for code in WARNINGS if code in found]


def _no_title(record: PageRecord, paragraphs: list[str]) -> bool:
    return record.record_no is not None and bool(record.topics) and not record.title


def _untitled_topic(record: PageRecord, paragraphs: list[str]) -> bool:
    titled = [t.title is not None for t in record.topics]
    return any(titled) and not all(titled)


def _header_line(text: str) -> bool:
    if len(text) > _HEADER_LINE_MAX:
        return False
    return bool(parse_issue_line(text) or parse_counter_line(text) or label_series(text)
                or (len(text) < 40 and parse_date(text)))


def _paragraphs(record: PageRecord) -> list[str]:
    """The paragraphs of every section's text, in page order."""
    return [p for topic in record.topics for section in topic.sections
            for p in section.text.split("\n\n") if p]


def _unclaimed_header_line(record: PageRecord, paragraphs: list[str]) -> bool:
    lines = [t.title for t in record.topics if t.title]
    lines += [s.heading for t in record.topics for s in t.sections
              if s.heading and s.kind == OTHER]
    if paragraphs:
        lines.append(paragraphs[0])
    return any(_header_line(line) for line in lines)


def _names_line(text: str) -> bool:
    """A list of two or more names, not all of them teams."""
    if len(text) > _NAMES_LINE_MAX:
        return False  # (before the search for a list mark, which reads the whole paragraph)
    listed = "," in text or "&" in text or ("and" in text and _AND.search(text))
    if not listed or not is_author_line(text):
        return False
    names = split_names(text)
    return len(names) >= 2 and not all(is_team(n) for n in names)


def _names_as_text(record: PageRecord, paragraphs: list[str]) -> bool:
    texts = [record.standfirst or ""] + [t.standfirst or "" for t in record.topics]
    return any(_names_line(p) for p in [*texts, *paragraphs] if p)


def _no_analytic_heading(record: PageRecord, paragraphs: list[str]) -> bool:
    if record.series not in ANALYTIC_SERIES:
        return False
    sections = [s for t in record.topics for s in t.sections]
    return len(paragraphs) >= 3 and not any(s.heading for s in sections)


def _unknown_heading(record: PageRecord, paragraphs: list[str]) -> bool:
    if record.series not in ANALYTIC_SERIES:
        return False  # Africa Weekly mixes `What happened?` with free headings
    for topic in record.topics:
        if not any(s.kind != OTHER for s in topic.sections):
            continue
        for section in topic.sections:
            if (section.kind == OTHER and section.heading
                    and not _NUMBERED.match(section.heading)
                    and heading_key(section.heading) not in KNOWN_HEADINGS):
                return True
    return False


def _empty_section(record: PageRecord, paragraphs: list[str]) -> bool:
    sections = [s for t in record.topics for s in t.sections]
    return any(s.heading and not s.text for s in sections[:-1])


def _title_shaped(text: str) -> bool:
    """A title- or heading-shaped line: short, opening with a capital, and either ending
    with `:` or without sentence punctuation at its end and `Region: headline` or
    title-cased (most of its longer words capitalised)."""
    if not text[:1].isupper():
        return False
    colon = text.endswith(":")
    if not colon and _ends_sentence(text):
        return False  # (asked before the split: most paragraphs end so)
    words = text.split(None, _SHORT_LINE_WORDS)  # a longer line's rest stays one "word"
    if len(words) > _SHORT_LINE_WORDS:
        return False
    if colon:
        return len(words) <= _COLON_TITLE_WORDS
    if _CLAUSE.search(text):
        return False
    if _REGION_HEAD.match(text):
        return True
    long_words = [w for w in words if len(w) >= 4]
    capitals = sum(1 for w in long_words if w[:1].isupper())
    return bool(long_words) and capitals >= 0.75 * len(long_words)


def _ends_sentence(text: str) -> bool:
    """Whether the text ends with sentence punctuation, maybe followed by closing quotes or
    brackets (and a final newline, as `$` allows), read from its end."""
    if text.endswith("\n"):
        text = text[:-1]
    return text.rstrip(_CLOSERS)[-1:] in _SENTENCE_MARKS


def _title_like_text(record: PageRecord, paragraphs: list[str]) -> bool:
    standfirsts = [record.standfirst] + [t.standfirst for t in record.topics]
    texts = [s for s in standfirsts if s] + paragraphs
    return any(_title_shaped(p) and not is_author_line(p) for p in texts)


_CHECKS: dict[str, Callable[[PageRecord, list[str]], bool]] = {
    "no_title": _no_title,
    "untitled_topic": _untitled_topic,
    "unclaimed_header_line": _unclaimed_header_line,
    "names_as_text": _names_as_text,
    "no_analytic_heading": _no_analytic_heading,
    "unknown_heading": _unknown_heading,
    "empty_section": _empty_section,
    "title_like_text": _title_like_text,
}
