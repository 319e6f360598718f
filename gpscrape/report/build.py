"""Writing the report: load the dataset, draw the charts, write the page."""

from __future__ import annotations

from pathlib import Path

from gpscrape.report.charts import build_charts
from gpscrape.report.data import ReportData, load
from gpscrape.report.page import render_page

PAGE_NAME = "report.html"


def write_report(output: Path, page: Path | None = None) -> tuple[Path, ReportData]:
    """Write the report page of the dataset under `output` (default `output/report.html`);
    returns where it went and the loaded data (for the text summary)."""
    data = load(output)
    target = Path(page) if page is not None else Path(output) / PAGE_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    html = render_page(data, build_charts(data))
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(target)  # a reader never sees half a page
    return target, data
