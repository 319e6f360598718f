"""The report's charts: each turns the loaded data into a titled SVG, or says why it cannot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from matplotlib import colormaps, rc_context
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from gpscrape.report.data import ReportData
from gpscrape.report.figures import STYLE, new_axes, to_svg
from gpscrape.report.measures import (
    DATE_WINDOW,
    NO_SERIES,
    field_coverage,
    issues_per_year,
    records_per_month,
    run_counts,
    run_coverage,
    section_kinds_by_series,
    top_authors,
    undated,
)

TOP_AUTHORS = 15
LAST_RUNS = 10


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart of the page: `svg` is None when there is nothing to draw, and `note` says why."""

    key: str
    title: str
    caption: str
    svg: str | None
    note: str = ""


def _colours(names: list[str]) -> dict[str, str]:
    """A fixed colour per name, so one series looks the same in every chart."""
    palette = colormaps["tab10"].colors
    return {name: to_hex(palette[i % len(palette)]) for i, name in enumerate(sorted(names))}


def _legend(figure: Figure, axes: Axes) -> None:
    """The legend above the plot, clear of the bars."""
    legend = axes.get_legend()
    if legend is not None:
        legend.remove()
    figure.legend(loc="outside upper center", ncols=4, fontsize=8, frameon=False)


def _stacked_bars(frame: pd.DataFrame, *, horizontal: bool, height: float, xlabel: str,
                  ylabel: str, key: str, colours: dict[str, str] | None = None,
                  percent: bool = False) -> str:
    """Stacked bars of a frame (rows: categories, columns: stacked parts) as SVG."""
    colours = colours or _colours(list(frame.columns))
    with rc_context(STYLE):
        figure, axes = new_axes(height)
        frame.plot(kind="barh" if horizontal else "bar", stacked=True, ax=axes, width=0.8,
                   legend=frame.shape[1] > 1, color=[colours[c] for c in frame.columns], rot=0)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        count_axis = axes.xaxis if horizontal else axes.yaxis
        count_axis.set_major_locator(MaxNLocator(integer=not percent))
        if percent:
            (axes.set_xlim if horizontal else axes.set_ylim)(0, 100)
        if frame.shape[1] > 1:
            _legend(figure, axes)
        if horizontal:
            axes.invert_yaxis()  # first row at the top
        return to_svg(figure, key)


def _series_colours(data: ReportData) -> dict[str, str]:
    series = data.table("articles")["series"].astype("object").fillna(NO_SERIES)
    return _colours(list(series.unique()))


def month_chart(data: ReportData) -> Chart:
    frame = records_per_month(data.table("articles"))
    left_out = undated(data.table("articles"))
    first, last = (day.year for day in DATE_WINDOW)
    title, caption = "Records per month, by series", (
        f"Article records by month of `published`; {left_out} without a date (or dated "
        f"outside {first}-{last}) left out.")
    if frame.empty:
        return Chart("records-per-month", title, caption, None, "No article has a date.")
    colours = _series_colours(data)
    months = pd.to_datetime(frame.index, format="%Y-%m")
    with rc_context(STYLE):
        figure, axes = new_axes(3.4)
        bottom = pd.Series(0, index=frame.index)
        for series in frame.columns:
            axes.bar(months, frame[series], width=25, bottom=bottom, align="edge",
                     label=series, color=colours[series])
            bottom = bottom + frame[series]
        axes.xaxis_date()
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_xlabel("month")
        axes.set_ylabel("records")
        _legend(figure, axes)
        svg = to_svg(figure, "records-per-month")
    return Chart("records-per-month", title, caption, svg)


def issue_chart(data: ReportData) -> Chart:
    frame = issues_per_year(data.table("articles"))
    title, caption = "Issues per year, by series", (
        "Distinct issue numbers published per year (a double issue #294 & 295 counts two).")
    if frame.empty:
        return Chart("issues-per-year", title, caption, None, "No article has issue numbers "
                     "and a date.")
    svg = _stacked_bars(frame, horizontal=False, height=3.2, xlabel="year", ylabel="issues",
                        key="issues-per-year", colours=_series_colours(data))
    return Chart("issues-per-year", title, caption, svg)


