"""The page header: label, title, issue line, byline, contributors, date, CWA line.

Works on the article's blocks with the chrome already removed. The header runs from the
series label to the first block that is none of the header's kinds of line; `parse_header`
returns what it read and where the body starts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote_plus

from gpscrape.extract.blocks import Block
from gpscrape.extract.dates import ParsedDate, find_date, parse_date
from gpscrape.extract.issue_line import IssueLine, parse_counter_line, parse_issue_line
from gpscrape.extract.lines import is_paragraph, is_title_like, same_paragraph
from gpscrape.extract.names import has_by, is_author_line, split_names
from gpscrape.extract.vocab import (
    CWA_COMMENTARY,
    KNOWN_HEADINGS,
    heading_key,
    heading_kind,
    is_programme,
    is_subtitle,
    is_team,
    label_series,
)

_AFFILIATION = re.compile(
    r"\b(?:NIAS|ISSSP|Programme|Program|University|Institute|Centre|Center|Department|"
    r"School|Professor|Scholar|Research|Fellow|Associate|Student|College|Faculty|Studies)\b",
    re.I,
)
_URL_LABEL = re.compile(r"[?&]url=([^&#]*)", re.I)


@dataclass(slots=True)
class Header:
    """What the header says, and the index of the first body block."""

    series_raw: str | None = None
    label: tuple[str, int | None] | None = None  # (canonical series, label issue number)
    title: str | None = None
    template_cwa: bool = False
    issue: IssueLine | None = None
    issue_date: ParsedDate | None = None
    counter_kind: str | None = None
    counter_no: int | None = None
    counter_date: ParsedDate | None = None
    byline: str | None = None
    byline_date: ParsedDate | None = None
    contributors: list[str] = field(default_factory=list)
    standfirst: str | None = None
    body_start: int = 0


def url_label(url: str) -> str | None:
    """The link's `url=` value, decoded (what the label line usually echoes)."""
    match = _URL_LABEL.search(url)
    return unquote_plus(match.group(1)).strip() if match else None


def parse_header(blocks: list[Block], top: int, echoed: str, cwa_label: bool) -> Header:
    """Read the header starting at block `top` (the first block after the top chrome);
    `echoed` is the label the page link's `url=` value echoes, lower case ("" without one)."""
    header = Header(template_cwa=cwa_label)
    i = top
    if cwa_label:
        i = _cwa_preamble(blocks, i, header)
    i = _label_and_title(blocks, i, echoed, header)
    header.body_start = _header_lines(blocks, i, header)
    if header.series_raw is None and cwa_label:
        header.series_raw = CWA_COMMENTARY
    return header


def _cwa_preamble(blocks: list[Block], i: int, header: Header) -> int:
    """CWA Commentary template: teaser above `Print Bookmark`, then `CWA # N, date`."""
    for j in range(i, min(i + 6, len(blocks))):
        counter = parse_counter_line(blocks[j].text)
        if counter is not None:
            teaser = [b.text for b in blocks[i:j]]
            if teaser:
                header.standfirst = teaser[0]
            _take_counter(header, counter)
            return j + 1
    return i


def _label_and_title(blocks: list[Block], i: int, echoed: str, header: Header) -> int:
    first = None
    repeated = False
    while i < len(blocks):
        text = blocks[i].text
        known = label_series(text)
        is_label = (known is not None or (echoed and text.lower() == echoed)
                    or (first is None and _unknown_label(blocks, i)))
        if first is not None and text.lower() == first.lower():
            i += 1  # the label printed twice
            repeated = True
            continue
        if first is None and is_label and _has_title_after(blocks, i):
            first = text
            header.series_raw = text
            header.label = known
            i += 1
            continue
        break
    i = _pre_title_lines(blocks, i, header)
    if (i < len(blocks) and is_title_like(blocks[i]) and not _is_header_line(blocks[i].text)
            and not (repeated and is_author_line(blocks[i].text))):
        header.title = blocks[i].text
        i += 1
        if i < len(blocks) and _continues_title(header.title, blocks[i]):
            header.title = f"{header.title} {blocks[i].text}"
            i += 1
    elif repeated and first is not None and header.label is None:
        header.title = blocks[i - 1].text  # the title is the link's `url=` value, as the label
    return i


def _pre_title_lines(blocks: list[Block], i: int, header: Header) -> int:
    """Header lines printed above the title: a bare label with its number (`The World This
    Week #312`, the full issue line follows the title) and programme lines."""
    while i < len(blocks) and _is_pre_title_line(blocks[i].text):
        issue = parse_issue_line(blocks[i].text)
        if issue is not None:
            _take_issue(header, issue)
        i += 1
    return i


def _is_pre_title_line(text: str) -> bool:
    if is_programme(text):
        return True
    issue = parse_issue_line(text)
    return (issue is not None and bool(issue.issue_numbers) and issue.volume is None
            and not issue.numbers and issue.date is None)


