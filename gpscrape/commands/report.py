"""`gpscrape report`: write OUTPUT/report.html (charts of the dataset) and print a summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gpscrape import exit_codes
from gpscrape.config import add_settings_argument, command_settings
from gpscrape.locations import Locations

HELP = "Write an HTML report with charts of a dataset and print a text summary."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output", type=Path,
        help="output folder holding the tables (default: setting GPSCRAPE_OUTPUT, else output)",
    )
    parser.add_argument(
        "--page", type=Path, metavar="FILE",
        help="where to write the page (default: report.html in the output folder)",
    )
    add_settings_argument(parser)


def run(args: argparse.Namespace) -> int:
    try:  # matplotlib is an optional extra: imported here to say so when it is missing
        from gpscrape.report.build import write_report  # noqa: PLC0415
        from gpscrape.report.summary import text_summary  # noqa: PLC0415
    except ImportError as error:
        if (error.name or "").partition(".")[0] != "matplotlib":
            raise
        print("gpscrape report: matplotlib is missing; install the extra: "
              "pip install 'gpscrape[report]'", file=sys.stderr)
        return exit_codes.USAGE
    output = Locations.of(command_settings(args.settings, {"GPSCRAPE_OUTPUT": args.output})).output
    page, data = write_report(output, args.page)
    print(f"gpscrape report: {text_summary(data)}")
    print(f"gpscrape report: page written to {page}")
    return exit_codes.OK
