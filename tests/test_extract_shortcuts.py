"""More shortcuts of the extractor give what their definitions give: lines told by their first
character before an expression is tried, repeated paragraphs told by trimming each text once,
sentence ends read from a text's end (before its words are counted), texts not lowered when
too long to be equal, the series expressions tried as one, a line without a digit never read
as an issue line, a line searched for a name separator only where one can be, query keys not
decoded when there is nothing to decode, and the walk remembering tag names and class verdicts
within a page."""

from __future__ import annotations

import random
import re
import string
from urllib.parse import unquote_plus

import lxml.html
import pytest

from gpscrape.extract import (
    _walk,
    issue_line,
    lines,
    listing,
    names,
    page,
    sections,
    url_keys,
    vocab,
    warnings,
)
from gpscrape.extract.blocks import Block, _attribute_verdict, blocks_of_tree
from gpscrape.extract.issue_line import parse_issue_line

EVERY_CHARACTER = "".join(map(chr, range(0x110000)))


@pytest.mark.parametrize(("first", "expression", "opening", "letters"), [
    (vocab.ABOUT_AUTHOR_FIRST, vocab.ABOUT_AUTHOR, "^about", "a"),
    (vocab.PHOTO_SOURCE_FIRST, vocab.PHOTO_SOURCE, "^photo", "p"),
    (names.BY_FIRST, names._BY, "^(?:written\\s+)?by", "wb"),
    (listing.PREVIOUS_COMMENTS_FIRST, vocab.PREVIOUS_COMMENTS, "^previous", "p"),
])
def test_a_line_opens_with_what_the_first_letter_of_its_expression_matches(
        first: str, expression: re.Pattern[str], opening: str, letters: str) -> None:
    assert expression.pattern.startswith(opening) and expression.flags & re.I
    assert set(re.findall(f"[{letters}]", EVERY_CHARACTER, re.I)) == set(first)


def test_an_inline_heading_opens_with_what_the_expression_of_first_letters_matches() -> None:
    opening = re.compile("|".join(sorted({re.escape(k[0]) for k in vocab.HEADING_KINDS})), re.I)
    assert set(opening.findall(EVERY_CHARACTER)) == lines._INLINE_FIRST


def test_a_name_separator_is_looked_for_only_where_one_can_be() -> None:
    assert set(re.findall("[and]", EVERY_CHARACTER, re.I)) == set("aAnNdD")
    pieces = ("Ann", "Lee", ",", "&", "and", "AnD", "ANDREW", "sand", "\u00e1nd", " ", "\t",
              ", and", "&nbsp", "Bo")
    rng = random.Random(47)
    skipped = 0
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        if not names._may_separate(text):
            assert names._SPLIT.search(text) is None, text
            skipped += 1
    assert skipped > 2_000


def test_the_lines_told_by_their_first_character_are_judged_as_by_the_expressions() -> None:
    pieces = ("About the author:", "about the authors", "Photo Source: AP", "photo source",
              "By Ann Lee", "by: GP Team", "Written by X", "written", "\u0130n", "\u0131",
              "A", "b", "p", " ", "", "text", "Ann Lee and Bo Ko")
    rng = random.Random(40)
    for _ in range(20_000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))
        assert names.has_by(text) == bool(names._BY.match(text.strip())), text
        assert names.strip_by(text) == names._BY.sub("", text.strip()), text
        assert (page._line_kind(text) == page._PHOTO) == bool(vocab.PHOTO_SOURCE.match(text))
        blocks = [Block(text), Block("bio")]
        match = vocab.ABOUT_AUTHOR.match(text)
        expected = ((text[match.end():].strip() or "bio"), 0) if match else (None, 2)
        assert page._about_author(blocks, 0, 2) == expected, text


def test_repeated_paragraphs_are_dropped_as_same_paragraph_tells_them() -> None:
    pieces = ("Text", "text", ".", " ", ". ", "..", "", "Text.")
    rng = random.Random(42)
    for _ in range(20_000):
        blocks = [Block("".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))))
                  for _ in range(rng.randint(0, 5))]
        expected = [b for i, b in enumerate(blocks)
                    if i == 0 or not lines.same_paragraph(b.text, blocks[i - 1].text)]
        assert sections._without_repeats(blocks) == expected, blocks


