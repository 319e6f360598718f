"""The abstract page: ordered text blocks that every markup style renders in its own way."""

from __future__ import annotations

from dataclasses import dataclass, field

# Block kinds, in the words of the site notes.
BYLINE = "byline"  # the byline line (a team or people; maybe a date on the same line)
META = "meta"  # a header line: issue line, date line, contributors, affiliation, initiative
TOPIC_TITLE = "topic_title"  # a sub-article title; `extra` holds a second line if split
AUTHOR = "author"  # a sub-article's author line
LABEL = "label"  # IN FOCUS, Report Review, Cover Story: not content
HEADING = "heading"  # a section heading (maybe with trailing spaces)
PARA = "para"  # a paragraph; `extra` holds a heading printed on the same line


@dataclass(frozen=True, slots=True)
class Block:
    """One line or paragraph of the page body or header."""

    kind: str
    text: str
    extra: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """One entry of the PREVIOUS COMMENTS sidebar, as printed."""

    month_line: str
    author_line: str
    title: str
    href: str


@dataclass(slots=True)
class Layout:
    """Everything a renderer prints for an article page, apart from the label line."""

    photo_source: str
    email: bool
    title: str
    header: list[Block] = field(default_factory=list)
    standfirst: str | None = None
    body: list[Block] = field(default_factory=list)
    about: str | None = None
    cwa_line: str | None = None
    affiliation: str | None = None
    links: list[Link] = field(default_factory=list)
