"""`extract_page`: HTML and URL in, page record out.

Steps: render the page to blocks; take the listing out; drop the chrome (keeping `Photo
Source`); read the header; cut the body at `About the author` or the page's end marks; split the
body into topics and sections; assemble the record.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from gpscrape.extract.blocks import Block, parse_blocks
from gpscrape.extract.dates import ParsedDate, parse_date
from gpscrape.extract.errors import ExtractError
from gpscrape.extract.header import Header, parse_header, url_label
from gpscrape.extract.issue_line import parse_counter_line, parse_issue_line
from gpscrape.extract.lines import is_label, is_paragraph, is_title_like
from gpscrape.extract.listing import find_listing
from gpscrape.extract.names import is_author_line, people, split_names, unique_people
from gpscrape.extract.record import PageRecord
from gpscrape.extract.sections import segment
from gpscrape.extract.url_keys import article_no_in, record_no_in
from gpscrape.extract.vocab import (
    ABOUT_AUTHOR,
    ABOUT_AUTHOR_FIRST,
    CWA_COMMENTARY,
    FOOTER,
    PHOTO_SOURCE,
    PHOTO_SOURCE_FIRST,
    heading_key,
    heading_kind,
    is_chrome,
    label_series,
)
from gpscrape.extract.warnings import page_warnings

EXTRACTOR_VERSION = "0.1.0"
_TOP_GAP = 3  # page-top chrome lines lie within this many kept lines of each other
_CHROME_MAX = 400
_END_MARKS = ("print", "bookmark", "print bookmark", "print | bookmark")


@dataclass(slots=True)
class Cleaned:
    """The article's blocks without chrome, and what the chrome told us."""

    blocks: list[Block] = field(default_factory=list)
    photo_source: str | None = None
    seen_photo_source: bool = False
    top: int = 0  # first block after the page-top chrome
    cwa_template: bool = False
    end_marks: list[int] = field(default_factory=list)  # where `Print Bookmark` stood


def extract_page(html: bytes | str, url: str) -> PageRecord:
    """Turn one page into its page record, or raise `ExtractError` with the reason."""
    return extract_blocks(parse_blocks(html), url)


def extract_blocks(blocks: list[Block], url: str) -> PageRecord:
    """The page record of a page already rendered to blocks (see `extract_page`)."""
    if not blocks:
        raise ExtractError("no text on the page", no_content=True)
    listing = find_listing(blocks, url)
    article = blocks[: listing.start] + blocks[listing.end:] if listing else blocks
    cleaned = _strip_chrome(article)
    record_no = record_no_in(url)
    record = PageRecord(record_no=record_no, cwa_no=article_no_in(url), url=url,
                        photo_source=cleaned.photo_source,
                        listing=listing.entries if listing else [])
    kept = cleaned.blocks
    echoed = (url_label(url) or "").lower()  # the label the link's `url=` echoes
    top = _header_top(kept, cleaned, echoed)
    header = parse_header(kept, top, echoed, cleaned.cwa_template)
    if not _is_article(header, kept, record_no) or (record_no is None and listing):
        if listing:
            record.series = _listing_series(header, blocks[listing.start:listing.end])
            return record
        raise ExtractError("no article and no listing entries found on the page", no_content=True)
    end = _body_end(kept, header.body_start, cleaned.end_marks)
    about, end = _about_author(kept, header.body_start, end)
    byline_people = people(split_names(header.byline)) if header.byline else []
    body = segment(kept[header.body_start:end], byline_people, header.title)
    _fill_header(record, header)
    record.about_author = about
    record.standfirst = header.standfirst or body.standfirst
    record.topics = body.topics
    topic_people = [name for topic in body.topics for name in topic.authors]
    record.authors = unique_people(byline_people + people(header.contributors)
                                   + people(topic_people))
    record.body_text = "\n\n".join(
        text
        for topic in body.topics
        for text in [topic.standfirst or ""] + [s.text for s in topic.sections]
        if text
    )
    record.warnings = page_warnings(record)
    return record


def _listing_series(header: Header, listed: list[Block]) -> str | None:
    """A listing-only page's series: its own label, else the series its entries are labelled
    with (the `/europe/` landing lists `NIAS Europe Monitor` entries)."""
    if header.label is not None and header.label[0] != CWA_COMMENTARY:
        return header.label[0]
    labels = Counter(found[0] for b in listed if (found := label_series(b.text)) is not None)
    return labels.most_common(1)[0][0] if labels else None


