"""The extractor's fast paths give what the general ones give: links made absolute without
`urljoin` (and a listing's links answered from what pages of any folder of the host met
before), control characters found from the bytes, chrome names judged once per page, author
lines judged by their first name (and their digits in C) before the rest is split."""

from __future__ import annotations

import random
import re
import string
from urllib.parse import urljoin

import pytest

from gpscrape.extract import listing, names
from gpscrape.extract.blocks import parse_blocks
from gpscrape.extract.listing import absolute
from gpscrape.extract.url_keys import record_no_in

BASES = ("http://h/", "http://h", "http://h?x=1", "http://h/a/b.php?x=1#f", "http://h/a/./b/../c.php",
         "https://globalpolitics.in/TWTW_view_articles.php?url=The%20World&recordNo=890",
         "http://h:8000/dir/", "http://h/a/..", "file:///x/y", "http://user@h/a/b", "HTTP://H/A/")
HREF_CHARS = string.ascii_letters + string.digits + "_.~-?#/=&%: ;\\\t\r\n\x00\x7f\u00e9\xa0"


def test_links_are_made_absolute_as_urljoin_does() -> None:
    rng = random.Random(5)
    for _ in range(20_000):
        href = "".join(rng.choice(HREF_CHARS) for _ in range(rng.randint(1, 12)))
        base = rng.choice(BASES)
        if not href.startswith(("http://", "https://", "/")):  # the forms this change serves
            assert absolute(href, base) == urljoin(base, href), (base, href)
    assert absolute("view.php?url=A B&recordNo=5", BASES[5]) == (
        "https://globalpolitics.in/view.php?url=A B&recordNo=5")


PAGES = ("http://h/view.php?recordNo=1", "http://h/africa/weekly.php?recordNo=2",
         "http://h/europe/", "https://h/a/b/c.php", "http://other:8000/x/", "http://h/a/../b/",
         "file:///x/y", "no-scheme/page.php")
LISTING_HREFS = ("/view.php?url=A%20B&recordNo=5", "view.php?recordNo=6", "../up.php?recordNo=7",
                 "http://h/TWTW.php?recordNo=8", "https://h/x.php?ArticleNo=2&recordNo=9",
                 " /spaced.php?recordNo=10 ", "//other/p.php?recordNo=11", "", "  ", "#top",
                 "javascript:void(0)", "MAILTO:a@b.c", "HTTP://H/upper.php?recordNo=12",
                 "x.php#frag", "?recordNo=13", "./dot.php?recordNo=14")


@pytest.mark.parametrize("limit", [3, 8192])
def test_a_listing_link_is_resolved_as_urljoin_does_whatever_pages_met_it_before(
        limit: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listing, "_LINKS_MAX", limit)  # 3: the caches are dropped again and again
    monkeypatch.setattr(listing, "_LINKS", {})
    monkeypatch.setattr(listing, "_FOLDER_LINKS", {})
    rng = random.Random(limit)
    for _ in range(5000):
        page_url, href = rng.choice(PAGES), rng.choice(LISTING_HREFS)
        got = listing._resolve(href, page_url, listing._base(page_url))
        stripped = href.strip()
        if not stripped or stripped.lower().startswith(("javascript:", "mailto:", "#")):
            assert got == (None, None), (page_url, href)
        else:
            url = urljoin(page_url, stripped)
            assert got == (url, record_no_in(url)), (page_url, href)
    assert len(listing._LINKS) >= 1 and len(listing._FOLDER_LINKS) >= 1  # both caches served


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252", "iso-8859-1"])
def test_control_characters_are_dropped_whatever_the_decoding(encoding: str) -> None:
    declared = "<meta charset=\"iso-8859-1\">" if encoding == "iso-8859-1" else ""
    text = (f"<html><head>{declared}</head><body><p>Wh\x01at hap\x0bpened \u00e9</p>"
            "<p>t\x7fwo</p></body></html>")
    blocks = parse_blocks(text.encode(encoding))
    assert [b.text for b in blocks] == ["What happened \u00e9", "two"]


def test_chrome_names_are_judged_alike_on_every_element() -> None:
    menu = "".join(f"<li class=\"menu-item\"><a href=\"#\">Item {n}</a></li>" for n in range(5))
    html = (f"<html><body><div class=\"menu\"><ul>{menu}</ul></div>"
            "<ul class=\"menu-item\"><li>Kept? no</li></ul><div class=\"entry\"><p>Kept</p></div>"
            "<div id=\"nav\" hidden><p>Hidden</p></div><span style=\"DISPLAY : none\">x</span>"
            "<b style=\"display:none\">bold kept</b></body></html>")
    assert [b.text for b in parse_blocks(html.encode())] == ["Kept", "bold kept"]


def test_author_lines_are_judged_as_by_splitting_every_name() -> None:
    def by_every_name(line: str) -> bool:  # the definition, without the first-name shortcut
        text = line.strip()
        if not text or len(text) > 400 or text.endswith((":", "?")) or re.search(r"\d", text):
            return False
        found = names.split_names(text)
        return bool(found) and all(names.is_person(n) or names.is_team(n) for n in found)

    rng = random.Random(8)
    words = ["By", "by", "Ann", "Lee", "de", "the", "GP", "Team", "team", "and", "&", ",",
             ", and", ".", ";", " ", "NIAS", "Africa", "x", "D.", "Written", "written by", "said"]
    for _ in range(20_000):
        line = " ".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
        assert names.is_author_line.__wrapped__(line) == by_every_name(line), line
