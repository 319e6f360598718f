"""Asides are chrome: widget sidebars whose lines read like a page's own (series names, month
lines, `Region: headline` titles, `In the news`, `About the author`) change no record, before or
after the article, nor do related posts, sharing boxes, tag lists and comment areas after it;
an aside holding listing entries, the article's bio or the article itself is kept. Scripts and styles count
for nothing in the text that decides (an aside's share of the page, a form's size)."""

import json
import re
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from gpscrape.extract import extract_page
from gpscrape.extract.blocks import decode, parse_blocks

PAGES = Path(__file__).parent / "fixtures" / "pages"
CASES = sorted(p.name for p in PAGES.iterdir() if (p / "expected.json").exists())
WIDGETS = (
    '<section class="widget widget_categories"><h2 class="widget-title">Categories</h2><ul>'
    '<li><a href="c/cw">Conflict Weekly</a></li><li><a href="c/twtw">The World This Week</a>'
    '</li><li><a href="c/cwa">CWA Commentary</a></li></ul></section>'
    '<section class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul>'
    '<li><a href="2025/12">December 2025</a></li><li><a href="2025/11">November 2025</a></li>'
    '</ul></section>'
    '<section class="widget"><h2 class="widget-title">Recent Posts</h2><ul>'
    '<li><a href="p/1">Peru: A long wait for the count</a></li>'
    '<li><a href="p/2">Nepal: Floods cut the highway again</a></li></ul></section>'
    '<section class="widget"><h2 class="widget-title">In the news</h2>'
    '<p>New readers can start with our weekly digest.</p></section>'
    '<section class="widget"><h3>About the author</h3>'
    '<p>Ira Sen writes the weekly digest for the programme.</p></section>'
)
SIDEBARS = {
    "aside-widget-area": '<aside id="secondary" class="widget-area">{}</aside>',
    "plain-aside": "<aside>{}</aside>",
    "div-sidebar": '<div id="sidebar" class="col-md-4">{}</div>',
    "left-sidebar": '<div class="left-sidebar">{}</div>',
    "table-cell": '<table><tr><td class="sidebar" width="200">{}</td></tr></table>',
}

# Furniture below an article, named as WordPress and its plugins name it.
BELOW = {
    "related": '<div class="related-posts"><h3>Related Posts</h3><ul><li><a href="p/3">Chad: '
               'The junta extends its term</a> <span>May 4, 2024</span></li></ul></div>',
    "sharing": '<div class="sharedaddy sd-sharing-enabled"><h3>Share this:</h3><ul><li>'
               '<a href="#">Email</a></li><li><a href="#">Facebook</a></li></ul></div>',
    "tags": '<div class="tags-links">Tags: <a href="t/1">Elections</a>, <a href="t/2">In the '
            'news</a></div>',
    "comments": '<div id="comments" class="comments-area"><h2>2 thoughts on this</h2><ol '
                'class="comment-list"><li><p>Anil Rao</p><p>May 5, 2024 at 9:10 am</p><p>What '
                'is the background?</p></li></ol><div id="respond"><h3>Leave a Reply</h3>'
                '</div></div>',
}


def _tree(html: bytes) -> etree._Element:
    """A fixture page's tree, its charset declarations dropped (`_page` writes UTF-8)."""
    root = etree.fromstring(re.sub(r"^\s*<\?xml[^>]*\?>", "", decode(html)), etree.HTMLParser())
    for meta in root.xpath("//meta[@charset or @http-equiv]"):
        meta.getparent().remove(meta)
    return root


def _page(root: etree._Element) -> bytes:
    return b'<meta charset="utf-8">' + etree.tostring(root, method="html", encoding="utf-8")


