"""Markup styles: one `Layout` printed as `legacy`, `pipe`, `modern`, `cwa` or `font` HTML.

Every page carries the site chrome (Photo Source line, NIAS header lines, GP-alerts line,
menu, footer, scripts); the styles differ only in how they mark up the same text.
"""

from __future__ import annotations

import zlib
from html import escape

from gpscrape.mirror.chrome import FOOT_SCRIPT, FOOTER, HEAD_SCRIPTS, MOBILE_MENU, STYLE, TOP_MENU
from gpscrape.mirror.layout import AUTHOR, BYLINE, HEADING, LABEL, PARA, TOPIC_TITLE, Block, Layout

EMAIL = "gp.alerts@example.org"
NIAS = (
    "National Institute of Advanced Studies (NIAS)",
    "Indian Institute of Science Campus, Bangalore",
)
ALERTS = "For any further information or to subscribe to GP alerts send an email to"


def t(text: str) -> str:
    """Escape text for an element."""
    return escape(text, quote=False)


def page(title: str, body: str, nav: tuple[str, str]) -> str:
    """The document shell: head (style sheet, scripts), menus, content, footer and scripts."""
    home, europe = nav
    scripts = "".join(f"<script>{script}</script>\n" for script in HEAD_SCRIPTS)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{t(title)} | Global Politics</title>\n<style>{STYLE}</style>\n"
        f"{scripts}</head>\n<body>\n{TOP_MENU}\n{MOBILE_MENU}\n"
        "<div id=\"menu\"><ul>"
        f"<li><a href=\"{escape(home)}\">Home</a></li>"
        f"<li><a href=\"{escape(europe)}\">Europe</a></li>"
        "<li><a href=\"#\">About NIAS</a></li><li><a href=\"#\">Contact</a></li></ul></div>\n"
        f"<div class=\"container\"><div class=\"row\">\n{body}\n</div></div>\n"
        f"{FOOTER}\n<script>{FOOT_SCRIPT}</script>\n</body>\n</html>\n"
    )


def render_article(layout: Layout, label: str, style: str, nav: tuple[str, str]) -> str:
    """The article page in one markup style, with `label` as its label line."""
    body = STYLES[style](layout, label) + _sidebar(layout)
    return page(layout.title, body, nav)


def _photo(layout: Layout) -> str:
    return f"Photo Source: {t(layout.photo_source)}".rstrip()


def _alerts(layout: Layout) -> str:
    return f"{ALERTS} {EMAIL}" if layout.email else ALERTS


def _legacy_block(block: Block) -> str:
    text = t(block.text)
    if block.kind == BYLINE:
        return f"<p>&nbsp;&nbsp;{text}</p>"
    if block.kind in (TOPIC_TITLE, HEADING):
        strong = f"<strong>{text.rstrip()}</strong>" + ("&nbsp;" if text.endswith(" ") else "")
        if block.extra:
            strong += f"<br><strong>{t(block.extra)}</strong>"
        return f"<p>{strong}</p>"
    if block.kind == PARA and block.extra:
        return f"<p><strong>{t(block.extra)}</strong> {text}</p>"
    return f"<p>{text}</p>"


def _about_legacy(layout: Layout) -> str:
    if not layout.about:
        return ""
    return f"<p><strong>About the author&nbsp;</strong></p>\n<p>{t(layout.about)}</p>\n"


def _legacy(layout: Layout, label: str) -> str:
    lines = [
        f"<div class=\"label\">{t(label)}</div>",
        f"<p>{_photo(layout)}</p>",
        "<p>&nbsp;&nbsp;&nbsp;NIAS Course on Global Politics</p>",
        f"<p>{NIAS[0]}<br>\n{NIAS[1]}</p>",
        f"<p>{t(_alerts(layout))}</p>",
        f"<div class=\"label\">{t(label)}</div>",
        f"<div class=\"title\">{t(layout.title)}</div>",
    ]
    lines += [_legacy_block(b) for b in layout.header]
    if layout.standfirst:
        lines.append(f"<p>{t(layout.standfirst)}</p>")
    lines += [_legacy_block(b) for b in layout.body]
    lines.append(_about_legacy(layout) + "<p>Print Bookmark</p>")
    return "<div class=\"content\">\n" + "\n".join(lines) + "\n</div>\n"


