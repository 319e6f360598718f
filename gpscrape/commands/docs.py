"""`gpscrape docs`: print the configuration reference (Markdown) generated from the code."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gpscrape.reference import configuration_reference

HELP = "Print the configuration reference (settings, commands, exit codes) as Markdown."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--write", type=Path, metavar="FILE",
                        help="write it to FILE (e.g. docs/configuration.md) instead of printing")


def run(args: argparse.Namespace) -> int:
    text = configuration_reference()
    if args.write is None:
        sys.stdout.write(text)
    else:
        args.write.write_text(text, encoding="utf-8")
    return 0
