"""The body: topics (sub-articles) and their sections.

The body's blocks become items, each a heading (with its kind) or a paragraph. Topics start at
sub-article heads: on pages with analytic headings, at the first analytic heading and wherever
the analytic sequence starts again (`What happened?` after `What does it mean?`), taking the
title, author and teaser lines printed just before it; on other pages, at a title followed by an
author line. Text before the first topic is the page's standfirst.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from gpscrape.extract.blocks import Block
from gpscrape.extract.lines import (
    HEADING_MAX,
    PARAGRAPH_END,
    analytic_inline,
    is_news_lede,
    is_paragraph,
    is_title_like,
    lead_heading,
    other_heading,
)
from gpscrape.extract.names import has_by, is_author_line, split_names
from gpscrape.extract.record import Section, Topic
from gpscrape.extract.vocab import (
    KIND_ORDER,
    KNOWN_HEADINGS,
    OTHER,
    heading_key,
    heading_kind,
    is_subtitle,
)

_TERMINAL = (".", ",", ";", "!", "?", "\"", "”")
_SENTENCE_ENDS = _TERMINAL[:3]  # what a title line does not end with


@dataclass(slots=True)
class Item:
    """One body block, judged: a heading (with kind) or a paragraph."""

    text: str
    heading: bool
    kind: str = OTHER
    block: Block | None = None

    @property
    def line(self) -> Block:
        """The item as a block (a split-off heading or text keeps its block's hints)."""
        return self.block or Block(self.text)


@dataclass(slots=True)
class Head:
    """The lines that open a topic."""

    start: int  # index of the head's first item
    titles: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    standfirst: str | None = None


@dataclass(slots=True)
class Body:
    """The segmented body."""

    standfirst: str | None
    topics: list[Topic]


def segment(blocks: list[Block], byline_people: list[str], page_title: str | None) -> Body:
    """Split body blocks (without topic labels: `page._strip_chrome` drops them) into the page
    standfirst and its topics."""
    items = _items(_without_repeats(blocks))
    if not items:
        return Body(None, [])
    heads = [_analytic_head(items, s) for s in _analytic_starts(items)]
    taken = {i for h in heads for i in range(h.start, _after_head(h) + 1)}
    for t in _titled_starts(items):
        head = _titled_head(items, t)
        if not taken.intersection(range(head.start, _after_head(head) + 1)):
            heads.append(head)
    heads.sort(key=lambda h: h.start)
    if not heads or heads[0].start > 0:
        opening_author = _author(items[0]) and not any(h.start == 1 for h in heads)
        if opening_author:
            head = _author_first_head(items, heads[0].start if heads else len(items))
            heads.insert(0, head)
            taken.update(range(_after_head(head)))
    if not taken:
        opening = _opening_title(items, page_title)
        if opening is not None and (not heads or heads[0].start > len(opening.titles)):
            heads.insert(0, opening)
    first = heads[0].start if heads else len(items)
    pre = items[:first]
    standfirst = None
    topics: list[Topic] = []
    if pre and _is_teaser_above(pre, bool(heads)):
        standfirst, pre = pre[0].text, pre[1:]
    if pre or not heads:
        topics.append(_topic(pre, Head(0), byline_people))
    ends = [h.start for h in heads[1:]] + [len(items)]
    for head, end in zip(heads, ends, strict=False):
        body = items[_after_head(head):end]
        if topics and not head.titles and not head.authors and not topics[-1].title:
            topics[-1].sections.extend(_sections(body))
        else:
            topics.append(_topic(body, head, byline_people))
    return Body(standfirst, [t for t in topics if t.sections or t.title or t.standfirst])


def _without_repeats(blocks: list[Block]) -> list[Block]:
    """A paragraph printed twice in a row (a repeated teaser, with or without its final
    period) is kept once: a block is dropped when it is `lines.same_paragraph` as the block
    before it (each text trimmed once, not twice)."""
    kept: list[Block] = []
    previous = None
    for block in blocks:
        key = block.text.rstrip(PARAGRAPH_END)
        if key != previous:
            kept.append(block)
        previous = key
    return kept


def _items(blocks: list[Block]) -> list[Item]:
    kinds = [heading_kind(b.text) for b in blocks]
    inlines = [None if kind else analytic_inline(b) for b, kind in zip(blocks, kinds, strict=True)]
    strict = any(kinds) or any(inlines)
    items: list[Item] = []
    for i, block in enumerate(blocks):
        kind = kinds[i]
        if kind:
            items.append(Item(block.text, True, kind, block))
            continue
        inline = inlines[i]
        if inline:
            head, kind, rest = inline
            items.append(Item(head, True, kind, block))
            items.append(Item(rest, False, block=block))
            continue
        lead = lead_heading(block)
        if lead:
            items.append(Item(lead[0], True, OTHER, block))
            items.append(Item(lead[1], False, block=block))
            continue
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if (len(block.text) <= HEADING_MAX  # (`other_heading` of a longer line is False)
                and not is_author_line(block.text) and not _second_title_line(blocks, i)
                and other_heading(block, following, strict,
                                  blocks[i - 1] if i else None)):
            items.append(Item(block.text, True, OTHER, block))
        else:
            items.append(Item(block.text, False, block=block))
    return items


def _second_title_line(blocks: list[Block], i: int) -> bool:
    """The second line of a title printed over two lines (`War against Malaria:` / `Will
    the vaccine be a gamechanger?`, or a subtitle such as `Four key takeaways …`): not a
    heading of its own."""
    if i == 0:
        return False
    first, block = blocks[i - 1], blocks[i]
    if not (_short_title_line(first) and is_title_like(block)):
        return False
    if is_subtitle(block.text):
        return True
    return (first.text.endswith(":") and not heading_kind(first.text)
            and heading_key(first.text) not in KNOWN_HEADINGS
            and not is_paragraph(block) and not is_author_line(block.text))


def _short_title_line(block: Block) -> bool:
    return is_title_like(block) and not is_paragraph(block)


def _analytic_starts(items: list[Item]) -> list[int]:
    """Indexes of analytic headings that open a topic."""
    starts: list[int] = []
    previous = None
    for i, it in enumerate(items):
        if not it.heading or it.kind == OTHER:
            continue
        order = KIND_ORDER[it.kind]
        if previous is None or order <= previous:
            starts.append(i)
        previous = order
    return starts


def _is_teaser_above(items: list[Item], headed: bool) -> bool:
    """Whether the first item is a teaser (a standfirst) of what follows: one paragraph set
    directly above a heading or a topic head, or a first paragraph that is not a news lede
    with a heading after it. A paragraph opening an unheaded body is its first section text.

    `headed`: a topic head follows the items."""
    first = items[0]
    if first.heading:
        return False
    if len(items) == 1:
        return headed
    if items[1].heading:
        return True
    return (headed or any(it.heading for it in items[1:])) and not is_news_lede(first.text)


def _author_first_head(items: list[Item], limit: int) -> Head:
    """A topic opened by its author line, then its title (one line, or two when printed over
    two lines), as STIR prints a cover story: `By X` / title / teaser / `Introduction`."""
    head = Head(0, authors=split_names(items[0].text))
    k = 1
    if k < limit - 1 and _title_line(items[k]):
        head.titles.append(items[k].text)
        k += 1
        if k < limit - 1 and _title_line(items[k]) and _continues(head.titles[0], items[k].text):
            head.titles.append(items[k].text)
    return head


def _title_line(it: Item) -> bool:
    """A line that can be a title: title-like, not running text, not a known heading."""
    return (_titleish(it) and not is_paragraph(it.line) and not _author(it)
            and heading_key(it.text) not in KNOWN_HEADINGS)


def _opening_title(items: list[Item], page_title: str | None) -> Head | None:
    """A title printed at the top of the body: the page title again, or a title printed over
    two lines (`The Davos Summit 2026:` / `Five Major Takeaways…`)."""
    if len(items) < 2 or not _titleish(items[0]):
        return None
    if page_title and items[0].text == page_title:
        return Head(0, [items[0].text])
    if _titleish(items[1]) and items[0].text.endswith(":") and not _author(items[1]):
        return Head(0, [items[0].text, items[1].text])
    return None


def _titled_starts(items: list[Item]) -> list[int]:
    """Without analytic headings, a topic opens where a title is followed by its author
    (directly, or after a one-paragraph teaser). Returns the title indexes."""
    starts: list[int] = []
    for i in range(len(items) - 1):
        if not _titleish(items[i]) or _author(items[i]):
            continue
        nxt = items[i + 1]
        if _author(nxt) or (
            i + 2 < len(items) and _teaser(nxt) and _author(items[i + 2])
        ):
            starts.append(i)
    return starts


def _titled_head(items: list[Item], t: int) -> Head:
    """The head of a topic whose title is item `t`."""
    head = Head(t)
    k = t + 1
    if _author(items[k]):
        head.authors = split_names(items[k].text)
    else:
        head.standfirst = items[k].text
        head.authors = split_names(items[k + 1].text)
    return _titles(items, t, head)


def _analytic_head(items: list[Item], at: int) -> Head:
    """Walk back from a topic's first analytic heading over its author, teaser and title."""
    head = Head(at)
    j = at - 1
    if j >= 0 and _author(items[j]):
        head.authors = split_names(items[j].text)
        head.start = j
        j -= 1
        if j >= 1 and _teaser(items[j]) and _titleish(items[j - 1]):
            head.standfirst = items[j].text
            head.start = j
            j -= 1
    elif j >= 1 and _teaser(items[j]) and _author(items[j - 1]):
        head.standfirst = items[j].text
        head.authors = split_names(items[j - 1].text)
        head.start = j - 1
        j -= 2
    return _titles(items, j, head)


def _titles(items: list[Item], j: int, head: Head) -> Head:
    """Take one title line (two when printed over two lines) ending at item `j`."""
    if j >= 0 and _titleish(items[j]) and not (head.authors == [] and _author(items[j])):
        titles = [items[j].text]
        k = j - 1
        if k >= 0 and _titleish(items[k]) and _continues(items[k].text, items[j].text):
            titles.insert(0, items[k].text)
        head.titles = titles
        head.start = j - len(titles) + 1
    return head


def _continues(first: str, second: str) -> bool:
    """Whether `second` continues a title printed over two lines."""
    return first.endswith((":", "-", "–", ",")) or second[:1].islower() or is_subtitle(second)


def _after_head(head: Head) -> int:
    """Index of the first item after the head's own lines."""
    count = len(head.titles) + (1 if head.authors else 0) + (1 if head.standfirst else 0)
    return head.start + count


def _titleish(it: Item) -> bool:
    """A title-like line not ending like a sentence (asked first: most lines are paragraphs)."""
    if it.heading and it.kind != OTHER or it.text.endswith(_SENTENCE_ENDS):
        return False
    return is_title_like(it.line)


def _author(it: Item) -> bool:
    return (not it.heading or it.kind == OTHER) and (
        is_author_line(it.text) or (has_by(it.text) and len(it.text) < 120))


def _teaser(it: Item) -> bool:
    """A teaser paragraph (running text, not a title line or an author line)."""
    return not it.heading and is_paragraph(it.line) and not is_author_line(it.text)


def _topic(items: list[Item], head: Head, byline_people: list[str]) -> Topic:
    standfirst = head.standfirst
    rest = items
    if standfirst is None and head.titles:
        lead = 0
        while lead < len(rest) and not rest[lead].heading:
            lead += 1
        if 1 <= lead < len(rest) and (lead == 1 or not is_news_lede(rest[0].text)):
            standfirst = rest[0].text
            rest = rest[1:]
    title = " ".join(head.titles) if head.titles else None
    authors = head.authors if (head.titles or head.authors) else list(byline_people)
    return Topic(title=title, authors=authors, standfirst=standfirst, sections=_sections(rest))


def _sections(items: list[Item]) -> list[Section]:
    sections: list[Section] = []
    heading: str | None = None
    kind = OTHER
    texts: list[str] = []
    started = False
    for it in items:
        if it.heading:
            if started:
                sections.append(Section(heading, kind, "\n\n".join(texts)))
            heading, kind, texts, started = it.text, it.kind, [], True
        else:
            texts.append(it.text)
            started = True
    if started:
        sections.append(Section(heading, kind, "\n\n".join(texts)))
    return sections
