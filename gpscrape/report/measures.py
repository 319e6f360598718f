"""The numbers behind the charts and the summary: plain pandas over the published tables.

Each function takes table frames (possibly empty) and returns a small frame; an empty result
means there is nothing to show.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from gpscrape.extract.vocab import SECTION_KINDS
from gpscrape.report.data import RunReport

NO_SERIES = "(no series)"
# Dates outside this window are misprints or misreadings; the dated measures leave them out.
DATE_WINDOW = (date(1990, 1, 1), date(2100, 12, 31))


def _series(articles: pd.DataFrame) -> pd.Series:
    return articles["series"].astype("object").where(articles["series"].notna(), NO_SERIES)


def _in_window(published: pd.Series) -> pd.Series:
    return published.map(lambda day: day is not None and not pd.isna(day)
                         and DATE_WINDOW[0] <= day <= DATE_WINDOW[1]).astype(bool)


def _dated(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles dated within DATE_WINDOW, with `series` filled and `published` as datetime."""
    dated = articles[_in_window(articles["published"])]
    return dated.assign(series=_series(dated), published=pd.to_datetime(dated["published"]))


def undated(articles: pd.DataFrame) -> int:
    """How many articles the dated measures leave out: no date, or one outside DATE_WINDOW."""
    return int((~_in_window(articles["published"])).sum())


def records_per_month(articles: pd.DataFrame) -> pd.DataFrame:
    """Records per month with any (rows `YYYY-MM`, in order) by series (columns)."""
    dated = _dated(articles)
    if dated.empty:
        return pd.DataFrame()
    months = dated["published"].dt.to_period("M")
    counts = pd.crosstab(months, dated["series"]).sort_index()
    counts.index = counts.index.strftime("%Y-%m")
    counts.columns.name = None
    return counts


def issues_per_year(articles: pd.DataFrame) -> pd.DataFrame:
    """Distinct issue numbers per year (rows) by series (columns)."""
    dated = _dated(articles)[["series", "published", "issue_numbers"]]
    issues = dated.explode("issue_numbers").dropna(subset=["issue_numbers"])
    if issues.empty:
        return pd.DataFrame()
    issues = issues.assign(year=issues["published"].dt.year)
    distinct = issues.drop_duplicates(["series", "issue_numbers"])
    counts = pd.crosstab(distinct["year"], distinct["series"])
    counts.columns.name = None
    return counts


def top_authors(authors: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The `limit` people on the most records: index name, column `records`."""
    if authors.empty:
        return pd.DataFrame()
    counts = authors.set_index("name")["record_nos"].map(
        lambda records: 0 if records is None else len(records)).rename("records")
    ranked = counts.reset_index().sort_values(["records", "name"], ascending=[False, True])
    return ranked.head(limit).set_index("name")[["records"]]


def section_kinds_by_series(sections: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """Sections per series (rows) and kind (columns, in the vocabulary's order)."""
    if sections.empty:
        return pd.DataFrame()
    series = articles[["record_no"]].assign(series=_series(articles))
    joined = sections[["record_no", "kind"]].merge(series, on="record_no", how="left")
    joined["series"] = joined["series"].fillna("(no article row)")
    counts = pd.crosstab(joined["series"], joined["kind"])
    kinds = [k for k in SECTION_KINDS if k in counts.columns]
    counts = counts[kinds + [k for k in counts.columns if k not in kinds]]
    counts.columns.name = None
    counts.index.name = None
    return counts


def _filled(values: pd.Series) -> pd.Series:
    """Whether each value counts as present: not null, a non-empty list, non-blank text."""
    def present(value: object) -> bool:
        if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
            return False
        if isinstance(value, str):
            return bool(value.strip())
        if hasattr(value, "__len__"):
            return len(value) > 0
        return True

    return values.map(present).astype(bool)


def field_coverage(articles: pd.DataFrame) -> pd.DataFrame:
    """Percentage of rows with each column filled: index column name, column `filled %`."""
    if articles.empty:
        return pd.DataFrame()
    shares = {name: 100.0 * _filled(articles[name]).mean() for name in articles.columns}
    return pd.DataFrame({"filled %": pd.Series(shares)}).round(1)


# Run counts drawn when present, in this order; a report with none of them shows all its counts.
RUN_COUNTS = ("pages_fetched", "pages_replayed", "new_records", "refreshed", "changed",
              "quarantined", "missing", "broken_pages", "failed", "errors")


def ordered_counts(run: RunReport) -> dict[str, int | float]:
    """A run's counts, the usual ones first (in RUN_COUNTS order), then the others by name."""
    counts = run.counts()
    rank = {name: i for i, name in enumerate(RUN_COUNTS)}
    return {key: counts[key]
            for key in sorted(counts, key=lambda k: (rank.get(k, len(rank)), k))}


def run_counts(runs: Sequence[RunReport], last: int) -> pd.DataFrame:
    """The counts of the last `last` runs: rows run ids (oldest first), columns counts."""
    rows = {run.run_id: run.counts() for run in runs[-last:]}
    frame = pd.DataFrame.from_dict(rows, orient="index")
    if frame.empty:
        return frame
    chosen = [name for name in RUN_COUNTS if name in frame.columns]
    return frame[chosen or list(frame.columns)].fillna(0)


def run_coverage(runs: Sequence[RunReport], last: int) -> pd.DataFrame:
    """Per-field coverage (%) of the last `last` runs that measured any: rows fields, columns
    run ids (oldest first); NaN where a run did not measure a field."""
    columns = {run.run_id: run.coverage() for run in runs[-last:] if run.coverage()}
    frame = pd.DataFrame(columns)
    return (100 * frame).round(1) if not frame.empty else frame


def _codes(value: object) -> list[str]:
    """A `warnings` cell as a list of codes (None or NaN in datasets older than warnings)."""
    if value is None or isinstance(value, float | str):
        return []
    return [str(code) for code in value]


def warned_pages(articles: pd.DataFrame) -> pd.DataFrame:
    """Articles carrying warnings, by record number: record_no, url, title, warnings (codes)."""
    codes = articles["warnings"].map(_codes)
    warned = articles.loc[codes.map(bool), ["record_no", "url", "title"]]
    warned = warned.assign(warnings=codes[codes.map(bool)])
    return warned.sort_values("record_no", kind="stable").reset_index(drop=True)


def warning_counts(articles: pd.DataFrame) -> pd.Series:
    """Articles carrying each warning code (a code once per article), most frequent first."""
    counts = pd.Series([code for codes in articles["warnings"].map(_codes)
                        for code in dict.fromkeys(codes)], dtype="object").value_counts()
    return counts.sort_index().sort_values(ascending=False, kind="stable")
