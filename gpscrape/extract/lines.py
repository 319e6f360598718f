"""Tag-free judgements about one block of text: is it a heading, a title, a paragraph?"""

from __future__ import annotations

import re
from functools import lru_cache

from gpscrape.extract.blocks import Block
from gpscrape.extract.names import is_person
from gpscrape.extract.vocab import (
    HEADING_KINDS,
    KNOWN_HEADINGS,
    TOPIC_LABELS,
    heading_key,
    heading_kind,
)

_NUMBERED = re.compile(r"^(?:\d{1,2}|[IVX]{1,4})[.)]\s+\S")
_ROMAN = re.compile(r"^(?:I{1,3}|IV|V|VI{1,3}|IX|X)\s+[A-Z][^.]*$")
_DIALOGUE = re.compile(r"^[A-Z][\w.'’\- ]{1,50}?:\s+\S")
# `What happened? The EU on…` / `In the news: …`: an analytic heading opening a paragraph.
_INLINE = re.compile(
    r"^(?P<head>(?:" + "|".join(
        re.escape(k).replace(r"\ ", r"\s+") for k in sorted(HEADING_KINDS, key=len, reverse=True)
    ) + r")\s*[?:.\u2013\u2014-]?)\s+(?P<rest>\S.*)$",
    re.I,
)
# What `_INLINE` must match first: the first letter of an analytic heading, in any case as an
# expression ignoring case reads it (`i` also matches `\u0130` and `\u0131`; a test checks every
# character). Most paragraphs fail here, before a cache is asked.
_INLINE_FIRST = frozenset("wWiI\u0130\u0131")
_SPEAKER = re.compile(r"[A-Z][A-Za-z.'’\-]{1,20}")  # `STIR`, `Sarma`: a one-word speaker
_TERMINAL = (".", ",", ";", "!", "\"", "”", "’", "'")
_MONTH_NAMES = ("January|February|March|April|May|June|July|August|September|October|November|"
                "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
# `On 1 June, …`, `In October, …`, `On the same day, …`: a news lede, which opens a section.
_NEWS_LEDE = re.compile(
    r"^(?:On|In|During|Since|From|Between|Until|Through|Throughout|Over|Earlier|Later|Last|"
    r"Early|Late|By)\b[^,.;]{0,30}?\b(?:\d{1,2}(?:st|nd|rd|th)?|\d{4}|" + _MONTH_NAMES
    + r"|day|week|weekend|month|year|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"\b"
)

HEADING_MAX = 160
_SUBHEAD_WORDS = 10  # a free sub-heading between paragraphs on a page with analytic headings
_LABEL_MAX = max(map(len, TOPIC_LABELS)) + 4
TITLE_MAX = 260
PARAGRAPH_END = ". "  # what `same_paragraph` trims off a paragraph's end


def analytic_inline(block: Block) -> tuple[str, str, str] | None:
    """(heading, kind, rest) when a paragraph opens with an analytic heading, else None."""
    return _analytic_inline(block.text, block.lead)


def _analytic_inline(text: str, lead: str) -> tuple[str, str, str] | None:
    if text[:1] not in _INLINE_FIRST:
        return None
    found = _inline_heading(text)
    if found is None:
        return None
    head, kind, rest, explicit = found
    if not (explicit or (lead and heading_kind(lead))):
        return None
    return head, kind, rest


@lru_cache(maxsize=1024)
def _inline_heading(text: str) -> tuple[str, str, str, bool] | None:
    """(heading, kind, rest, whether `?` or `:` ends the heading) of a line that opens with an
    analytic heading, else None; once per distinct line of the last pages (they are paragraphs:
    few are kept)."""
    match = _INLINE.match(text)
    if match is None:
        return None
    head = match.group("head").strip().rstrip(":").strip()
    kind = heading_kind(head)
    if kind is None:
        return None
    explicit = match.group("head").strip().endswith(("?", ":"))
    return head, kind, match.group("rest").strip(), explicit


def lead_heading(block: Block) -> tuple[str, str] | None:
    """(heading, rest) when a paragraph opens with an emphasised numbered or known heading
    (`<b>1. The limits of mediation</b> Critics said…`), else None."""
    lead = block.lead
    if not lead or lead == block.text or len(lead) > HEADING_MAX:
        return None
    rest = block.text[len(lead):].strip() if block.text.startswith(lead) else ""
    if not rest:
        return None
    key = heading_key(lead)
    numbered = _NUMBERED.match(lead) and not lead.endswith((".", ","))
    asked = lead.endswith(("?", ":")) and len(lead.split()) >= 2 and not is_dialogue(block.text)
    if numbered or key in KNOWN_HEADINGS or asked:
        return lead.rstrip(":").strip() if lead.endswith(":") else lead, rest
    return None


def is_label(text: str) -> bool:
    """`IN FOCUS`, `Report Review`, `Cover Story`: labels above topics, not content."""
    return len(text) <= _LABEL_MAX and heading_key(text) in TOPIC_LABELS


def is_dialogue(text: str) -> bool:
    """`Amb Pankaj Saran: answer` (an interview line), not a heading or a `Region: title`."""
    # `_DIALOGUE` needs the speaker's colon within the line's first 52 characters
    return text.find(":", 2, 52) >= 0 and _is_dialogue(text)


@lru_cache(maxsize=2048)
def _is_dialogue(text: str) -> bool:
    match = _DIALOGUE.match(text)
    if match is None:
        return False
    speaker, _, said = text.partition(":")
    speaker, said = speaker.strip(), said.strip()
    if is_person(speaker):
        return len(said) > 200 or _said_sentence(said)
    return bool(_SPEAKER.fullmatch(speaker)) and len(said) > 15 and said.endswith((".", "?"))


def _said_sentence(said: str) -> bool:
    """An answer ends like a sentence; a headline ending in a quotation (`Trump calls off the
    strike after getting "Cocked and Loaded"`) does not."""
    if said.endswith((".", "?", "!", "…")):
        return True
    return said.endswith(("\"", "”")) and (said[-2:-1] in (".", "?", "!", "…", ",")
                                          or len(said.split()) > 25)


def other_heading(block: Block, following: Block | None, strict: bool,
                  preceding: Block | None = None) -> bool:
    """Whether a block that is not an analytic heading is still a heading (kind `other`).

    `strict` (pages with analytic headings) admits only emphasised, numbered, roman-numeral
    and known headings; otherwise a short question or a short line standing before a longer
    paragraph counts too.
    """
    text = block.text
    if len(text) > HEADING_MAX or is_dialogue(text) or text.count("?") > 1:
        return False  # several questions in one line are text (a Europe Monitor's questions)
    key = heading_key(text)
    if key in KNOWN_HEADINGS:
        return True
    ends_sentence = text.endswith(_TERMINAL) and not text.endswith("...")
    if block.emphasised and not ends_sentence and len(text) > 1:
        return True
    if _NUMBERED.match(text) and (block.emphasised or len(text) < 120) and not ends_sentence:
        return True
    if _ROMAN.match(text) and len(text) < 80:
        return True
    if strict:
        between = (preceding is not None and is_paragraph(preceding)
                   and len(text.split()) <= _SUBHEAD_WORDS and not ends_sentence
                   and not text.endswith(":") and text[:1].isupper())
        return ((_title_cased(text) or between) and following is not None
                and is_paragraph(following))
    if text.endswith("?") and len(text) < 200:
        return True
    return (
        not ends_sentence
        and not text.endswith(":")
        and 1 <= len(text.split()) <= 16
        and text[:1].isupper()
        and following is not None
        and is_paragraph(following)
    )


def _title_cased(text: str) -> bool:
    """`Taxes, Debt and the Street`: a short line whose longer words are all capitalised."""
    words = text.split()
    if not 2 <= len(words) <= 10 or text.endswith((".", ",", ";", ":", "!", "?")):
        return False
    long_words = [w for w in words if len(w) >= 4]
    return bool(long_words) and text[:1].isupper() and all(w[:1].isupper() for w in long_words)


def is_paragraph(block: Block) -> bool:
    """Running text: long, or ending like a sentence."""
    text = block.text
    return len(text) > HEADING_MAX or (text.endswith(_TERMINAL) and len(text.split()) >= 4)


def same_paragraph(a: str, b: str) -> bool:
    """The same paragraph printed twice, once with and once without its final period."""
    return a.rstrip(PARAGRAPH_END) == b.rstrip(PARAGRAPH_END)


def is_news_lede(text: str) -> bool:
    """A paragraph that opens with a date (`On 1 June, …`): the lede of a section, never a
    teaser."""
    return _NEWS_LEDE.match(text) is not None


def is_title_like(block: Block) -> bool:
    """A short line that could be a (sub-)article title."""
    return len(block.text) <= TITLE_MAX and _title_like(block.text, block.lead)


@lru_cache(maxsize=2048)
def _title_like(text: str, lead: str) -> bool:
    """`is_title_like` of a short line with this lead; once per distinct pair, as the body's
    rules ask it of each line several times."""
    if is_dialogue(text) or heading_kind(text) or _analytic_inline(text, lead):
        return False
    return not text.endswith((".", ";", ",")) or text.endswith("...")
