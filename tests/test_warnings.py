"""Warnings are honest both ways: no code on a page read right, a code on each way of
reading it wrong.

Each misreading below is made from a right record (a fixture's expected record) the way the
extractor would get it wrong, and must raise its code; the right records raise none.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from gpscrape.extract import extract_page
from gpscrape.extract.record import PageRecord, Section, Topic
from gpscrape.extract.warnings import WARNINGS, describe, page_warnings

PAGES = Path(__file__).parent / "fixtures" / "pages"
REPO = Path(__file__).resolve().parents[1]


def _record(case: str) -> PageRecord:
    return PageRecord.from_dict(json.loads((PAGES / case / "expected.json").read_text("utf-8")))


TWTW = "r-twtw-2019-contributors-after-teaser-legacy"  # two topics with WH headings
MONITOR = "r-europe-monitor-teaser-twice-legacy"  # one untitled topic, a free heading


def _drop_second_title(r: PageRecord) -> None:
    r.topics[1].title = None


def _issue_line_as_title(r: PageRecord) -> None:
    r.topics.insert(0, Topic(title="The World This Week #318 Vol 7, No 27, 6 July 2025",
                             sections=[Section(None, "other", "6 July 2025")]))


def _date_as_text(r: PageRecord) -> None:
    r.topics[0].sections.insert(0, Section(None, "other", "12 October 2019"))


def _contributors_as_text(r: PageRecord) -> None:
    r.topics[0].sections.insert(0, Section(None, "other", ", ".join(r.authors) + "."))


def _contributors_as_standfirst(r: PageRecord) -> None:
    r.standfirst = " and ".join(r.authors)


def _headings_lost(r: PageRecord) -> None:
    r.topics = [Topic(title=r.title, sections=[Section(None, "other", "\n\n".join(
        s.text for t in r.topics for s in t.sections))])]


def _title_read_as_heading(r: PageRecord) -> None:
    first = r.topics[0]
    first.sections.insert(1, Section("Sanctions Bite in the North", "other", "Text."))


def _two_headings_in_a_row(r: PageRecord) -> None:
    r.topics[0].sections.insert(0, Section("Elections in Bolivia:", "other", ""))


def _title_read_as_standfirst(r: PageRecord) -> None:
    r.topics[0].standfirst = r.topics[0].title
    r.topics[0].title = None
    r.topics[1].title = None


def _heading_read_as_text(r: PageRecord) -> None:
    section = r.topics[0].sections[-1]
    section.text += "\n\nPeace Talks: The Rebels Refuse to Meet Officials"


def _no_title(r: PageRecord) -> None:
    r.title = None


MISREADINGS = [
    (TWTW, _drop_second_title, "untitled_topic"),
    (TWTW, _issue_line_as_title, "unclaimed_header_line"),
    (TWTW, _date_as_text, "unclaimed_header_line"),
    (TWTW, _contributors_as_text, "names_as_text"),
    (TWTW, _contributors_as_standfirst, "names_as_text"),
    (TWTW, _headings_lost, "no_analytic_heading"),
    (TWTW, _title_read_as_heading, "unknown_heading"),
    (TWTW, _two_headings_in_a_row, "empty_section"),
    (TWTW, _title_read_as_standfirst, "title_like_text"),
    (MONITOR, _heading_read_as_text, "title_like_text"),
    (MONITOR, _no_title, "no_title"),
]


def test_every_code_has_a_misreading_that_raises_it() -> None:
    assert {code for _, _, code in MISREADINGS} == set(WARNINGS)


@pytest.mark.parametrize(("case", "misread", "code"), MISREADINGS,
                         ids=[m.__name__.strip("_") for _, m, _ in MISREADINGS])
def test_a_misreading_raises_its_code(case: str, misread, code: str) -> None:
    right = _record(case)
    assert page_warnings(right) == []
    wrong = copy.deepcopy(right)
    misread(wrong)
    assert code in page_warnings(wrong)


def test_no_fixture_page_read_right_carries_a_warning() -> None:
    warned = {}
    for folder in sorted(p for p in PAGES.iterdir() if (p / "page.html").exists()):
        meta = json.loads((folder / "meta.json").read_text("utf-8"))
        record = extract_page((folder / "page.html").read_bytes(), meta["url"])
        if record.warnings:
            warned[folder.name] = record.warnings
    assert warned == {}


def test_codes_come_in_vocabulary_order_without_repeats() -> None:
    wrong = _record(TWTW)
    _contributors_as_text(wrong)
    _drop_second_title(wrong)
    codes = page_warnings(wrong)
    assert codes == [c for c in WARNINGS if c in codes] and len(set(codes)) == len(codes) >= 2


def test_a_listing_page_carries_no_warning() -> None:
    assert page_warnings(_record("europe-landing")) == []


def test_the_record_doc_lists_every_code_with_its_meaning() -> None:
    doc = (REPO / "docs" / "record.md").read_text(encoding="utf-8")
    for code in WARNINGS:
        assert f"| `{code}` | {describe(code)} |" in doc, code
