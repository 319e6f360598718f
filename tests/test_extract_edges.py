"""Small inline pages for layouts the fixture corpus does not have: no page chrome at all,
the listing sidebar before the article, menus that are plain divs, footer lines."""

from gpscrape.extract import ExtractError, extract_page

URL = "https://globalpolitics.in/view_cir_articles.php?url=Conflict%20Weekly&recordNo=1700"
ARTICLE = """<h1>Sudan: The war reaches Port Sudan</h1>
<p>Conflict Weekly #250, 3 May 2025, Vol.6, No.18</p><p>IPRI Team</p>
<h2>In the news</h2><p>Drones struck the port on Sunday.</p>
<h2>Issues at large</h2><p>The war widened to the coast.</p>"""
SIDEBAR = """<div><p>PREVIOUS COMMENTS</p>
<p>April 2025 | CWA # 1650</p><p>Apoorva Sudhakar | Research Associate, NIAS</p>
<p><a href="/view_cir_articles.php?recordNo=1690">Chad:</a></p>
<p>March 2025 | CWA # 1640</p><p>IPRI Team</p><p><a href="view_cir_articles.php?recordNo=1680">Mali</a></p></div>"""


def _sections(record):
    return [(s.heading, s.kind, s.text) for t in record.topics for s in t.sections]


def test_page_without_any_chrome_or_label():
    html = ("<html><body><div><a href='/'>Home</a> <a href='/a'>About</a></div>"
            f"<div>Global Politics</div>{ARTICLE}<p>Copyright 2025 NIAS. All rights reserved.</p>"
            "</body></html>")
    record = extract_page(html, URL)
    assert record.title == "Sudan: The war reaches Port Sudan"
    assert (record.series, record.byline, record.issue_numbers) == ("Conflict Weekly", "IPRI Team", [250])
    assert record.published.isoformat() == "2025-05-03"
    assert _sections(record) == [("In the news", "in_the_news", "Drones struck the port on Sunday."),
                                 ("Issues at large", "issues_at_large", "The war widened to the coast.")]


def test_listing_sidebar_before_the_article():
    html = f"<html><body>{SIDEBAR}<div><p>Conflict Weekly</p>{ARTICLE}</div></body></html>"
    record = extract_page(html, URL)
    assert record.title == "Sudan: The war reaches Port Sudan"
    assert [(e.cwa_no, e.authors, e.author_bio, e.title, e.record_no) for e in record.listing] == [
        (1650, ["Apoorva Sudhakar"], "Research Associate, NIAS", "Chad:", 1690),
        (1640, ["IPRI Team"], None, "Mali", 1680),
    ]
    assert "Chad" not in record.body_text and len(_sections(record)) == 2


def test_plain_div_menu_with_heading_words_stays_out():
    menu = ("<div><div><a href='/x'>What happened?</a></div><div><a href='/y'>In the news</a></div>"
            "<div><a href='/z'>Conflict Weekly</a></div></div>")
    html = f"<html><body>{menu}<div><p>Conflict Weekly</p>{ARTICLE}</div></body></html>"
    record = extract_page(html, URL)
    assert record.series_raw == "Conflict Weekly"
    assert record.title == "Sudan: The war reaches Port Sudan"
    assert [s[0] for s in _sections(record)] == ["In the news", "Issues at large"]


def test_link_list_page_without_record_no_is_not_an_article():
    html = ("<html><body><p>The World This Week</p><h2>Latest</h2>"
            "<ul><li><a href='/TWTW_view_articles.php?recordNo=5'>Sudan: The war widens</a> (May 2025)</li>"
            "<li><a href='/TWTW_view_articles.php?recordNo=4'>Gaza: Talks in Cairo</a> (May 2025)</li></ul>"
            "</body></html>")
    try:
        extract_page(html, "https://globalpolitics.in/archive.php?series=twtw")
    except ExtractError as error:
        assert "no article" in error.reason
    else:
        raise AssertionError("a link list without recordNo must not become a record")


def test_unknown_label_above_title_and_byline():
    html = ("<html><body><p>Photo Source: AP</p><p>National Institute of Advanced Studies (NIAS)</p>"
            "<p>Global Politics Special</p><h1>Sudan: The war reaches Port Sudan</h1><p>GP Team</p>"
            "<p>3 May 2025</p><h2>What happened?</h2><p>Drones struck the port on Sunday.</p></body></html>")
    record = extract_page(html, "https://globalpolitics.in/view_cir_articles.php?url=Other&recordNo=1700")
    assert (record.series_raw, record.title, record.byline) == (
        "Global Politics Special", "Sudan: The war reaches Port Sudan", "GP Team")
    assert record.published.isoformat() == "2025-05-03" and record.published_precision == "day"


def test_print_toolbar_above_the_body_does_not_end_it():
    html = ("<html><body><p>Conflict Weekly</p><h1>Sudan: The war reaches Port Sudan</h1>"
            "<p>Conflict Weekly #250, 3 May 2025, Vol.6, No.18</p><p>IPRI Team</p><p>Print | Bookmark</p>"
            "<h2>In the news</h2><p>Drones struck the port on Sunday.</p><p>Print Bookmark</p>"
            "<p>Share this page with a friend today</p></body></html>")
    record = extract_page(html, URL)
    assert _sections(record) == [("In the news", "in_the_news", "Drones struck the port on Sunday.")]


def test_pages_without_content_are_told_apart_from_broken_input():
    empty, no_article = (b"<html><body>   </body></html>",
                         b"<html><body><p>Not Found</p><p>The page moved.</p></body></html>")
    for html in (empty, no_article):
        try:
            extract_page(html, URL)
        except ExtractError as error:
            assert error.no_content, error.reason
    try:
        extract_page(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, URL)
    except ExtractError as error:
        assert not error.no_content and error.reason
