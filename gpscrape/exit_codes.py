"""Exit codes of every `gpscrape` command (documented in README and docs/)."""

OK = 0  # the run did what was asked and passed its checks
CHECKS_FAILED = 1  # the run finished but a threshold failed (quarantine, errors, coverage)
USAGE = 2  # bad command-line options (argparse's own code)
BAD_INPUT = 3  # the input could not be used (e.g. a page that is not an article)
