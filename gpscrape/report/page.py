"""The report page: one self-contained HTML file (inline SVG, inline CSS, no scripts)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import escape
from urllib.parse import urlsplit

import pandas as pd

from gpscrape import __version__
from gpscrape.extract.warnings import WARNINGS
from gpscrape.report.changes import changes_html
from gpscrape.report.charts import LAST_RUNS, Chart
from gpscrape.report.data import ReportData
from gpscrape.report.measures import ordered_counts, warned_pages, warning_counts

_BACKTICKS = re.compile(r"`([^`]+)`")
WARNED_ROWS = 500  # warned pages listed on the page; the counts cover them all
UNKNOWN_CODE = "not in the warning vocabulary"
CSS = """
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem;
       padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-bottom: 0.3rem; }
table { border-collapse: collapse; } td, th { padding: 0.2rem 0.8rem; text-align: right; }
th:first-child, td:first-child, table.runs td, table.runs th { text-align: left; }
table.warned td, table.warned th, table.warning-codes td, table.warning-codes th {
  text-align: left; }
tr:nth-child(even) { background: #f3f3f3; }
figure.chart { margin: 2rem 0; } figure.chart svg { width: 100%; height: auto; }
figcaption, .meta { color: #555; font-size: 0.9rem; }
.empty { padding: 1rem; background: #f6f6f6; border: 1px dashed #bbb; }
.problems { color: #8a1c1c; }
"""


def _counts_table(data: ReportData) -> str:
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>{len(frame)}</td></tr>"
        for name, frame in data.tables.items()
    )
    return f'<table class="counts"><tr><th>table</th><th>rows</th></tr>{rows}</table>'


def _runs_table(data: ReportData, last: int) -> str:
    """The last runs, newest first: command, checks and counts."""
    runs = data.runs[-last:][::-1]
    if not runs:
        return ""
    rows = "".join(
        f"<tr><td>{escape(run.run_id)}</td><td>{escape(run.command)}</td>"
        f"<td>{escape(', '.join(run.failed_checks) or 'passed')}</td>"
        f"<td>{escape(', '.join(f'{k} {v}' for k, v in ordered_counts(run).items()))}</td>"
        "</tr>"
        for run in runs
    )
    return ('<table class="runs"><tr><th>run</th><th>command</th><th>checks</th>'
            f"<th>counts</th></tr>{rows}</table>")


def _link(url: object, text: str) -> str:
    """`text` (escaped) linked to `url` when it is an http(s) URL, plain text otherwise."""
    if isinstance(url, str) and urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'
    return escape(text)


def _code_names(codes: list[str]) -> str:
    return ", ".join(f'<code title="{escape(WARNINGS.get(code, UNKNOWN_CODE))}">'
                     f"{escape(code)}</code>" for code in codes)


def _warnings_section(data: ReportData) -> str:
    """The articles carrying warnings: a count per code with its meaning, then each page
    (record number, title linked to its URL, codes); all page text escaped."""
    articles = data.table("articles")
    if articles.empty:
        return ""
    warned, counts = warned_pages(articles), warning_counts(articles)
    head = '<section id="warnings"><h2>Pages with warnings</h2>'
    if warned.empty:
        return f'{head}<p class="empty">No article carries a warning.</p></section>'
    codes = "".join(f"<tr><td><code>{escape(code)}</code></td><td>{count}</td>"
                    f"<td>{escape(WARNINGS.get(code, UNKNOWN_CODE))}</td></tr>"
                    for code, count in counts.items())
    rows = "".join(
        f"<tr><td>{row.record_no}</td>"
        f"<td>{_link(row.url, '(no title)' if pd.isna(row.title) else str(row.title))}</td>"
        f"<td>{_code_names(row.warnings)}</td></tr>"
        for row in warned.head(WARNED_ROWS).itertuples(index=False))
    more = (f'<p class="meta">The first {WARNED_ROWS} by record number; '
            f"{len(warned) - WARNED_ROWS} more in the <code>articles</code> table.</p>"
            if len(warned) > WARNED_ROWS else "")
    return (f'{head}<p class="meta">{len(warned)} of {len(articles)} articles carry a '
            "warning: the extractor doubts its reading of them; check them against the "
            "site.</p>"
            '<table class="warning-codes"><tr><th>code</th><th>pages</th><th>meaning</th></tr>'
            f"{codes}</table>"
            '<table class="warned"><tr><th>record</th><th>title</th><th>warnings</th></tr>'
            f"{rows}</table>{more}</section>")


def _chart(chart: Chart) -> str:
    body = chart.svg if chart.svg is not None else f'<p class="empty">{escape(chart.note)}</p>'
    return (f'<figure class="chart" id="{escape(chart.key)}">'
            f"<h2>{_code(chart.title)}</h2>{body}"
            f"<figcaption>{_code(chart.caption)}</figcaption></figure>")


def _code(text: str) -> str:
    """Escaped text with `name` spans set as code."""
    return _BACKTICKS.sub(r"<code>\1</code>", escape(text))


def render_page(data: ReportData, charts: list[Chart], now: datetime | None = None) -> str:
    """The whole page as HTML text."""
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    problems = "".join(f"<li>{escape(p)}</li>" for p in data.problems)
    version = f" (published version {escape(data.version)})" if data.version else ""
    notice = ('<p class="empty">The dataset is empty: no table holds a row yet. Run '
              "<code>gpscrape crawl</code> or <code>gpscrape demo</code> first.</p>"
              if data.empty else "")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>gpscrape report: {escape(str(data.output))}</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>gpscrape report</h1>",
        f'<p class="meta">Dataset <code>{escape(str(data.output))}</code>{version}, '
        f"generated {when} by gpscrape {escape(__version__)}.</p>",
        notice,
        f'<ul class="problems">{problems}</ul>' if problems else "",
        _counts_table(data),
        changes_html(data),
        *(_chart(chart) for chart in charts),
        _warnings_section(data),
        _runs_table(data, LAST_RUNS),
        "</body></html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"