def author_chart(data: ReportData) -> Chart:
    frame = top_authors(data.table("authors"), TOP_AUTHORS)
    title, caption = "Most frequent authors", (
        f"The {TOP_AUTHORS} people credited on the most records (articles and listing links).")
    if frame.empty:
        return Chart("top-authors", title, caption, None, "No author is credited.")
    svg = _stacked_bars(frame, horizontal=True, height=0.25 * len(frame) + 1,
                        xlabel="records", ylabel="", key="top-authors")
    return Chart("top-authors", title, caption, svg)


def kind_chart(data: ReportData) -> Chart:
    frame = section_kinds_by_series(data.table("sections"), data.table("articles"))
    title, caption = "Section kinds per series", (
        "Sections of each series by canonical kind (`other`: any heading outside the analytic "
        "vocabulary, or none).")
    if frame.empty:
        return Chart("section-kinds", title, caption, None, "No sections.")
    svg = _stacked_bars(frame, horizontal=True, height=0.35 * len(frame) + 1.4,
                        xlabel="sections", ylabel="", key="section-kinds")
    return Chart("section-kinds", title, caption, svg)


def coverage_chart(data: ReportData) -> Chart:
    frame = field_coverage(data.table("articles"))
    title, caption = "Field coverage of `articles`", (
        "Share of article rows where each column is filled (lists: not empty; text: not blank).")
    if frame.empty:
        return Chart("field-coverage", title, caption, None, "No article rows.")
    svg = _stacked_bars(frame, horizontal=True, height=0.2 * len(frame) + 1,
                        xlabel="% of rows", ylabel="", key="field-coverage", percent=True)
    return Chart("field-coverage", title, caption, svg)


def run_chart(data: ReportData) -> Chart:
    frame = run_counts(data.runs, LAST_RUNS)
    title, caption = "Last runs", (
        f"Counts from the last {LAST_RUNS} run reports under `runs/`, oldest first.")
    if frame.empty:
        note = ("No run reports under runs/." if not data.runs
                else "The run reports hold no counts.")
        return Chart("last-runs", title, caption, None, note)
    with rc_context(STYLE):
        figure, axes = new_axes(3.4)
        frame.plot(kind="bar", ax=axes, width=0.8, colormap="tab10")
        axes.set_xlabel("run")
        axes.set_ylabel("count")
        _legend(figure, axes)
        axes.tick_params(axis="x", labelrotation=30)
        svg = to_svg(figure, "last-runs")
    return Chart("last-runs", title, caption, svg)


def run_coverage_chart(data: ReportData) -> Chart:
    frame = run_coverage(data.runs, LAST_RUNS)
    title, caption = "Field coverage of the last runs", (
        "Share of each run's records with the field filled, from the run reports (blank: "
        "not measured).")
    if frame.empty:
        return Chart("run-coverage", title, caption, None,
                     "No run report under runs/ measured field coverage.")
    with rc_context(STYLE):
        figure, axes = new_axes(0.22 * len(frame) + 1.4)
        mesh = axes.pcolormesh(frame.to_numpy(dtype=float), cmap="viridis", vmin=0, vmax=100)
        axes.set_xticks([i + 0.5 for i in range(frame.shape[1])], frame.columns,
                        rotation=30, ha="right")
        axes.set_yticks([i + 0.5 for i in range(len(frame))], frame.index)
        axes.invert_yaxis()
        axes.grid(False)
        figure.colorbar(mesh, ax=axes, label="% of records", shrink=0.8)
        svg = to_svg(figure, "run-coverage")
    return Chart("run-coverage", title, caption, svg)


CHARTS: tuple[Callable[[ReportData], Chart], ...] = (
    month_chart, issue_chart, author_chart, kind_chart, coverage_chart, run_chart,
    run_coverage_chart,
)


def build_charts(data: ReportData) -> list[Chart]:
    """Every chart of the report, in page order."""
    return [make(data) for make in CHARTS]
