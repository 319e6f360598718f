"""Exit codes of every `gpscrape` command (documented in README, section "Exit codes").

`crawl`, `backfill`, `demo` and `reextract` decide between OK and CHECKS_FAILED with the
checks of their run report (`gpscrape.run_report`): quarantined pages, the share of failed
requests and broken pages, field coverage and a clean finish, each with a threshold setting
and flag; the report in `OUTPUT/runs/` says which check failed and why.
"""

OK = 0  # the run did what was asked and passed its checks
CHECKS_FAILED = 1  # the run finished but a threshold failed (quarantine, errors, coverage)
USAGE = 2  # bad command-line options (argparse's own code)
BAD_INPUT = 3  # the input could not be used (a page that is not an article, an unusable output)
