"""The extractor keys on text structure, not tags: rewriting a fixture's markup in ways a
browser renders the same (other tags, `<br>` lines instead of paragraphs, tables, wrappers,
whitespace) must not change its record."""

import json
import re
from pathlib import Path

import pytest
from lxml import etree

from gpscrape.extract import extract_page
from gpscrape.extract.blocks import decode

PAGES = Path(__file__).parent / "fixtures" / "pages"
CASES = sorted(p.name for p in PAGES.iterdir() if (p / "expected.json").exists())
BLOCKY = {"p", "div", "td", "li", "h1", "h2", "h3", "h4", "h5", "h6"}


def _paragraphs_to_divs(root):
    for el in root.iter("p"):
        el.tag = "div"


def _paragraphs_to_breaks(root):
    """`<p>x</p><p>y</p>` -> `<br>x<br><br><br>y<br><br>` inside the same parent."""
    for p in list(root.iter("p")):
        parent = p.getparent()
        index = parent.index(p)
        span = etree.Element("span")
        span.text = p.text
        for child in list(p):
            span.append(child)
        br0, br1, br2 = etree.Element("br"), etree.Element("br"), etree.Element("br")
        br2.tail = p.tail
        parent[index:index + 1] = [br0, span, br1, br2]


def _wrap_text_in_spans(root):
    for el in list(root.iter(*BLOCKY)):
        if el.text and el.text.strip():
            span = etree.Element("span", {"class": "t"})
            font = etree.SubElement(span, "font", {"face": "Arial"})
            font.text = el.text
            el.text = None
            el.insert(0, span)


def _inside_a_table(root):
    body = root.find("body")
    table = etree.Element("table")
    cell = etree.SubElement(etree.SubElement(table, "tr"), "td")
    cell.text = body.text
    body.text = None
    for child in list(body):
        cell.append(child)
    body.append(table)


def _swap_heading_styles(root):
    """`<p><strong>X</strong></p>` <-> `<h4>X</h4>`."""
    for el in list(root.iter("p")):
        kids = list(el)
        if (len(kids) == 1 and kids[0].tag in ("strong", "b") and not (el.text or "").strip()
                and not (kids[0].tail or "").strip()):
            bold = kids[0]
            el.tag, el.text = "h4", bold.text
            for child in list(bold):
                el.append(child)
            el.remove(bold)
    for el in list(root.iter("h2", "h3")):
        bold = etree.Element("b")
        bold.text = el.text
        for child in list(el):
            bold.append(child)
        el.tag, el.text = "p", None
        el.append(bold)


def _extra_whitespace(root):
    """Indentation after every block element (where a browser ignores it)."""
    for el in root.iter(*BLOCKY, "table", "tr", "ul", "br"):
        el.tail = "\n   " + (el.tail or "")


TRANSFORMS = {
    "divs": _paragraphs_to_divs,
    "breaks": _paragraphs_to_breaks,
    "spans": _wrap_text_in_spans,
    "table": _inside_a_table,
    "headings": _swap_heading_styles,
    "whitespace": _extra_whitespace,
}


def _rewrite(html: bytes, transform) -> bytes:
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", decode(html))
    root = etree.fromstring(text, etree.HTMLParser())
    for meta in root.xpath("//meta[@charset or @http-equiv]"):
        meta.getparent().remove(meta)
    transform(root)
    return b'<meta charset="utf-8">' + etree.tostring(root, method="html", encoding="utf-8")


@pytest.mark.parametrize("transform", sorted(TRANSFORMS))
@pytest.mark.parametrize("case", CASES)
def test_record_survives_markup_rewrite(case, transform):
    meta = json.loads((PAGES / case / "meta.json").read_text())
    html = (PAGES / case / "page.html").read_bytes()
    original = extract_page(html, meta["url"]).to_dict()
    rewritten = extract_page(_rewrite(html, TRANSFORMS[transform]), meta["url"]).to_dict()
    different = {k: (original[k], rewritten[k]) for k in original if original[k] != rewritten[k]}
    assert not different, f"{case}/{transform} changed: {sorted(different)}"