def _pipe_block(block: Block) -> str:
    text = t(block.text)
    if block.kind in (TOPIC_TITLE, HEADING):
        second = f"<b>{t(block.extra)}</b><br>" if block.extra else ""
        return f"<b>{text}</b><br>{second}"
    if block.kind == PARA and block.extra:
        return f"<b>{t(block.extra)}</b> {text}<br>"
    return f"{text}<br>"


# The byline row, in the three variants of the pipe rendering (P1, P2, P3 in the site notes).
PIPE_BYLINE_ROWS = (
    "<tr><td></td><td>{}</td><td></td></tr>",
    "<tr><td><img src=\"\" alt=\"\"></td><td>{}</td></tr>",
    "<tr><td>{}</td><td></td></tr>",
)


def _pipe(layout: Layout, label: str) -> str:
    rows = [
        f"<tr><td colspan=\"2\">{_photo(layout)}</td></tr>",
        f"<tr><td colspan=\"2\">{NIAS[0]}<br>{NIAS[1]}<br>{t(_alerts(layout))}</td></tr>",
        f"<tr><td colspan=\"2\">{t(label)}</td></tr>",
        f"<tr><td colspan=\"2\"><b>{t(layout.title)}</b></td></tr>",
    ]
    byline_row = PIPE_BYLINE_ROWS[zlib.crc32(layout.title.encode()) % len(PIPE_BYLINE_ROWS)]
    for block in layout.header:
        if block.kind == BYLINE:
            rows.append(byline_row.format(t(block.text)))
        else:
            rows.append(f"<tr><td colspan=\"2\">{t(block.text)}</td></tr>")
    cell = f"{t(layout.standfirst)}<br>" if layout.standfirst else ""
    cell += "\n".join(_pipe_block(b) for b in layout.body)
    rows.append(f"<tr><td colspan=\"2\">{cell}</td></tr>")
    if layout.about:
        about = f"<b>About the author </b><br>{t(layout.about)}"
        rows.append(f"<tr><td colspan=\"2\">{about}</td></tr>")
    rows.append("<tr><td colspan=\"2\">Print Bookmark</td></tr>")
    return "<table class=\"main\">\n" + "\n".join(rows) + "\n</table>\n"


def _modern_block(block: Block) -> str:
    text = t(block.text)
    if block.kind == TOPIC_TITLE:
        second = f"<br>{t(block.extra)}" if block.extra else ""
        return f"<h2>{text}{second}</h2>"
    if block.kind == HEADING:
        return f"<h3>{text}</h3>"
    if block.kind == AUTHOR:
        return f"<p class=\"author\">{text}</p>"
    if block.kind == LABEL:
        return f"<p class=\"label\">{text}</p>"
    if block.kind == PARA and block.extra:
        return f"<p><b>{t(block.extra)}</b> {text}</p>"
    return f"<p>{text}</p>"


def _modern(layout: Layout, label: str) -> str:
    chrome = (
        f"<div class=\"chrome\"><p>{_photo(layout)}</p><p>{NIAS[0]}</p><p>{NIAS[1]}</p>"
        f"<p>{t(_alerts(layout))}</p></div>\n"
    )
    header = [f"<p class=\"series\">{t(label)}</p>", f"<h1>{t(layout.title)}</h1>"]
    header += [f"<p class=\"meta\">{t(b.text)}</p>" for b in layout.header]
    parts = ["<article>", "<header>", *header, "</header>"]
    if layout.standfirst:
        parts.append(f"<p class=\"standfirst\">{t(layout.standfirst)}</p>")
    parts += [_modern_block(b) for b in layout.body]
    if layout.about:
        parts.append(f"<section class=\"about\"><h4>About the author</h4><p>{t(layout.about)}</p>"
                     "</section>")
    parts.append("</article>\n<p class=\"tools\">Print Bookmark</p>")
    return chrome + "\n".join(parts) + "\n"