def _with_sidebar(html: bytes, sidebar: str, before: bool) -> bytes:
    """The page with the sidebar beside its content (wrapped in a plain `<div>`)."""
    root = _tree(html)
    body = root.find("body")
    content = etree.Element("div", {"id": "content"})
    content.text, body.text = body.text, None
    content.extend(list(body))
    side = etree.fromstring(f"<div>{sidebar.replace('{}', WIDGETS)}</div>", etree.HTMLParser())
    side = side.find("body/div")[0]
    body.extend([side, content] if before else [content, side])
    return _page(root)


# (form, markup, before the content or after it): sidebars on either side, furniture below.
PLACED = ([(f"{name}-before", html, True) for name, html in SIDEBARS.items()]
          + [(f"{name}-after", html, False) for name, html in SIDEBARS.items()]
          + [(f"{name}-below", html, False) for name, html in BELOW.items()])


@cache
def _record(case: str) -> tuple[str, bytes, dict]:
    """A fixture case's URL, page and record."""
    url = json.loads((PAGES / case / "meta.json").read_text())["url"]
    html = (PAGES / case / "page.html").read_bytes()
    return url, html, extract_page(html, url).to_dict()


@pytest.mark.parametrize(("form", "aside", "before"), PLACED, ids=[p[0] for p in PLACED])
@pytest.mark.parametrize("case", CASES)
def test_an_aside_changes_no_record(case: str, form: str, aside: str, before: bool) -> None:
    url, html, original = _record(case)
    beside = extract_page(_with_sidebar(html, aside, before), url).to_dict()
    different = sorted(k for k in original if original[k] != beside[k])
    assert not different, f"{case} with {form}: {different}"


def _bio_in_an_aside(html: bytes, aside: dict[str, str]) -> bytes | None:
    """The page with its `About the author` heading and what follows it in the same parent
    moved into an aside (a bio box); None when the page has no such heading in an element of
    its own."""
    root = _tree(html)
    heads = [el for el in root.iter(etree.Element) if el.tag not in ("script", "style")
             and (el.text or "").strip().lower().startswith("about the author")]
    if not heads:
        return None
    head = heads[-1]
    while head.tag in ("strong", "b", "span", "em", "font"):
        head = head.getparent()
    if not "".join(head.itertext()).strip().lower().startswith("about the author"):
        return None  # a `<b>` heading among `<br>` lines: the bio has no element of its own
    parent = head.getparent()
    at = parent.index(head)
    box = etree.Element(aside.pop("tag"), aside)
    box.extend([el for el in list(parent)[at:] if el.tag != "script"])
    parent.insert(at, box)
    return _page(root)


# The cases with a bio under a heading of its own (not inside one `<br>` block).
BIO_CASES = [case for case in CASES
             if json.loads((PAGES / case / "expected.json").read_text())["about_author"]
             and _bio_in_an_aside((PAGES / case / "page.html").read_bytes(), {"tag": "aside"})]


@pytest.mark.parametrize("aside", [{"tag": "aside"}, {"tag": "aside", "class": "author-bio"},
                                   {"tag": "div", "class": "widget author-box"},
                                   {"tag": "footer", "class": "entry-footer"}],
                         ids=["aside", "aside-author-bio", "widget", "footer"])
@pytest.mark.parametrize("case", BIO_CASES)
def test_an_about_the_author_box_is_the_article_s(case: str, aside: dict[str, str]) -> None:
    url, html, original = _record(case)
    boxed = _bio_in_an_aside(html, dict(aside))
    assert boxed is not None
    assert extract_page(boxed, url).to_dict() == original


def _texts(body: str) -> list[str]:
    return [b.text for b in parse_blocks(f"<html><body>{body}</body></html>".encode())]


ARTICLE = "".join(f"<p>Paragraph {n} of the article, long enough to be most of the page.</p>"
                  for n in range(6))


@pytest.mark.parametrize("wrapper", ['<div class="sidebar">{}</div>', "<aside>{}</aside>",
                                     '<div id="widget-area">{}</div>'])