def test_a_sentence_end_is_read_from_the_end_as_the_expression_finds_it() -> None:
    sentence_end = re.compile(r"[.!?…:;,][\"”’')]*$")  # the definition
    chars = "Aa .!?…:;,\"”’')\n("
    rng = random.Random(43)
    for _ in range(50_000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 6)))
        assert warnings._ends_sentence(text) == bool(sentence_end.search(text)), repr(text)


def title_shaped(text: str) -> bool:
    """The definition of `warnings._title_shaped`: the words counted first."""
    if not text[:1].isupper():
        return False
    words = text.split(None, 16)
    if len(words) > 16:
        return False
    if text.endswith(":"):
        return len(words) <= 6
    if re.search(r"[.!?…:;,][\"”’')]*$", text) or warnings._CLAUSE.search(text):
        return False
    if warnings._REGION_HEAD.match(text):
        return True
    long_words = [w for w in words if len(w) >= 4]
    capitals = sum(1 for w in long_words if w[:1].isupper())
    return bool(long_words) and capitals >= 0.75 * len(long_words)


def test_a_title_shaped_text_is_told_as_counting_its_words_first_tells_it() -> None:
    pieces = ("Word", "word", "Asia:", "The", "a", ",", ".", ":", "\"", "”", "\n", "Longer",
              ", then", "?")
    rng = random.Random(44)
    shaped = 0
    for _ in range(30_000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(0, 20)))
        assert warnings._title_shaped(text) == title_shaped(text), repr(text)
        shaped += title_shaped(text)
    assert shaped > 1000  # both answers are checked


def test_a_text_lowers_to_a_lowered_one_as_lower_says() -> None:
    rng = random.Random(41)
    chars = "aAbB \t\u0130i\u0307\u00df\u1e9e"
    for _ in range(50_000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 6)))
        lowered = "".join(rng.choice(chars) for _ in range(rng.randint(0, 6))).lower()
        assert page._lowers_to(text, lowered) == (text.lower() == lowered), (text, lowered)
        assert page._lowers_to(text, text.lower())


def test_the_cwa_line_is_told_as_lowering_and_trimming_tell_it() -> None:
    pieces = ("CWA", "cwa", "Commentary", "COMMENTARY", " ", "\t", "\u0130", "x")
    rng = random.Random(42)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 5)))
        expected = text.lower().strip() == vocab.CWA_COMMENTARY.lower()
        assert (page._chrome_kind(text) == page._CWA_LINE) == expected, text


CHROME_AS_WRITTEN = re.compile(  # the expression before its lines were listed one by one
    r"""^(?:
      NIAS\s+Course\s+on\s+Global\s+Politics
    | National\s+Institute\s+of\s+Advanced\s+Studies(?:\s*\(NIAS\))?,?
    | Indian\s+Institute\s+of\s+Science\s+Campus,?\s*Bangal(?:o|u)re\.?
    | .{0,40}subscribe\s+to\s+(?:GP|Conflict\s+Weekly|IPRI)?\s*alerts.*
    | For\s+any\s+further\s+information.*
    | Print(?:\s*\|?\s*Bookmark)?
    | Bookmark
    | Share
    | An\s+initiative\s+(?:by|of)\s+NIAS.*
    | IPRI\s+Comments
    | International\s+Peace\s+Research\s+Initiative(?:\s*\(IPRI\))?
    | Conflict\s+Resolution\s+and\s+Peace\s+Research\s+Programme
    | !\[\]\(\)\s*\|?
    | (?:©|\(c\)|Copyright\b|All\s+rights\s+reserved|Best\s+viewed\b).{0,200}
    | [|\s]+
    )$""",
    re.I | re.X,
)


def test_chrome_lines_are_told_as_the_whole_expression_tells_them() -> None:
    assert set(re.findall("[ub]", EVERY_CHARACTER, re.I)) == set("uUbB")
    pieces = ("subscribe to GP alerts", "SUBSCRIBE TO alerts", "\u017fubscribe to IPRI alerts",
              "Please", "x" * 30, "Print", "Bookmark", "|", " ", "\n", "Copyright", "\u00a9",
              "NIAS Course on Global Politics", "For any further information", "Share", "ub",
              "\u0130", "An initiative by NIAS", "text")
    rng = random.Random(47)
    told = set()
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) + rng.choice(("", " ", "\n"))
                       for _ in range(rng.randint(0, 5)))
        expected = CHROME_AS_WRITTEN.match(text) is not None
        assert vocab.is_chrome(text) == expected == (vocab.CHROME.match(text) is not None), text
        told.add(expected)
    assert told == {True, False}


