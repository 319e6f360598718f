"""Shortcuts of the per-line rules give what their definitions give: a line's kind in the
chrome pass (one cached answer per short line, the chrome rules alone for a longer line), the
heading key folded without `str.translate`, a page's folder cut without `urljoin`."""

from __future__ import annotations

import random
import string
from urllib.parse import urljoin

from gpscrape.extract import page
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
