"""The report's text summary, printed on the terminal."""

from __future__ import annotations

from gpscrape.report.changes import changes_line
from gpscrape.report.data import ReportData
from gpscrape.report.measures import (
    NO_SERIES,
    field_coverage,
    ordered_counts,
    top_authors,
    warned_pages,
    warning_counts,
)

TOP = 5


def _series_counts(data: ReportData) -> str:
    articles = data.table("articles")
    counts = articles["series"].astype("object").fillna(NO_SERIES).value_counts()
    return ", ".join(f"{name} {count}" for name, count in counts.items())


def _dates(data: ReportData) -> str:
    articles = data.table("articles")
    dated = articles["published"].dropna()
    if dated.empty:
        return "no article has a date"
    return f"{min(dated)} to {max(dated)} ({len(dated)} of {len(articles)} articles dated)"


def _warnings(data: ReportData) -> str:
    articles = data.table("articles")
    warned = len(warned_pages(articles))
    if not warned:
        return "no article carries a warning"
    codes = ", ".join(f"{code} {n}" for code, n in warning_counts(articles).items())
    return f"{warned} of {len(articles)} articles carry one ({codes}; listed on the page)"


def text_summary(data: ReportData) -> str:
    """A few lines on the dataset: row counts, dates, series, authors, coverage, last run."""
    rows = ", ".join(f"{len(frame)} {name}" for name, frame in data.tables.items())
    lines = [f"dataset {data.output}: {rows}"]
    if not data.table("articles").empty:
        lines.append(f"  published: {_dates(data)}")
        lines.append(f"  series: {_series_counts(data)}")
        coverage = field_coverage(data.table("articles"))["filled %"].sort_values()
        lowest = ", ".join(f"{name} {share:g}%" for name, share in coverage.head(TOP).items())
        lines.append(f"  least filled columns: {lowest}")
        lines.append(f"  warnings: {_warnings(data)}")
        lines.append(changes_line(data))
    authors = top_authors(data.table("authors"), TOP)
    if not authors.empty:
        names = ", ".join(f"{name} ({n})" for name, n in authors["records"].items())
        lines.append(f"  most frequent authors: {names}")
    if data.runs:
        last = data.runs[-1]
        counts = ", ".join(f"{key} {value}" for key, value in ordered_counts(last).items())
        checks = ", ".join(last.failed_checks)
        lines.append(f"  runs: {len(data.runs)}; last {last.run_id} {last.command}: "
                     f"{counts or 'no counts'}; {'failed ' + checks if checks else 'passed'}")
    else:
        lines.append("  runs: no run reports under runs/")
    lines += [f"  problem: {problem}" for problem in data.problems]
    if data.empty:
        lines.append("  the dataset is empty: crawl first (gpscrape crawl or gpscrape demo)")
    return "\n".join(lines)
