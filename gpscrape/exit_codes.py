"""Exit codes of every `gpscrape` command (documented in README, section "Exit codes").

`crawl`, `backfill`, `demo` and `reextract` decide between OK and CHECKS_FAILED with the
checks of their run report (`gpscrape.run_report`): quarantined pages, the share of failed
requests and broken pages, field coverage, the share of pages with extractor warnings, the
run against the median of its earlier runs, and a clean finish, each with a threshold setting;
the report in `OUTPUT/runs/` says which check failed and why.
"""

OK = 0  # the run did what was asked and passed its checks
CHECKS_FAILED = 1  # finished, but a check failed: quarantine, errors, coverage, warnings, history
USAGE = 2  # bad command-line options (argparse's own code)
BAD_INPUT = 3  # the input could not be used (a page that is not an article, an unusable output)