def _strip_chrome(blocks: list[Block]) -> Cleaned:
    """Drop chrome lines; the header starts after the page-top chrome (Photo Source, the NIAS
    lines), which ends at the first article line or at a gap of more than a few lines."""
    cleaned = Cleaned()
    kept = cleaned.blocks
    content_seen = False  # one of the kept blocks up to `asked` opens the article
    asked = 0
    last_top = None  # kept-block count when the page-top chrome was last seen

    def seen() -> bool:
        """Whether a kept block opens the article; each asked only when this is wanted (by
        chrome after it, near the top), and none after the first that does."""
        nonlocal content_seen, asked
        while not content_seen and asked < len(kept):
            content_seen = _opens_content(kept[asked].text)
            asked += 1
        return content_seen

    def at_top() -> None:
        nonlocal last_top
        count = len(kept)
        if (last_top is None or count - last_top <= _TOP_GAP) and not seen():
            cleaned.top = last_top = count

    for block in blocks:
        text = block.text
        kind = _short_line_kind(text) if len(text) <= _NAMED_MAX else _chrome_kind(text)
        if kind is None:
            pass
        elif kind is _NAMED:
            if block.linked:
                continue  # menu links named like headings or series
        elif kind is _LABEL:
            continue  # topic labels
        elif kind is _PHOTO:
            if not cleaned.seen_photo_source:
                cleaned.seen_photo_source = True
                cleaned.photo_source = _photo_source(text)
            at_top()
            continue
        elif kind is _END_MARK:
            cleaned.end_marks.append(len(cleaned.blocks))
            continue
        elif kind is _FOOTER:
            continue
        elif kind is _TOP_CHROME:
            at_top()
            continue
        else:  # _CWA_LINE
            if not seen():
                cleaned.cwa_template = True
                at_top()
            continue
        kept.append(block)
    return cleaned


# What `_line_kind` finds a line to be: a chrome line of some kind, a topic label, a line
# named like an analytic heading or a series (dropped when it is a link: a menu item), or None.
_PHOTO, _END_MARK, _FOOTER, _TOP_CHROME, _CWA_LINE = "photo", "end", "footer", "top", "cwa"
_LABEL, _NAMED = "label", "named"


def _line_kind(text: str) -> str | None:
    """A `Photo Source` line, a chrome line (an end mark such as `Print Bookmark`, a footer, or
    other page-top chrome), the `CWA Commentary` line, a topic label, a line named like a
    heading or a series, or None for any other line. Once per distinct short line, as every
    page repeats its chrome; a longer line (a paragraph, seen once) can only be chrome."""
    if len(text) <= _NAMED_MAX:
        return _short_line_kind(text)
    return _chrome_kind(text)


_NAMED_MAX = 120  # labels, analytic headings and series names are no longer (`label_series`)


@lru_cache(maxsize=2048)
def _short_line_kind(text: str) -> str | None:
    kind = _chrome_kind(text)
    if kind is not None:
        return kind
    if is_label(text):
        return _LABEL
    if heading_kind(text) or label_series(text):
        return _NAMED
    return None


def _chrome_kind(text: str) -> str | None:
    """`_line_kind` for the chrome lines: `Photo Source`, chrome or the `CWA Commentary` line
    (a chrome line is shorter than `_CHROME_MAX`)."""
    if text[:1] in PHOTO_SOURCE_FIRST and PHOTO_SOURCE.match(text):
        return _PHOTO
    if len(text) < _CHROME_MAX and is_chrome(text):
        if heading_key(text) in _END_MARKS:
            return _END_MARK
        return _FOOTER if FOOTER.match(text) else _TOP_CHROME
    stripped = text.strip()  # (lowering never shortens a text: a longer one is no CWA line)
    if len(stripped) == len(_CWA_COMMENTARY_LOWER) and stripped.lower() == _CWA_COMMENTARY_LOWER:
        return _CWA_LINE
    return None


_CWA_COMMENTARY_LOWER = CWA_COMMENTARY.lower()


def _photo_source(text: str) -> str | None:
    """What a `Photo Source:` line credits, None when nothing."""
    match = PHOTO_SOURCE.match(text)
    assert match is not None
    return text[match.end():].strip() or None


def _opens_content(text: str) -> bool:
    """An analytic heading, an issue line or a CWA line: the article has begun."""
    if len(text) < _CHROME_MAX:
        return _opens_short(text)
    return bool(heading_kind(text) or parse_issue_line(text) or parse_counter_line(text))


@lru_cache(maxsize=2048)
def _opens_short(text: str) -> bool:
    return bool(heading_kind(text) or parse_issue_line(text) or parse_counter_line(text))


