"""The warning vocabulary: codes a page record carries when the extractor doubts its reading.

A warning says the extractor is not sure it read the page right, not that the page lacks
something (a page that prints no date carries no warning; coverage checks count those).
Each code is declared once here; `docs/record.md` and the run report read this table.
"""

from __future__ import annotations

WARNINGS: dict[str, str] = {
    "untitled_topic": "a topic without a title among titled topics",
    "unclaimed_header_line": "a line between the title and the body that no header rule claimed",
    "names_as_text": "section or standfirst text that reads like a list of names",
    "no_analytic_heading": "a page of an analytic series (What happened? / In the news) "
    "whose body has no analytic heading",
    "unknown_heading": "an emphasised heading outside the vocabulary among analytic headings",
    "no_title": "an article page whose title was not found",
    "empty_section": "a section with a heading and no text",
}


def describe(code: str) -> str:
    """The one-line meaning of a warning code."""
    return WARNINGS[code]
