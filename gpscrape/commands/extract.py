"""`gpscrape extract PAGE.html --url URL`: print one page record as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from gpscrape import exit_codes
from gpscrape.extract import ExtractError, extract_page

HELP = "Extract one saved page and print its page record as JSON."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("page", type=Path, help="the saved HTML page (- for standard input)")
    parser.add_argument("--url", required=True, help="the URL the page was fetched from")


def run(args: argparse.Namespace) -> int:
    data = sys.stdin.buffer.read() if str(args.page) == "-" else args.page.read_bytes()
    try:
        record = extract_page(data, args.url)
    except ExtractError as error:
        print(f"gpscrape extract: {error.reason}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    json.dump(record.to_dict(), sys.stdout, ensure_ascii=False, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0
