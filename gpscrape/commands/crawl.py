"""`gpscrape crawl`: run spider `gp` in-process over the site (or a mirror) and summarise."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy.crawler import CrawlerProcess

from gpscrape import exit_codes
from gpscrape.config import add_settings_argument, command_settings
from gpscrape.dataset import DatasetBusyError, DatasetWriter
from gpscrape.disk_full import DISK_FULL_STAT
from gpscrape.incremental.resume import recover
from gpscrape.locations import Locations
from gpscrape.request_queue import clear_stale_queues, remove_queue, use_own_queue
from gpscrape.run_report import (
    Thresholds,
    add_threshold_arguments,
    new_run_id,
    threshold_settings,
)
from gpscrape.run_report.extension import crawl_report, spider_verdicts
from gpscrape.run_report.summary import summary
from gpscrape.spiders.gp import parse_since
from pipelines.parquet import OPENED_STAT, PUBLISHED_STAT

HELP = "Crawl the site (or a mirror) and write its records."

def since_date(text: str) -> str:
    """argparse type for `--since`: checked now, handed to the spider as written."""
    try:
        parse_since(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return text


def base_url(text: str) -> str:
    """argparse type for `--base-url`: an http(s) URL with a host."""
    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(f"not an http(s) URL with a host: {text!r}")
    return text.strip()


def non_negative(text: str) -> int:
    """argparse type for counts and recordNos."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value}")
    return value


def positive(text: str) -> int:
    """argparse type for `--limit`."""
    value = non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """Options shared by `crawl`, `backfill` and `demo`."""
    parser.add_argument("--base-url", type=base_url,
                        help="site to crawl (default: setting GPSCRAPE_BASE_URL)")
    parser.add_argument(
        "--output",
        type=Path,
        help="output folder for the Parquet tables (default: setting GPSCRAPE_OUTPUT, output)",
    )
    parser.add_argument("--series", help="keep only this canonical series (case-insensitive)")
    parser.add_argument(
        "--since",
        type=since_date,
        help="keep records published on or after this date (2024-01-01, '3 months ago')",
    )
    add_settings_argument(parser)
    refetch = parser.add_mutually_exclusive_group()
    refetch.add_argument("--refresh", dest="refetch", action="store_const", const="all",
                         help="fetch known article pages again (default: only new ones)")
    refetch.add_argument("--revalidate", dest="refetch", action="store_const",
                         const="revalidate", help="fetch known article pages with their "
                         "stored ETag/Last-Modified; unchanged ones (304) keep their rows")
    add_threshold_arguments(parser)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_common_arguments(parser)
    parser.add_argument("--limit", type=positive, help="stop after this many article records")
    parser.add_argument(
        "--seed",
        dest="seeds",
        action="append",
        help="also start from this article URL (relative to the base URL) or recordNo "
        "(repeatable; replaces setting GPSCRAPE_SEEDS)",
    )


def run(args: argparse.Namespace) -> int:
    spider_args = {"series": args.series, "since": args.since, "limit": args.limit}
    if args.seeds:
        spider_args["seeds"] = args.seeds
    return run_spider(args, spider_args, command="crawl")


def run_spider(
    args: argparse.Namespace,
    spider_args: dict[str, Any],
    command: str,
    defaults: dict[str, Any] | None = None,
) -> int:
    """Run spider `gp` with project settings, `defaults`, output and `-s` overrides; summarise.

    Records archived by a crawl that was cut short are first recovered from the WARC archive.
    Writes the run report and returns its exit code (`gpscrape.run_report`: non-zero when a
    check fails: quarantine, error rate, coverage, an unclean finish).
    """
    flags = {"GPSCRAPE_OUTPUT": args.output, "GPSCRAPE_REFETCH": getattr(args, "refetch", None),
             **threshold_settings(args)}
    settings = command_settings(args.settings, flags, command_defaults=defaults)
    run_id, started_at = new_run_id(), datetime.now(UTC)
    settings.set("GPSCRAPE_RUN_ID", run_id, priority="cmdline")
    locations = Locations.of(settings)
    output = locations.output
    try:  # a threshold the report could not read fails us now, not after the crawl
        Thresholds.from_settings(settings)
    except ValueError as error:
        print(f"gpscrape {command}: {error}", file=sys.stderr)
        return exit_codes.USAGE
    try:  # an output in use or not writable fails us now, not mid-crawl
        with DatasetWriter(output):
            clear_stale_queues(output)
        recovery = recover(output, locations.warc, max_body=locations.max_body,
                           settings=settings)
    except DatasetBusyError as error:
        print(f"gpscrape {command}: {error}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    except OSError as error:
        print(f"gpscrape {command}: cannot write to {output}: {error}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    kwargs = {k: v for k, v in spider_args.items() if v is not None}
    if args.base_url:
        kwargs["base_url"] = args.base_url
    queue = use_own_queue(settings, output, run_id)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("gp")
    started = time.monotonic()
    try:
        process.crawl(crawler, **kwargs)
        process.start()
    finally:
        remove_queue(queue)
    elapsed = time.monotonic() - started
    stats = crawler.stats.get_stats()
    print(summary(command, stats, spider_verdicts(crawler), elapsed))
    if stats.get(DISK_FULL_STAT):
        # The log said where and that the published dataset is intact; no run report, so the
        # next run recovers this run's archive.
        return exit_codes.BAD_INPUT
    if stats.get(OPENED_STAT) and not stats.get(PUBLISHED_STAT):
        # No run report: the next run replays this run's archive and publishes it then.
        print(f"gpscrape {command}: publishing the dataset failed (see the log above); "
              "the next run recovers this run's pages from the archive", file=sys.stderr)
        return exit_codes.CHECKS_FAILED
    report = crawl_report(crawler, run_id=run_id, command=command, started=started_at,
                          recovered=recovery.records)
    path = report.write(output)
    print(report.table())
    print(f"report: {path}")
    return report.exit_code()

