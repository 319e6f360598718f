"""`gpscrape report`: an analyst's overview of a dataset as one self-contained HTML page.

    data = load(Path("output"))     # tables and run reports; missing ones are empty
    page = render_page(data, build_charts(data))
    print(text_summary(data))

Charts are drawn with matplotlib (the `report` extra) and inlined as SVG, so the page needs
no network to view.
"""

from gpscrape.report.data import ReportData, load

__all__ = ["ReportData", "load"]
