"""The threshold flags of the run commands (`--max-quarantined`, ...) and their settings."""

from __future__ import annotations

import argparse
from typing import Any

from gpscrape.run_report.thresholds import (
    DEFAULT_MAX_ERROR_RATE,
    DEFAULT_MAX_QUARANTINED,
    DEFAULT_MAX_WARNED,
    DEFAULT_MIN_COVERAGE,
    share,
)


def add_threshold_arguments(parser: Any) -> None:
    """The `--max-quarantined`, `--max-error-rate` and `--min-coverage` flags."""
    parser.add_argument("--max-quarantined", type=int, metavar="N",
                        help="fail when more pages are quarantined (setting "
                        f"GPSCRAPE_MAX_QUARANTINED, default {DEFAULT_MAX_QUARANTINED})")
    parser.add_argument("--max-error-rate", type=float, metavar="RATE",
                        help="fail when a larger share of pages fails or is broken (setting "
                        f"GPSCRAPE_MAX_ERROR_RATE, default {DEFAULT_MAX_ERROR_RATE})")
    parser.add_argument("--min-coverage", metavar="SHARE|JSON",
                        help="fail when fewer records have title, published, topics: one "
                        "share for all, or JSON such as '{\"published\": 0.5}' (setting "
                        "GPSCRAPE_MIN_COVERAGE, default "
                        + ", ".join(f"{k} {v}" for k, v in DEFAULT_MIN_COVERAGE.items()) + ")")
    parser.add_argument("--max-warned", type=share_argument, metavar="SHARE",
                        help="fail when a larger share of records carries an extractor warning "
                        f"(setting and env GPSCRAPE_MAX_WARNED, default {DEFAULT_MAX_WARNED})")


def share_argument(text: str) -> float:
    """argparse type for a share from 0 to 1."""
    try:
        return share("the value", text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def threshold_settings(args: Any) -> dict[str, Any]:
    """The threshold flags given on the command line, as settings."""
    pairs = (("GPSCRAPE_MAX_QUARANTINED", "max_quarantined"),
             ("GPSCRAPE_MAX_ERROR_RATE", "max_error_rate"),
             ("GPSCRAPE_MIN_COVERAGE", "min_coverage"),
             ("GPSCRAPE_MAX_WARNED", "max_warned"))
    return {name: getattr(args, attr) for name, attr in pairs
            if getattr(args, attr, None) is not None}