def series_by_loop(text: str, anchored: bool) -> tuple[str, int | None, int] | None:
    """Each series tried in turn: a label (the whole line, maybe numbered) or an issue line's
    series (at its start); (series, number, end of the match)."""
    for name, series, numbered, opens in vocab._SERIES_NAMES:
        if anchored:
            if not opens:
                continue
            match = re.compile(name, re.I).match(text)
        else:
            pattern = f"(?:{name})" + (r"(?:\s+(?P<n>\d+))?" if numbered else "")
            match = re.compile(pattern, re.I).fullmatch(text.strip())
        if match:
            number = match.groupdict().get("n")
            return series, int(number) if number else None, match.end()
    return None


def test_the_series_expressions_find_what_a_loop_over_the_series_finds() -> None:
    pieces = ("NIAS", "The", "World", "This", "Week", "TWTW", "IPRI", "Conflict", "Weekly",
              "Africa", "Fortnightly on Science, Technology & International Relations",
              "(STIR)", "STIR", "Europe", "Monitor", "Studies", "CWA", "Commentary", "89", "#3",
              "-", " ", "Vol. 2")
    rng = random.Random(43)
    found = 0
    for _ in range(20_000):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        expected = series_by_loop(text, anchored=False)
        label = vocab._label_series.__wrapped__(text)
        assert label == (expected[:2] if expected else None), text
        expected = series_by_loop(text, anchored=True)
        match = vocab.ISSUE_LINE_SERIES.match(text)
        got = (vocab.matched_series(match), None, match.end()) if match else None
        assert got == expected, text
        found += expected is not None
    assert found > 2_000
    assert parse_issue_line("Conflict Weekly #89, Vol. 2, No. 3").series == vocab.CONFLICT_WEEKLY


def test_a_line_without_a_digit_is_no_issue_line_as_the_whole_reading_finds(
        monkeypatch: pytest.MonkeyPatch) -> None:
    pieces = ("The World This Week", "Conflict Weekly", "NIAS Europe Monitor", "IPRI", "#",
              "# 12", "#294 & 295", "Vol.", "Vol 6", "No", "Nos. 48 & 49", "Issue", "May",
              "26 January 2025", "January", "2025", ",", " ", "An initiative by NIAS",
              "and", "٣", "Monday")
    read_line = issue_line._read_issue_line
    rng = random.Random(45)
    lines_ = [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 7)))
              for _ in range(20_000)]
    read = [read_line(text) for text in lines_]
    monkeypatch.setattr(issue_line, "has_digit", lambda line: True)  # every line read whole
    assert read == [read_line(text) for text in lines_]
    assert sum(r is not None for r in read) > 500
    assert sum(r is None and not re.search(r"\d", t)
               for r, t in zip(read, lines_, strict=True)) > 1_000


def number_by_definition(url: str, name: str) -> int | None:
    _, question, query = url.partition("?")
    if not question:
        return None
    for part in re.split(r"[&;]", query.split("#", 1)[0]):
        key, equals, value = part.partition("=")
        if equals and unquote_plus(key).strip().lower().removeprefix("amp;") == name:
            digits = re.match(r"\d+", unquote_plus(value).strip())
            if digits:
                return int(digits.group())
    return None


def test_query_keys_are_read_as_unquoting_every_part_reads_them() -> None:
    pieces = ("recordNo", "RecordNo", "record%4Eo", "+recordNo", "amp;recordNo", "ArticleNo",
              "url", "=", "&", ";", "#", "?", "5", "%35", "+7", " 12", "x", "%2", "%")
    rng = random.Random(44)
    for _ in range(20_000):
        url = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        for name in ("recordno", "articleno"):
            assert url_keys._number.__wrapped__(url, name) == number_by_definition(url, name), url


def markup(attributes: dict[str, str]) -> str:
    return "".join(f" {name}='{value}'" for name, value in attributes.items())


