"""`gpscrape backfill`: fetch a range of recordNos directly, counting the ones that are missing."""

from __future__ import annotations

import argparse
import sys

from gpscrape import exit_codes
from gpscrape.commands.crawl import add_common_arguments, non_negative, run_spider

HELP = "Fetch every recordNo in a range (missing ones are counted, not errors)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from", dest="first", type=non_negative, required=True, help="first recordNo"
    )
    parser.add_argument(
        "--to", dest="last", type=non_negative, required=True, help="last recordNo"
    )
    parser.add_argument(
        "--url-template",
        help="article URL relative to the base URL, {n} for the recordNo "
        "(default: setting GPSCRAPE_BACKFILL_URL_TEMPLATE)",
    )
    add_common_arguments(parser)


def run(args: argparse.Namespace) -> int:
    problem = None
    if args.last < args.first:
        problem = f"--to ({args.last}) is below --from ({args.first})"
    elif args.url_template is not None and "{n}" not in args.url_template:
        problem = "--url-template needs {n} for the recordNo"
    if problem:
        print(f"gpscrape backfill: {problem}", file=sys.stderr)
        return exit_codes.USAGE
    spider_args = {
        "backfill_from": args.first,
        "backfill_to": args.last,
        "url_template": args.url_template,
        "series": args.series,
        "since": args.since,
    }
    return run_spider(args, spider_args, command="backfill")
