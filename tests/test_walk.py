"""The block walk in C (`gpscrape/extract/_walk.pyx`): built from the source in the tree, and
reading libxml2's nodes as lxml reads them (text, tails, attributes, links, `<pre>`, trees
built by other parsers or by hand)."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import lxml.html
from lxml import etree

from gpscrape.extract import _walk
from gpscrape.extract.blocks import Block, blocks_of_tree, parse_blocks, parse_tree

SOURCE = Path(__file__).resolve().parents[1] / "gpscrape" / "extract" / "_walk.pyx"


def blocks(html: str) -> list[tuple[str, bool, str, str | None, bool]]:
    return [(b.text, b.emphasised, b.lead, b.href, b.linked) for b in parse_blocks(html.encode())]


def test_the_compiled_walk_is_built_from_the_source_in_the_tree() -> None:
    built = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
    assert built == _walk.SOURCE_SHA256, "stale build of _walk.pyx: run `make setup`"


def test_lines_break_at_blocks_and_br_and_keep_the_text_around_skipped_elements() -> None:
    html = ("<html><body>one <script>x()</script>two<br>three<div>four</div>five"
            "<p>six<style>p{}</style> seven</p></body></html>")
    assert [b[0] for b in blocks(html)] == ["one two", "three", "four", "five", "six seven"]


def test_emphasis_lead_and_links() -> None:
    html = ("<html><body><p><b>Lead:</b> the rest</p><h3>All <i>bold</i></h3>"
            "<p><a href=\"/a?x=1&amp;y=2\">all linked</a></p>"
            "<p><a href>bare</a> and <a href=\"/b\">b</a></p>"
            "<p><a name=\"x\">no href</a></p></body></html>")
    assert blocks(html) == [
        ("Lead: the rest", False, "Lead:", None, False),
        ("All bold", True, "All bold", None, False),
        ("all linked", False, "", "/a?x=1&y=2", True),
        ("bare and b", False, "", "", False),
        ("no href", False, "", None, False),
    ]


def test_preformatted_text_breaks_at_every_newline() -> None:
    html = "<html><body><pre>a  b\n\n c <b>d\ne</b></pre>f</body></html>"
    assert blocks(html) == [("a b", False, "", None, False), ("c d", False, "", None, False),
                            ("e", True, "e", None, False), ("f", False, "", None, False)]


def test_attribute_values_decide_chrome_as_lxml_reads_them() -> None:
    html = ("<html><body><div class=\"a&#32;nav\"><p>nav, by its entity-decoded class</p></div>"
            "<div id=\"x\" id=\"footer\"><p>kept: the first id counts</p></div>"
            "<p hidden>hidden</p><p style=\"visibility: HIDDEN\">hidden too</p>"
            "<form><input></form><p>end</p></body></html>")
    assert [b[0] for b in blocks(html)] == ["kept: the first id counts", "end"]


def test_trees_of_other_parsers_and_built_by_hand() -> None:
    page = ("<html><body><!-- a --><p>one<!-- b --> two</p><?pi x?><div class=\"menu\">"
            "<a href=\"/m\">Menu</a></div><p>three</p></body></html>")
    expected = parse_blocks(page.encode())
    assert [b.text for b in expected] == ["one two", "three"]
    assert blocks_of_tree(lxml.html.document_fromstring(page)) == expected
    assert blocks_of_tree(etree.fromstring(page, etree.HTMLParser())) == expected
    root = etree.Element("html")
    body = etree.SubElement(root, "body")
    div = etree.SubElement(body, "{urn:x}div", {"{urn:x}class": "nav"})
    div.text = "namespaced: inline, never chrome"
    etree.SubElement(body, "p").text = "para"
    assert blocks_of_tree(root) == [Block("namespaced: inline, never chrome"), Block("para")]


def test_the_body_is_walked_without_the_document_around_it() -> None:
    root = parse_tree(b"<html><head><title>T</title></head><body><p>x</p></body></html>")
    assert _walk.walk(root.find("body"), {}, None, None, Block) == [Block("x")]


def test_squash_collapses_whitespace_as_split_and_join_do() -> None:
    rng = random.Random(3)
    chars = "ab \t\n\r\x0b\x0c\x1c\xa0\u2003\u3000\u200b\ufeff\u2028\u00e9"
    for _ in range(5_000):
        text = "".join(rng.choice(chars) for _ in range(rng.randint(0, 10)))
        expected = " ".join(text.replace("\u200b", " ").replace("\ufeff", " ").split())
        assert _walk.squash(text) == expected, repr(text)