def _header_top(blocks: list[Block], cleaned: Cleaned, echoed: str) -> int:
    """Where the header starts: the first series label (or the label the link echoes,
    `echoed`, lower case) before the article's first heading, else the first block after the
    page-top chrome."""
    if cleaned.cwa_template:
        return cleaned.top
    limit = next((i for i, b in enumerate(blocks) if heading_kind(b.text)), len(blocks))
    for i in range(min(limit, 60)):
        block = blocks[i]
        if block.linked:
            continue
        if label_series(block.text) or (echoed and _lowers_to(block.text, echoed)):
            if i < cleaned.top and not _near_top_chrome(i, cleaned.top, blocks):
                continue
            return i
    if cleaned.top == 0 and not cleaned.seen_photo_source:
        return _top_before_anchor(blocks, limit)
    return cleaned.top


def _lowers_to(text: str, lowered: str) -> bool:
    """`text.lower() == lowered`, without lowering a text longer than `lowered` (lowering
    never shortens a text)."""
    return len(text) <= len(lowered) and text.lower() == lowered


def _top_before_anchor(blocks: list[Block], limit: int) -> int:
    """Without label or page-top chrome: the title is the line above the first issue or CWA
    line (or the first analytic heading), skipping a byline printed between them."""
    anchor = next(
        (i for i, b in enumerate(blocks[:limit])
         if parse_issue_line(b.text) or parse_counter_line(b.text)),
        limit,
    )
    top = anchor - 1
    while top > 0 and (is_author_line(blocks[top].text) or parse_date(blocks[top].text)):
        top -= 1
    if top < 0 or blocks[top].linked or not is_title_like(blocks[top]):
        return anchor
    return top


def _near_top_chrome(i: int, top: int, blocks: list[Block]) -> bool:
    """A label before the page-top chrome counts only when nothing but labels lie between."""
    return all(label_series(b.text) or b.text.lower() == blocks[i].text.lower()
               for b in blocks[i:top])


def _is_article(header: Header, blocks: list[Block], record_no: int | None) -> bool:
    """An article shows something only the site's articles print. Without a recordNo in the
    URL (a home or archive page lists titles under series labels), it needs its own header:
    an issue line, a CWA line or a byline."""
    if record_no is None:
        return bool(header.issue or header.counter_kind or header.byline)
    return bool(
        header.issue or header.counter_kind or header.byline or header.label
        or header.series_raw
        or any(heading_kind(b.text) for b in blocks[header.body_start:])
    )


def _body_end(blocks: list[Block], start: int, end_marks: list[int]) -> int:
    """The first `Print Bookmark` after some body text (a toolbar above the body is not the
    end), else the end of the page."""
    for mark in end_marks:
        if mark > start and any(is_paragraph(b) for b in blocks[start:mark]):
            return mark
    return len(blocks)


def _about_author(blocks: list[Block], start: int, end: int) -> tuple[str | None, int]:
    """The `About the author` text, and the new end of the body."""
    for i in range(start, end):
        text = blocks[i].text
        if text[:1] not in ABOUT_AUTHOR_FIRST:
            continue
        match = ABOUT_AUTHOR.match(text)
        if match and len(blocks[i].text) < 400:
            rest = blocks[i].text[match.end():].strip()
            bio = rest or (blocks[i + 1].text if i + 1 < end else None)
            return bio or None, i
    return None, end


def _fill_header(record: PageRecord, header: Header) -> None:
    record.series_raw = header.series_raw
    record.title = header.title
    record.byline = header.byline
    issue = header.issue
    label = header.label
    if issue is not None:
        record.issue_line_raw = issue.raw
        record.issue_numbers = issue.issue_numbers
        record.volume = issue.volume
        record.numbers = issue.numbers
    if not record.issue_numbers and label and label[1] is not None:
        record.issue_numbers = [label[1]]
    if issue is not None and issue.series:
        record.series = issue.series
    elif label is not None and label[0] != CWA_COMMENTARY:
        record.series = label[0]
    elif header.template_cwa or (label and label[0] == CWA_COMMENTARY):
        record.series = CWA_COMMENTARY
    if record.cwa_no is None and header.counter_kind == "CWA":
        record.cwa_no = header.counter_no
    dated = _first_date(
        issue.date if issue else None, header.issue_date, header.byline_date,
        header.counter_date,
    )
    if dated is not None:
        record.published = dated.value
        record.published_precision = dated.precision if dated.value else None
        record.published_raw = dated.raw


def _first_date(*candidates: ParsedDate | None) -> ParsedDate | None:
    return next((c for c in candidates if c is not None), None)
