"""Hostile input: the extractor and its parsers return a record or raise the documented
`ExtractError`, never anything else, and never hang (a generous 10 s guard per page catches a
hang; it is no speed target). The default suite runs a few hundred examples; `make test-long`
runs 3,500 examples per strategy (10,500 in all)."""

from __future__ import annotations

import json
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gpscrape.extract import ExtractError, PageRecord, extract_page
from gpscrape.extract.dates import parse_date
from gpscrape.extract.issue_line import parse_counter_line, parse_issue_line

PAGES = Path(__file__).parent / "fixtures" / "pages"
SEEDS = [
    ((p / "page.html").read_bytes(), json.loads((p / "meta.json").read_text())["url"])
    for p in sorted(PAGES.iterdir())
    if (p / "meta.json").exists()
]
URL = "https://globalpolitics.in/view_cir_articles.php?url=Conflict%20Weekly&recordNo=1012"
GUARD_SECONDS = 10
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
LONG = settings(max_examples=3_500, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def guard(seconds: int = GUARD_SECONDS):
    """Fail instead of hanging."""

    def _timeout(signum, frame):
        raise TimeoutError(f"extraction took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def check(html: bytes | str, url: str = URL) -> None:
    """The only allowed outcomes: a PageRecord whose JSON form round-trips, or ExtractError."""
    with guard():
        try:
            record = extract_page(html, url)
        except ExtractError as error:
            assert error.reason
            return
    assert isinstance(record, PageRecord)
    data = record.to_dict()
    json.dumps(data, ensure_ascii=False)
    assert PageRecord.from_dict(data) == record


TAGS = ["p", "div", "span", "b", "strong", "h3", "br", "td", "tr", "table", "a", "li", "ul", "em",
        "script", "style", "nav", "aside", "footer", "font", "center", "pre", "svg", "iframe"]
LINES = [
    "What happened?", "What is the background ?", "what does it mean", "In the news ",
    "Issues at large", "In perspective", "About the author ", "PREVIOUS COMMENTS", "Print Bookmark",
    "Photo Source:", "December 2025 | CWA # 1931", "CWA # 67, 16 December 2018",
    "The World This Week #294 & 295 Vol. 6 Nos. 48 & 49, 26 January 2025", "GP Team",
    "  Abhimanyu Solanki", "31 December 2025", "By Avishka Ashok and Rishika Yadav", "IN FOCUS",
    "The World This Week", "Conflict Weekly 20", "I Russia", "1. The threat", "Name | bio",
    "Amb X: answer.", "Israel: Netanyahu plans", "31 February 2023", "#1-999999999", "Vol. 99999999999",
]
text_piece = st.one_of(st.sampled_from(LINES), st.text(max_size=40))


@st.composite
def html_soup(draw) -> str:
    """Random tag soup built from the site's own vocabulary and random text."""
    parts = []
    for _ in range(draw(st.integers(0, 60))):
        tag = draw(st.sampled_from(TAGS))
        attrs = draw(st.sampled_from(["", ' class="menu"', ' style="display:none"', ' href="?recordNo=5"',
                                      ' id="footer"', ' hidden']))
        kind = draw(st.integers(0, 3))
        text = draw(text_piece)
        if kind == 0:
            parts.append(f"<{tag}{attrs}>{text}</{tag}>")
        elif kind == 1:
            parts.append(f"<{tag}{attrs}>{text}")
        elif kind == 2:
            parts.append(f"{text}</{tag}>")
        else:
            parts.append(text)
    return "<html><body>" + "".join(parts)


@st.composite
def mutated_fixture(draw) -> tuple[bytes, str]:
    """A real fixture page with bytes cut, flipped, duplicated or inserted."""
    html, url = draw(st.sampled_from(SEEDS))
    data = bytearray(html)
    for _ in range(draw(st.integers(1, 8))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        op = draw(st.integers(0, 4))
        if op == 0:
            del data[at:at + draw(st.integers(1, 400))]
        elif op == 1:
            data[at] = draw(st.integers(0, 255))
        elif op == 2:
            data[at:at] = draw(st.binary(max_size=64))
        elif op == 3:
            data[at:at] = data[at:at + draw(st.integers(1, 300))] * draw(st.integers(1, 5))
        else:
            data = data[:at]
    return bytes(data), url


def _soup_test(soup: str) -> None:
    check(soup)
    check(soup.encode("utf-8", "surrogatepass"))


def _mutation_test(case: tuple[bytes, str]) -> None:
    check(*case)


def _line_parsers_test(text: str) -> None:
    with guard():
        for parser in (parse_issue_line, parse_counter_line, parse_date):
            parser(text)


test_tag_soup = FAST(given(html_soup())(_soup_test))
test_mutated_fixtures = FAST(given(mutated_fixture())(_mutation_test))
test_line_parsers = FAST(given(st.one_of(text_piece, st.text(max_size=300)))(_line_parsers_test))

test_tag_soup_long = pytest.mark.long(LONG(given(html_soup())(_soup_test)))
test_mutated_fixtures_long = pytest.mark.long(LONG(given(mutated_fixture())(_mutation_test)))
test_line_parsers_long = pytest.mark.long(
    LONG(given(st.one_of(text_piece, st.text(max_size=300)))(_line_parsers_test)))


@pytest.mark.parametrize(
    "name",
    ["empty", "spaces", "nul", "binary", "utf16", "bad_utf8", "wrong_charset", "deep", "huge_attribute",
     "headings", "ten_megabytes", "only_script", "comment_only", "xml_declaration"],
)
def test_pathological_pages(name):
    html, url = SEEDS[0]
    body = html.decode("utf-8", "replace")
    pages = {
        "empty": b"",
        "spaces": b" \n\t " * 100,
        "nul": html.replace(b"<p", b"\x00<p"),
        "binary": bytes(range(256)) * 400,
        "utf16": body.encode("utf-16"),
        "bad_utf8": html.replace(b"e", b"\xff\xfe", 50),
        "wrong_charset": body.replace("<head>", '<head><meta charset="shift_jis">').encode("utf-8"),
        "deep": ("<div>" * 20_000 + "What happened?<p>text</p>" + "</div>" * 20_000).encode(),
        "huge_attribute": html.replace(b"<body", b'<body data-x="' + b"a" * 5_000_000 + b'"'),
        "headings": ("<html><body><p>The World This Week</p><p>Title</p><p>GP Team</p>"
                     + "<h3>What happened?</h3><p>Text.</p>" * 5_000 + "</body></html>").encode(),
        "ten_megabytes": html.replace(b"</body>", b"<p>Filler paragraph, over and over.</p>" * 260_000 + b"</body>"),
        "only_script": b"<html><script>" + b"What happened?" * 1000 + b"</script></html>",
        "comment_only": b"<!-- What happened? -->",
        "xml_declaration": b'<?xml version="1.0" encoding="utf-8"?>' + html,
    }
    started = time.perf_counter()
    check(pages[name], url)
    assert time.perf_counter() - started < GUARD_SECONDS
