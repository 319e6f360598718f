"""`gpscrape demo`: generate a local mirror, crawl it end to end, print the summary."""

from __future__ import annotations

import argparse
from pathlib import Path

from gpscrape.commands.crawl import positive, run_spider
from gpscrape.config import add_settings_argument, command_settings
from gpscrape.locations import Locations
from gpscrape.mirror import MirrorServer, MirrorSite

HELP = "Crawl a generated local mirror end to end (no network) and write the output."

# Delays off for the loopback mirror; robots.txt is still obeyed.
DEMO_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "GPSCRAPE_SEEDS": [],
    "LOG_LEVEL": "WARNING",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", type=positive, default=60, help="records in the mirror (60)")
    parser.add_argument("--seed", type=int, default=0, help="mirror generator seed (0)")
    parser.add_argument(
        "--output", type=Path, default=None,
        help="output folder (default: setting GPSCRAPE_OUTPUT, else output)",
    )
    add_settings_argument(parser)


def run(args: argparse.Namespace) -> int:
    site = MirrorSite.generate(records=args.records, seed=args.seed)
    with MirrorServer(site) as server:
        print(f"gpscrape demo: mirror of {args.records} records at {server.base_url}")
        crawl_args = argparse.Namespace(base_url=server.base_url, output=args.output,
                                        settings=args.settings)
        code = run_spider(crawl_args, {}, command="demo", defaults=DEMO_SETTINGS)
    settings = command_settings(args.settings, {"GPSCRAPE_OUTPUT": args.output}, DEMO_SETTINGS)
    print(f"gpscrape demo: output in {Locations.of(settings).output}/")
    return code
