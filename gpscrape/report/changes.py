"""The report's view of each record's history: how many records changed, and the latest changes."""

from __future__ import annotations

from html import escape

import pandas as pd

from gpscrape.report.data import ReportData

LATEST_CHANGES = 10


def _changed(revisions: pd.DataFrame) -> pd.DataFrame:
    """The revisions after a record's first."""
    return revisions[pd.to_numeric(revisions["revision"], errors="coerce") > 1]


def latest_changes(data: ReportData, limit: int = LATEST_CHANGES) -> pd.DataFrame:
    """The newest revisions after a record's first, newest first: record, revision, when first
    seen, changed fields, title."""
    changed = _changed(data.table("revisions"))
    titles = data.table("articles")[["record_no", "title"]]
    latest = changed.sort_values(["first_seen_at", "record_no"], ascending=[False, True])
    latest = latest.head(limit).merge(titles, on="record_no", how="left")
    return latest[["record_no", "revision", "first_seen_at", "changed_fields", "title"]]


def changes_line(data: ReportData) -> str:
    """One line for the text summary: records changed since first seen, and the latest change."""
    revisions = data.table("revisions")
    changed = _changed(revisions)
    if changed.empty:
        return f"  history: {revisions['record_no'].nunique()} records, none changed yet"
    return (f"  history: {changed['record_no'].nunique()} of {revisions['record_no'].nunique()} "
            f"records changed since first seen ({len(changed)} revisions after the first), "
            f"latest change seen {changed['first_seen_at'].max():%Y-%m-%d %H:%M UTC}")


def changes_html(data: ReportData) -> str:
    """The latest changes as a table (or a note that no record has changed)."""
    latest = latest_changes(data)
    if latest.empty:
        return ('<h2>Changed records</h2><p class="empty">No record has changed since it '
                "was first seen.</p>")
    rows = "".join(
        f"<tr><td>{int(row.record_no)}</td><td>{int(row.revision)}</td>"
        f"<td>{row.first_seen_at:%Y-%m-%d %H:%M}</td>"
        f"<td>{escape(', '.join(row.changed_fields))}</td>"
        f"<td>{escape(row.title if isinstance(row.title, str) else '')}</td></tr>"
        for row in latest.itertuples())
    return ('<h2>Changed records</h2><table class="changes"><tr><th>record</th>'
            "<th>revision</th><th>seen (UTC)</th><th>changed fields</th><th>title</th></tr>"
            f"{rows}</table>")