class RandomVerdicts:
    """A chrome verdict chosen at random, once, for each tag and set of attributes."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.chosen: dict[tuple, bool | None] = {}

    def __call__(self, tag: str, hidden: bool, style: str | None, names_: str | None,
                 ident: str | None) -> bool | None:
        key = (tag, hidden, style, names_, ident)
        if key not in self.chosen:
            self.chosen[key] = self.rng.choice((True, False, None))
        return self.chosen[key]


DROPPED_BY_TEXT = {f"line {n}" for n in range(0, 60, 3)}


def test_the_walk_asks_each_element_the_verdict_of_its_own_attributes() -> None:
    """Tags and class verdicts remembered within a walk: each element still gets the verdict
    of its own tag and attributes (a verdict chosen at random per set of attributes)."""
    rng = random.Random(45)
    tags = ("div", "p", "li", "span", "section", "nav", "b", "td")
    classes = ("entry", "entry media", "menu", "nav-item", "x", "", "\u00e9t\u00e9")
    for _ in range(200):
        verdict = RandomVerdicts(rng)
        elements, expected = [], []
        for n in range(rng.randint(1, 60)):
            tag = rng.choice(tags)
            attributes = {}
            if rng.random() < 0.8:
                attributes["class"] = rng.choice(classes)
            if rng.random() < 0.1:
                attributes["id"] = rng.choice(classes)
            if rng.random() < 0.1:
                attributes["style"] = "color: red"
            text = f"line {n}"
            elements.append((tag, attributes, text))
        html = "".join(f"<{tag}{markup(attributes)}>{text}</{tag}><br>"
                       for tag, attributes, text in elements)
        root = lxml.html.document_fromstring(f"<html><body>{html}</body></html>")
        roles = {"div": 2, "p": 2, "li": 2, "span": 2, "section": 2, "nav": 6, "td": 2, "br": 8}
        blocks = _walk.walk(root.find("body"), roles, verdict,
                            lambda el, tag: el.text_content() in DROPPED_BY_TEXT, Block)
        for tag, attributes, text in elements:
            if tag == "b" or (tag != "nav" and not attributes):
                expected.append(text)
                continue
            said = verdict(tag, False, attributes.get("style"), attributes.get("class"),
                           attributes.get("id"))
            if not (said or (said is None and text in DROPPED_BY_TEXT)):
                expected.append(text)
        assert [b.text for b in blocks] == expected


def test_the_blocks_of_a_page_repeating_its_classes_are_those_of_each_element_alone() -> None:
    entry = ("<div class=\"entry media\"><p class=\"entry-date\">May 2019 | CWA # {n}</p>"
             "<p class=\"menu\">Menu {n}</p><p class=\"entry-title\"><a href=\"/a{n}\">T{n}</a>"
             "</p></div>")
    page_html = "".join(entry.format(n=n) for n in range(40))
    root = lxml.html.document_fromstring(f"<html><body>{page_html}</body></html>")
    alone = []
    for n in range(40):
        one = lxml.html.document_fromstring(f"<html><body>{entry.format(n=n)}</body></html>")
        alone += blocks_of_tree(one)
    assert blocks_of_tree(root) == alone
    assert [b.text for b in alone[:2]] == ["May 2019 | CWA # 0", "T0"]
    assert _attribute_verdict("p", False, None, "menu", None) is None  # the text decides


def test_squash_reads_one_two_and_four_byte_texts_as_split_and_join_do() -> None:
    rng = random.Random(46)
    for chars in ("ab \t\n\r\x0b\x0c\x1b\x1c\x1f\x00\x85\xa0\xe9\x7f",
                  "ab \t\x1c\x85\xa0\u2003\u3000\u200b\ufeff\u2028\u2019\u1680",
                  "ab \t\x1c\x85\xa0\u3000\u200b\ufeff\U0001d400\U0001f600\U00020000",
                  string.ascii_letters + "  "):
        for _ in range(20_000):
            text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 10)))
            expected = " ".join(text.replace("\u200b", " ").replace("\ufeff", " ").split())
            assert _walk.squash(text) == expected, repr(text)


def test_the_walk_makes_blocks_of_a_class_without_slots_through_setattr() -> None:
    class Line:
        """A block class whose fields are plain attributes."""

    root = lxml.html.document_fromstring("<html><body><p><b>x</b> y</p></body></html>")
    made = _walk.walk(root.find("body"), {"p": 24, "b": 32}, None, None, Line)
    assert [vars(line) for line in made] == [
        {"text": "x y", "emphasised": False, "lead": "x", "href": None, "linked": False}]