def _continues_title(title: str, block: Block) -> bool:
    """A title printed over two lines: the first ends with `:`, or the second is a subtitle
    (`An interview with …`, `Four key takeaways …`)."""
    text = block.text
    if not (title.endswith(":") or is_subtitle(text)):
        return False  # decided without the dearer checks (a date is read by dateparser)
    return not (not is_title_like(block) or _is_header_line(text) or is_author_line(text)
                or heading_key(text) in KNOWN_HEADINGS)


def _unknown_label(blocks: list[Block], i: int) -> bool:
    """A label we do not know: a short line followed by a title and then a header line."""
    if i + 2 >= len(blocks) or len(blocks[i].text) > 120 or not is_title_like(blocks[i]):
        return False
    title, after = blocks[i + 1], blocks[i + 2].text
    return (is_title_like(title) and not is_author_line(title.text)
            and not _is_header_line(title.text)
            and (_is_header_line(after) or is_author_line(after)))


def _has_title_after(blocks: list[Block], i: int) -> bool:
    """A label is followed by itself again or by a title (not by a byline or a heading),
    possibly after lines printed above the title."""
    j = i + 1
    while j < len(blocks) and _is_pre_title_line(blocks[j].text):
        j += 1
    if j >= len(blocks):
        return False
    nxt = blocks[j]
    if nxt.text.lower() == blocks[i].text.lower():
        return True
    return (is_title_like(nxt) and not is_author_line(nxt.text)
            and not _is_header_line(nxt.text) and heading_kind(nxt.text) is None)


def _is_header_line(text: str) -> bool:
    return bool(parse_issue_line(text) or parse_counter_line(text) or parse_date(text))


def _header_lines(blocks: list[Block], i: int, header: Header) -> int:
    """Consume issue line, dates, byline, contributors and affiliations; return body start.

    Under a team byline, a teaser followed by the contributor line (the contributors printed
    after the standfirst) belongs to the header too: the teaser is the page's standfirst.
    """
    last = None  # kind of the previous header line
    while i < len(blocks):
        text = blocks[i].text
        if heading_kind(text) or heading_key(text) == "":
            break
        if header.series_raw and text.lower() == header.series_raw.lower():
            last = "label"
        elif header.title and text == header.title and last is not None:
            last = "title"
        elif (issue := parse_issue_line(text)) is not None:
            _take_issue(header, issue)
            last = "issue"
        elif (counter := parse_counter_line(text)) is not None:
            _take_counter(header, counter)
            last = "counter"
        elif last in ("issue", "byline", "people") and (dated := parse_date(text)) is not None:
            if last == "issue" and header.issue_date is None:
                header.issue_date = dated
            elif header.byline_date is None and last != "issue":
                header.byline_date = dated
            last = "date"
        elif _byline(text, header) if header.byline is None else False:
            last = "byline"
        elif _contributors(text, header):
            header.contributors.extend(split_names(text))
            last = "people"
        elif is_programme(text) or (
                last in ("byline", "people", "affiliation") and len(text) < 200
                and _AFFILIATION.search(text) and not text.endswith(".")):
            last = "affiliation"
        elif skip := _standfirst_before_contributors(blocks, i, header):
            header.standfirst = text
            i += skip
            last = "standfirst"
            continue
        else:
            break
        i += 1
    return i


def _contributors(text: str, header: Header) -> bool:
    """A contributor line: people under a byline, not a `By …` line (a topic's author)."""
    return header.byline is not None and is_author_line(text) and not has_by(text)


def _standfirst_before_contributors(blocks: list[Block], i: int, header: Header) -> int:
    """How many lines a teaser takes (1, or 2 when printed twice) when the contributor line
    follows it under a team byline; 0 when the block is not such a teaser."""
    if (header.byline is None or header.standfirst is not None
            or not all(is_team(n) for n in split_names(header.byline))
            or not is_paragraph(blocks[i])):
        return 0
    taken = 2 if i + 1 < len(blocks) and same_paragraph(blocks[i].text, blocks[i + 1].text) else 1
    after = i + taken
    if after < len(blocks) and _contributors(blocks[after].text, header):
        return taken
    return 0


def _byline(text: str, header: Header) -> bool:
    """A byline: people or a team, possibly followed by a date on the same line."""
    if is_author_line(text):
        header.byline = text
        return True
    found = find_date(text)
    if found is not None:
        dated, match = found
        who = text[: match.start()].strip(" ,|-–")
        if who and not text[match.end():].strip(" .") and is_author_line(who):
            header.byline = who
            header.byline_date = dated
            return True
    return False


def _take_issue(header: Header, issue: IssueLine) -> None:
    """Keep the fullest issue line (`#312` is followed by `#312 Vol 7, No 21, 25 May 2025`)."""
    if header.issue is None or _richness(issue) > _richness(header.issue):
        header.issue = issue


def _richness(issue: IssueLine) -> int:
    return sum(1 for v in (issue.issue_numbers, issue.volume, issue.numbers, issue.date) if v)


def _take_counter(header: Header, counter) -> None:
    if header.counter_kind is None:
        header.counter_kind = counter.kind
        header.counter_no = counter.number
        header.counter_date = counter.date
