"""`gpscrape reextract`: rebuild the Parquet tables from the WARC archive alone (no network).

Every archived page the spider parses goes through the current extractor and the plain-Python
pipeline chain (normalise -> validate -> write); for each record the latest response (by
WARC-Date) wins. The earlier responses of each record and its `304` answers are replayed too,
for its history (`revisions`), so the rebuild reproduces the revisions the crawls recorded.
Rows are upserted into the dataset under `--output`, so rows of records the archive does not
hold are kept. This is how extractor improvements reach the dataset without
crawling again. Writes a run report under `OUTPUT/runs/` and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any

from gpscrape import exit_codes, urls
from gpscrape.archive.reader import iter_responses
from gpscrape.archive.replay import Located, page_key
from gpscrape.dataset import DatasetBusyError
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.run_report import (
    Coverage,
    RunReport,
    Thresholds,
    add_threshold_arguments,
    history_of,
    make_report,
    new_run_id,
    threshold_settings,
)
from pipelines.chain import process

HELP = "Rebuild the Parquet tables from the WARC archive, with the current extractor."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warc", type=Path,
                        help="folder of WARC files (default: OUTPUT/warc)")
    parser.add_argument("--output", type=Path,
                        help="output root of the tables (default: env GPSCRAPE_OUTPUT, output)")
    add_threshold_arguments(parser)


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    output = args.output or Path(os.environ.get("GPSCRAPE_OUTPUT", "output"))
    warc = args.warc or output / "warc"
    if not warc.is_dir():
        print(f"gpscrape reextract: no WARC folder at {warc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    try:
        thresholds = Thresholds.from_settings(project_settings(args))
    except ValueError as error:
        print(f"gpscrape reextract: {error}", file=sys.stderr)
        return exit_codes.USAGE
    try:
        report = rebuild(warc, output, thresholds)
    except DatasetBusyError as error:
        print(f"gpscrape reextract: {error}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    except OSError as error:
        print(f"gpscrape reextract: cannot write to {output}: {error}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    path = report.write(output)
    print(report.table())
    print(f"report: {path}")
    return report.exit_code()


def project_settings(args: argparse.Namespace) -> Any:
    """The project settings (the checks' thresholds), with the command-line flags on top."""
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "gpscrape.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict(threshold_settings(args), priority="cmdline")
    return settings


def rebuild(warc: Path, output: Path, thresholds: Thresholds,
            command: str = "reextract") -> RunReport:
    """Replay every page of the archive into the dataset under `output`; the run's report."""
    from gpscrape.archive.replay import ReplayCounts, replay
    from gpscrape.progress import Progress

    run_id, started = new_run_id(), datetime.now(UTC)
    located, earlier, unchanged = index_archive(warc)
    counts, coverage = ReplayCounts(), Coverage()
    with Progress(command, total=len(located) + len(earlier)) as progress:
        result = process(covered(replay(located, counts, progress.update), coverage), output,
                         earlier=replay(earlier, ReplayCounts(), progress.update),
                         unchanged=unchanged)
    return make_report(
        run_id=run_id, command=command, started=started,
        counts={"pages_replayed": counts.pages, "records": counts.records,
                "listing_pages": counts.listings, "changed": result.changed,
                "quarantined": result.quarantined, "missing": len(counts.missing)},
        errors=counts.quarantined, coverage=coverage, thresholds=thresholds,
        details={"warc": str(warc), "version": result.version, "rows": result.rows,
                 "missing": [{"url": u, "reason": r} for u, r in counts.missing]},
        history=history_of(output, command, thresholds),
    )


def index_archive(warc: Path) -> tuple[list[Located], list[Located], list[tuple[int, datetime]]]:
    """One pass over the archive's headers: where the latest `200` response of each page is
    (as `latest_responses` finds it), the earlier `200` answers of article pages, and the
    `304 Not Modified` answers as (record_no, WARC-Date)."""
    latest: dict[object, Located] = {}
    earlier, unchanged = [], []
    for response in iter_responses(warc, with_body=False):
        if response.status == HTTPStatus.NOT_MODIFIED:
            if (record := urls.record_key(response.url)) is not None:
                unchanged.append((record[1], response.date))
            continue
        if response.status != 200 or (key := page_key(response.url)) is None:
            continue
        found = Located(response.date, response.path, response.offset, response.url)
        held = latest.get(key)
        if held is None or found > held:
            latest[key], found = found, held
        if found is not None and urls.record_key(found.url) is not None:
            earlier.append(found)
    return list(latest.values()), earlier, unchanged


def covered(items: Iterable[PageItem | QuarantineItem], coverage: Coverage
            ) -> Iterator[PageItem | QuarantineItem]:
    """The items unchanged, each article record counted in `coverage` on the way."""
    for item in items:
        if isinstance(item, PageItem) and item.record.record_no is not None:
            coverage.add(item.record)
        yield item
