"""Shortcuts of the per-line rules give what their definitions give: a line's kind in the
chrome pass (one cached answer per short line, the chrome rules alone for a longer line), the
heading key folded without `str.translate`, a page's folder cut without `urljoin`, interview
lines and inline analytic headings told apart from other lines by a first look, the chrome
pass asking whether a line opens the article only when the answer is wanted."""

from __future__ import annotations

import random
import string
from urllib.parse import urljoin

from gpscrape.extract import lines, page
from gpscrape.extract.blocks import Block
from gpscrape.extract.lines import is_label
from gpscrape.extract.listing import _folder
from gpscrape.extract.vocab import (
    CHROME,
    CWA_COMMENTARY,
    FOOTER,
    PHOTO_SOURCE,
    heading_key,
    heading_kind,
    label_series,
)

PIECES = ("Photo Source: Reuters", "Print Bookmark", "PRINT", "Copyright 2024 NIAS",
          "CWA Commentary", " cwa commentary ", "IN FOCUS", "Cover Story", "What happened?",
          "In Perspective", "Conflict Weekly 89", "The World This Week", "NIAS Europe Monitor",
          "For any further information contact us", "Please subscribe to GP alerts now",
          "An initiative by NIAS", "|", "Share", "text", "The talks ended, and", "İ", "ſ")


def kind_by_definition(text: str) -> str | None:
    """The chrome kind (`Photo Source`, chrome lines shorter than 400 characters, the CWA
    line), else a topic label, else a line named like a heading or a series."""
    if PHOTO_SOURCE.match(text):
        return page._PHOTO
    if len(text) < 400 and CHROME.match(text):
        if heading_key(text) in ("print", "bookmark", "print bookmark", "print | bookmark"):
            return page._END_MARK
        return page._FOOTER if FOOTER.match(text) else page._TOP_CHROME
    if text.lower().strip() == CWA_COMMENTARY.lower():
        return page._CWA_LINE
    if is_label(text):
        return page._LABEL
    if heading_kind(text) or label_series(text):
        return page._NAMED
    return None


def test_a_line_kind_is_its_definition_for_short_and_long_lines() -> None:
    rng = random.Random(21)
    lengths = set()
    for _ in range(20_000):
        text = " ".join(rng.choice(PIECES) for _ in range(rng.choice((1, 1, 2, 5, 20, 40))))
        if rng.random() < 0.2:
            text = text * rng.randint(2, 12)
        assert page._line_kind(text) == kind_by_definition(text), text
        lengths.add(len(text) // 100)
    assert {0, 1, 2, 3, 4} <= lengths  # short, cached lines and long ones, past 400


def test_heading_keys_fold_as_translate_did() -> None:
    table = str.maketrans({"?": " ", ":": " ", ".": " "})
    rng = random.Random(4)
    chars = string.ascii_letters + " ?:.\t\u00a0\u0130\u2019"
    for _ in range(5_000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 260)))
        assert heading_key(text) == " ".join(text.lower().translate(table).split())


def test_a_page_folder_is_what_urljoin_resolves() -> None:
    rng = random.Random(3)
    chars = string.ascii_letters + string.digits + "/./..//?#;:@=&%~_- \t\u00e9[]"
    plain = 0
    for _ in range(20_000):
        url = rng.choice(("http://", "https://", "HTTP://", "http:/", "ftp://", "")) + "".join(
            rng.choice(chars) for _ in range(rng.randint(0, 25)))
        try:
            wanted: str | None = urljoin(url, "x")[:-1]
        except ValueError:
            wanted = None
        assert _folder(url) == wanted, url
        plain += url.startswith(("http://", "https://"))
    assert _folder("https://globalpolitics.in/africa/view.php?recordNo=5") == (
        "https://globalpolitics.in/africa/")
    assert plain > 5_000


def inline_by_definition(text: str, lead: str) -> tuple[str, str, str] | None:
    """An analytic heading opening the line, explicit (`?` or `:`) or emphasised."""
    found = lines._inline_heading(text)
    if found is None:
        return None
    head, kind, rest, explicit = found
    return (head, kind, rest) if explicit or (lead and heading_kind(lead)) else None


def test_interview_lines_and_inline_headings_are_judged_by_their_patterns() -> None:
    pieces = ("What happened?", "what's the background:", "WHAT DOES IT MEAN", "In the news",
              "\u0131ssues at large", "\u0130n perspective \u2013", "Amb Pankaj Saran:",
              "STIR:", "Sarma: yes.", "The EU said", "answer.", "x" * 30, ":", "Q:", "w", "")
    rng = random.Random(12)
    for _ in range(20_000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        lead = rng.choice(("", "What happened", "In the news", "Bold"))
        assert lines.is_dialogue(text) == lines._is_dialogue(text), text
        assert lines._analytic_inline(text, lead) == inline_by_definition(text, lead), text


def strip_chrome_by_definition(blocks: list[Block]) -> page.Cleaned:
    """The chrome pass asking of every kept line, until one does, whether it opens the article
    (an analytic heading, an issue line or a CWA line)."""
    cleaned = page.Cleaned()
    content_seen = False
    last_top = None

    def at_top() -> None:
        nonlocal last_top
        kept = len(cleaned.blocks)
        if not content_seen and (last_top is None or kept - last_top <= 3):
            cleaned.top = last_top = kept

    for block in blocks:
        kind = kind_by_definition(block.text)
        if kind == page._NAMED and block.linked or kind in (page._LABEL, page._FOOTER):
            continue
        if kind == page._PHOTO:
            if not cleaned.seen_photo_source:
                cleaned.seen_photo_source = True
                cleaned.photo_source = page._photo_source(block.text)
            at_top()
            continue
        if kind == page._END_MARK:
            cleaned.end_marks.append(len(cleaned.blocks))
            continue
        if kind == page._TOP_CHROME:
            at_top()
            continue
        if kind == page._CWA_LINE:
            if not content_seen:
                cleaned.cwa_template = True
                at_top()
            continue
        if not content_seen and page._opens_content(block.text):
            content_seen = True
        cleaned.blocks.append(block)
    return cleaned


def test_the_chrome_pass_is_its_definition() -> None:
    texts = ("Photo Source: Reuters", "Photo Source:", "Print Bookmark", "Copyright NIAS",
             "NIAS Course on Global Politics", "CWA Commentary", "IN FOCUS", "What happened?",
             "Conflict Weekly 89", "Conflict Weekly #89, Vol. 2, No. 3, 12 May 2021",
             "CWA # 67, 16 December 2018", "A title", "Rishika Yadav", "A paragraph, of text.")
    rng = random.Random(30)
    for _ in range(3_000):
        blocks = [Block(rng.choice(texts), linked=rng.random() < 0.2)
                  for _ in range(rng.randint(0, 30))]
        assert page._strip_chrome(blocks) == strip_chrome_by_definition(blocks)
