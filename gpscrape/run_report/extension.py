"""The Scrapy side of a crawl's report: the extension that sees the items reach the dataset,
and the report of a finished crawl, read from its stats, its spider's verdicts and that
extension."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scrapy import signals

from gpscrape.items import PageItem, QuarantineItem
from gpscrape.locations import output_root
from gpscrape.outcome import BROKEN, MISSING, VERDICTS, Verdicts
from gpscrape.run_report.counts import crawl_counts, ordered, verdict
from gpscrape.run_report.coverage import Coverage
from gpscrape.run_report.report import RunReport, history_of, make_report
from gpscrape.run_report.thresholds import Thresholds


class RunReportExtension:
    """Scrapy extension: the coverage of the article records that reach the dataset, and the
    rows (url, reason) the run sent to the quarantine table."""

    def __init__(self) -> None:
        self.coverage = Coverage()
        self.quarantined: list[tuple[str, str]] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunReportExtension:
        extension = cls()
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        return extension

    def item_scraped(self, item: Any, **_: Any) -> None:
        if isinstance(item, PageItem) and item.record.record_no is not None:
            self.coverage.add(item.record)
        elif isinstance(item, QuarantineItem):
            self.quarantined.append((item.url, item.reason))


def spider_verdicts(crawler: Any) -> Verdicts:
    """The verdicts the crawl's spider gave (none when the spider never started)."""
    return getattr(crawler.spider, "verdicts", None) or Verdicts()


def crawl_report(crawler: Any, *, run_id: str, command: str, started: datetime,
                 recovered: int = 0) -> RunReport:
    """The report of a finished crawl or backfill: counts from its stats (as its printed
    summary reads them), errors and coverage from its `RunReportExtension`."""
    extension = crawler.get_extension(RunReportExtension)
    if extension is None:
        raise RuntimeError("RunReportExtension is not enabled (setting EXTENSIONS)")
    stats = crawler.stats.get_stats()
    pages = spider_verdicts(crawler).pages
    thresholds = Thresholds.from_settings(crawler.settings)
    output = output_root(crawler.settings)
    return make_report(
        run_id=run_id, command=command, started=started,
        counts=ordered({**crawl_counts(stats), "recovered": recovered}),
        errors=[*extension.quarantined, *pages[BROKEN]], coverage=extension.coverage,
        thresholds=thresholds, finish_reason=stats.get("finish_reason", "not started"),
        details={"missing": [{"url": u, "reason": r} for u, r in pages[MISSING]],
                 "verdicts": {name: verdict(stats, name) for name in VERDICTS}},
        history=history_of(output, command, thresholds),
    )
