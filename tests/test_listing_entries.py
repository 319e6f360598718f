"""The sidebar's entries read in C (`gpscrape/extract/_listing.pyx`): built from the source in
the tree, and giving the entries, and the listing's span, that reading each entry in Python
gives (the definition below), whatever the lines around the entries and their links."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from gpscrape.extract import _listing
from gpscrape.extract.blocks import Block
from gpscrape.extract.listing import (
    PREVIOUS_COMMENTS_FIRST,
    _author_line,
    _base,
    _head,
    _resolve,
    entry_heads,
    find_listing,
)
from gpscrape.extract.record import ListingEntry
from gpscrape.extract.vocab import PREVIOUS_COMMENTS

SOURCE = Path(__file__).resolve().parents[1] / "gpscrape" / "extract" / "_listing.pyx"
PAGE_URLS = ("https://globalpolitics.in/view_cir_articles.php?url=X&recordNo=5",
             "http://127.0.0.1:8000/africa/africa-weekly.php?recordNo=9", "http://h/a/../b/",
             "file:///x/y")
HREFS = (None, "", "  ", "javascript:void(0)", "mailto:a@b.c", "#top",
         "/view_cir_articles.php?url=Title&recordNo=12", "view.php?recordNo=7",
         "../up.php?recordNo=8", "https://globalpolitics.in/TWTW_view_articles.php?recordNo=3",
         " /spaced.php?recordNo=4 ", "//other.host/p.php?recordNo=6", "x.php#frag")
AUTHORS = ("Rishika Yadav", "Avishka Ashok | Research Associate, NIAS", "GP Team",
           "By A and B", "Not a name at all, 2019")


def entries_in_python(blocks: list[Block], marks: list[int], page_url: str
                      ) -> tuple[list[ListingEntry], int]:
    """The definition: `Month | CWA # N` / author / title, the lines that are another entry's
    head not taken; the entry's own link when its title has none."""
    base = _base(page_url)
    stops = set(marks)
    entries = []
    last = marks[0]
    for i in marks:
        month, cwa_no = _head(blocks[i].text)
        names: tuple[str, ...] = ()
        bio = title = url = record_no = None
        if i + 1 < len(blocks) and i + 1 not in stops:
            if i + 2 < len(blocks) and i + 2 not in stops:
                names, bio = _author_line(blocks[i + 1].text)
                titled, end = blocks[i + 2], i + 3
            else:
                titled, end = blocks[i + 1], i + 2
            title = titled.text
            url, record_no = _resolve(titled.href, page_url, base)
        else:
            end = i + 1
        if url is None:
            url, record_no = _resolve(blocks[i].href, page_url, base)
        entries.append(ListingEntry(cwa_no, month, title, list(names), bio, url, record_no))
        last = max(last, end)
    return entries, last


def random_blocks(rng: random.Random) -> list[Block]:
    blocks = []
    for _ in range(rng.randint(1, 40)):
        kind = rng.random()
        href = rng.choice(HREFS)
        if kind < 0.35:
            month = rng.choice(("March 2019 | ", "Dec. 2018 - ", "", "Sept 2020, "))
            text = f"{month}CWA # {rng.randint(1, 3000)}"
        elif kind < 0.6:
            text = rng.choice(AUTHORS)
        else:
            text = rng.choice(("A title: with a colon", "Another title", "# not a head",
                               "Conflict Weekly 12"))
        blocks.append(Block(text, href=href, linked=href is not None))
    return blocks


def test_the_compiled_listing_is_built_from_the_source_in_the_tree() -> None:
    built = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert built == _listing.SOURCE_SHA256, "stale build of _listing.pyx: run `make setup`"


def test_entries_are_read_as_in_python() -> None:
    rng = random.Random(14)
    checked = 0
    for _ in range(3000):
        blocks = random_blocks(rng)
        page_url = rng.choice(PAGE_URLS)
        heads = entry_heads(blocks, _head)
        assert heads == {i: _head(b.text) for i, b in enumerate(blocks)
                         if "#" in b.text and _head(b.text)}
        if not heads:
            continue
        marks = sorted(rng.sample(list(heads), rng.randint(1, len(heads))))
        base = _base(page_url)
        links: dict = {}
        for _ in range(2):  # the second time, the links met before come from `links`
            got = _listing.entries_after(
                blocks, marks, heads, links,
                lambda href, url=page_url, b=base: _resolve(href, url, b), _author_line,
                ListingEntry)
            assert got == entries_in_python(blocks, marks, page_url)
            links.update({b.href: _resolve(b.href, page_url, base) for b in blocks if b.href})
        checked += 1
    assert checked > 2000


def test_the_previous_comments_line_is_found_as_by_trying_the_expression_on_each_line() -> None:
    pieces = ("PREVIOUS COMMENTS", "Previous  comments:", "previous", "comments", "P", "p",
              "", " ", "\u0130", "X")
    rng = random.Random(15)
    for _ in range(5000):
        blocks = [Block(" ".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))))
                  for _ in range(rng.randint(0, 6))]
        expected = next((i for i, b in enumerate(blocks) if PREVIOUS_COMMENTS.match(b.text)),
                        None)
        assert _listing.first_match(blocks, PREVIOUS_COMMENTS_FIRST, PREVIOUS_COMMENTS) == expected


def test_a_sidebar_gives_its_entries_and_span() -> None:
    blocks = [Block("Home", href="/", linked=True), Block("PREVIOUS COMMENTS"),
              Block("March 2019 | CWA # 116"), Block("Rishika Yadav | Research Intern"),
              Block("Sanctions and after", href="view.php?recordNo=116", linked=True),
              Block("April 2019 | CWA # 117", href="/view.php?recordNo=117", linked=True),
              Block("May 2019 | CWA # 118"), Block("Untitled entry")]
    listing = find_listing(blocks, "https://globalpolitics.in/a/view.php?recordNo=1")
    assert listing is not None
    assert (listing.start, listing.end) == (1, 8)
    first, second, third = listing.entries
    assert (first.cwa_no, first.authors, first.author_bio, first.title, first.url,
            first.record_no) == (116, ["Rishika Yadav"], "Research Intern", "Sanctions and after",
                                 "https://globalpolitics.in/a/view.php?recordNo=116", 116)
    assert (second.cwa_no, second.title, second.url, second.record_no) == (
        117, None, "https://globalpolitics.in/view.php?recordNo=117", 117)
    assert (third.cwa_no, third.authors, third.title, third.url) == (
        118, [], "Untitled entry", None)
