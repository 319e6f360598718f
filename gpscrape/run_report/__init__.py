"""Run reports: what one run of `crawl`, `backfill` or `reextract` did, and its checks.

Every run writes `OUTPUT/runs/<run id>.json` (run id: UTC start time and a short random
suffix, so ids sort by start time) and prints a short table. The report holds the counts
(pages fetched, records, new records, refreshed, unchanged, quarantined, missing, broken
pages, retries, ...: `counts.py`, read from the run's stats, as the crawl's printed summary
reads them, with the same labels), the errors with their reasons (the quarantine rows and the
broken pages), the missing pages and the count of each verdict (`details`), the per-field
coverage of the run's records (share with the field non-null and non-empty) and the checks.
A failed check makes the command exit with `exit_codes.CHECKS_FAILED` (1); the report says
which check failed and why.

Checks (settings, each also a command-line flag):
- `GPSCRAPE_MAX_QUARANTINED` (0): rows the run sent to the quarantine table, at most (pages
  judged quarantined, requests that failed for good, records that failed validation).
- `GPSCRAPE_MAX_ERROR_RATE` (0.05): (requests failed for good + broken pages) / pages
  requested, at most. A broken page is an article page the crawl was led to answering 200
  without any article or listing (a layout the extractor no longer recognises); backfill
  guesses that find nothing count as missing, probes as probe misses (`gpscrape.outcome`).
- `GPSCRAPE_MIN_COVERAGE` (title 0.9, published 0.75, topics 0.9): share of the run's
  article records with each field filled, at least; one number sets every checked field,
  a mapping `{field: share}` sets some. Enforced on runs with at least
  `GPSCRAPE_COVERAGE_MIN_RECORDS` (20) records, as a share of a handful says little.
  `published` is lower because some issues print no date at all.
- `GPSCRAPE_MAX_WARNED` (0.05): share of the run's records carrying an extractor warning
  (`gpscrape.extract.warnings`), at most; enforced like coverage, from
  `GPSCRAPE_COVERAGE_MIN_RECORDS` records. The report counts each code and names the warned
  pages (record number and URL; the first `WARNED_PAGES_NAMED` per code, the counts exact).
- the crawl finished cleanly (not cancelled or shut down).
- history (`GPSCRAPE_HISTORY_RUNS` 5, `GPSCRAPE_HISTORY_MARGIN` 0.1): each coverage-checked
  field is at most MARGIN below, and the warned share at most MARGIN above, its median over
  the last RUNS earlier runs of the same command with at least `GPSCRAPE_COVERAGE_MIN_RECORDS`
  records (`gpscrape.run_history`). No history, or a run below that many records (an
  incremental run that found little or nothing new), is not checked and passes.

Modules: `ids` (run ids, report paths), `thresholds`, `coverage`, `checks`, `counts` (every
count's key and label), `report` (`RunReport`, `make_report`), `table` (the printed table),
`summary` (a crawl's printed summary), `flags` (command-line flags), and `extension` (the
Scrapy extension and `crawl_report`; import it from there, it loads Scrapy).
"""


from gpscrape.run_report.checks import Check, evaluate, history_checks
from gpscrape.run_report.coverage import WARNED_PAGES_NAMED, Coverage, WarnedPages
from gpscrape.run_report.flags import add_threshold_arguments, share_argument, threshold_settings
from gpscrape.run_report.ids import new_run_id, report_path
from gpscrape.run_report.report import RunReport, history_of, make_report
from gpscrape.run_report.thresholds import Thresholds, count, coverage_limits, share

__all__ = [
    "WARNED_PAGES_NAMED", "Check", "Coverage", "RunReport", "Thresholds",
    "WarnedPages", "add_threshold_arguments", "count", "coverage_limits", "evaluate",
    "history_checks", "history_of", "make_report", "new_run_id", "report_path", "share",
    "share_argument", "threshold_settings",
]