def test_a_sidebar_holding_most_of_the_page_is_the_article(wrapper: str) -> None:
    side = '<aside class="widget"><p>Search</p></aside>'
    assert _texts(wrapper.format(ARTICLE + side)) == _texts(ARTICLE)


def test_page_scripts_do_not_count_as_the_page_s_text() -> None:
    script = "<script>var data = '" + "x" * 20_000 + "';</script>"
    page = f'{script}<div class="sidebar">{ARTICLE}</div><style>{"p {{}} " * 2000}</style>'
    assert _texts(page) == _texts(ARTICLE)


def test_a_search_form_with_a_long_script_is_still_a_search_form() -> None:
    script = "<script>var terms = '" + "y" * 600 + "';</script>"
    page = f'<form action="search.php"><label>Search the site</label>{script}</form>{ARTICLE}'
    assert _texts(page) == _texts(ARTICLE)


@pytest.mark.parametrize("name", ["content-sidebar-wrap", "has-sidebar", "sidebarless",
                                  "elementor-widget-text-editor", "widgetized", "comment",
                                  "comments", "comment-body", "unrelated"])
def test_wrappers_named_after_a_sidebar_are_not_sidebars(name: str) -> None:
    page = f'<div class="{name}"><p>Kept line</p></div>' + ARTICLE
    assert _texts(page)[0] == "Kept line"


@pytest.mark.parametrize("name", ["sidebar", "Sidebar", "left-sidebar", "sidebar-2", "widget",
                                  "widget-area", "widgets", "side-bar", "sidebar_right",
                                  "related", "related-posts", "jp-relatedposts", "sharedaddy",
                                  "tags-links", "comments-area", "respond"])
def test_sidebar_names(name: str) -> None:
    page = f'<div class="x {name}"><p>Sidebar line</p></div>' + ARTICLE
    assert "Sidebar line" not in _texts(page)
    page = f'<section id="{name}"><p>Sidebar line</p></section>' + ARTICLE
    assert "Sidebar line" not in _texts(page)


def test_a_sidebar_listing_below_other_widgets_is_kept() -> None:
    entries = "".join(f"<p>December 2025 | CWA # {n}</p><p>Ira Sen</p>"
                      f'<p><a href="view.php?recordNo={n}">Title {n}</a></p>' for n in (7, 6))
    side = ('<div class="sidebar"><div class="widget"><p>Search the site</p></div>'
            f"<p>Follow us</p><p>Newsletter</p><p>Contact</p><p>PREVIOUS COMMENTS</p>{entries}"
            "</div>")
    texts = _texts(ARTICLE + side)
    assert "Search the site" not in texts
    assert texts[-7:] == ["PREVIOUS COMMENTS", "December 2025 | CWA # 7", "Ira Sen", "Title 7",
                          "December 2025 | CWA # 6", "Ira Sen", "Title 6"]


@pytest.mark.parametrize("hidden", ["hidden", 'style="display: none"'])
def test_a_hidden_aside_is_not_read_even_with_a_listing(hidden: str) -> None:
    """A hidden copy of the sidebar (the one a narrow screen shows) is not read twice."""
    side = "<p>PREVIOUS COMMENTS</p><p>December 2025 | CWA # 7</p><p>Ira Sen</p>"
    assert _texts(f"{ARTICLE}<aside {hidden}>{side}</aside>") == _texts(ARTICLE)
    assert _texts(f"{ARTICLE}<aside>{side}</aside>")[-3:] == [
        "PREVIOUS COMMENTS", "December 2025 | CWA # 7", "Ira Sen"]


def test_a_navigation_widget_is_navigation() -> None:
    """A menu inside a widget keeps the navigation rule (chrome unless it holds entries)."""
    page = ARTICLE + ('<div class="widget widget_nav_menu"><ul><li><a href="/">Home</a></li>'
                      '</ul></div>')
    assert _texts(page) == _texts(ARTICLE)
