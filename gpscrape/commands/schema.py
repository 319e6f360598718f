"""`gpscrape schema`: print the data dictionary of every table (Markdown)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gpscrape.data_dictionary import data_dictionary

HELP = "Print the data dictionary of the Parquet tables (Markdown)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--write", type=Path, metavar="FILE",
                        help="write it to FILE (e.g. docs/data-dictionary.md) instead of printing")


def run(args: argparse.Namespace) -> int:
    text = data_dictionary()
    if args.write is None:
        sys.stdout.write(text)
    else:
        args.write.write_text(text, encoding="utf-8")
    return 0