def _cwa(layout: Layout, label: str) -> str:
    lines = [
        "<p class=\"template\">CWA Commentary</p>",
        f"<p>{_photo(layout)}</p>",
        f"<p>{NIAS[0]}<br>{NIAS[1]}</p>",
        f"<p>{t(_alerts(layout))}</p>",
    ]
    if layout.standfirst:
        lines.append(f"<p class=\"teaser\">{t(layout.standfirst)}</p>")
    lines += [
        "<p>Print Bookmark</p>",
        f"<p>{t(layout.cwa_line or '')}</p>",
        f"<h2>{t(label)}</h2>",
        f"<h1>{t(layout.title)}</h1>",
    ]
    lines += [f"<p>{t(b.text)}</p>" for b in layout.header]
    if layout.affiliation:
        lines.append(f"<p>{t(layout.affiliation)}</p>")
    lines += [_legacy_block(b) for b in layout.body]
    lines.append(_about_legacy(layout))
    return "<div class=\"cwa\">\n" + "\n".join(lines) + "\n</div>\n"


def _sidebar(layout: Layout) -> str:
    if not layout.links:
        return ""
    entries = [
        "<div class=\"entry media\"><div class=\"media-body\">"
        f"<p class=\"entry-date\">{t(link.month_line)}</p>"
        f"<p class=\"entry-author\">{t(link.author_line)}</p>"
        f"<p class=\"entry-title\"><a href=\"{escape(link.href)}\">"
        f"{t(link.title)}</a></p></div></div>"
        for link in layout.links
    ]
    heading = "<p><b>PREVIOUS COMMENTS</b></p>"
    return f"<div class=\"sidebar col-md-3\">\n{heading}\n" + "\n".join(entries) + "\n</div>\n"


def _font_block(block: Block) -> str:
    text = t(block.text)
    if block.kind in (TOPIC_TITLE, HEADING):
        second = f"<BR>\n<B>{t(block.extra)}</B>" if block.extra else ""
        return f"<B>{text}</B>{second}<BR>"
    if block.kind == PARA and block.extra:
        return f"<B>{t(block.extra)}</B> {text}<BR><BR>"
    if block.kind == PARA:
        return f"{text}<BR><BR>"
    return f"{text}<BR>"


def _font(layout: Layout, label: str) -> str:
    """Old-style markup: upper-case tags, one `<FONT>` cell, `<BR><BR>` between paragraphs."""
    lines = [
        f"{t(label)}<BR><BR>",
        f"{_photo(layout)}<BR>",
        f"{NIAS[0]}<BR>\n{NIAS[1]}<BR>",
        f"{t(_alerts(layout))}<BR><BR>",
        f"<FONT SIZE=3>{t(label)}</FONT><BR>",
        f"<B>{t(layout.title)}</B><BR><BR>",
    ]
    lines += [f"{t(b.text)}<BR>" for b in layout.header]
    if layout.standfirst:
        lines.append(f"<BR>{t(layout.standfirst)}<BR><BR>")
    lines += [_font_block(b) for b in layout.body]
    if layout.about:
        lines.append(f"<B>About the author </B><BR>{t(layout.about)}<BR><BR>")
    lines.append("Print Bookmark<BR>")
    return ("<CENTER><TABLE WIDTH=\"90%\" BORDER=0><TR><TD><FONT FACE=\"Verdana\" SIZE=2>\n"
            + "\n".join(lines) + "\n</FONT></TD></TR></TABLE></CENTER>\n")


STYLES = {"legacy": _legacy, "pipe": _pipe, "modern": _modern, "cwa": _cwa, "font": _font}
