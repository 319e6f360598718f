"""`gpscrape reextract`: rebuild the Parquet tables from the WARC archive alone (no network).

Every archived page the spider parses goes through the current extractor and the plain-Python
pipeline chain (normalise -> validate -> write); for each record the latest response (by
WARC-Date) wins. The earlier responses of each record and its `304` answers are replayed too,
for its history (`revisions`), so the rebuild reproduces the revisions the crawls recorded.
Rows are upserted into the dataset under `--output`, so rows of records the archive does not
hold are kept. This is how extractor improvements reach the dataset without
crawling again. A closed WARC file's member index (`gpscrape.archive.member_index`: saved by
the crawl that wrote the file, else by the first rebuild) lets a rebuild find the pages
without inflating the whole file first.
Writes a run report under `OUTPUT/runs/` and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING

from gpscrape import exit_codes, urls
from gpscrape.archive.member_index import StaleIndexError, remove_indexes, response_heads
from gpscrape.archive.reader import MAX_BODY
from gpscrape.archive.replay import Located, page_key, replay
from gpscrape.collector import few_collections
from gpscrape.config import add_settings_argument
from gpscrape.dataset import DatasetBusyError, PublishResult
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.locations import Locations
from gpscrape.outcome import BROKEN, MISSING, QUARANTINED, VERDICTS, Verdicts
from gpscrape.plain_settings import PlainSettings, plain_settings
from gpscrape.progress import Progress
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
from gpscrape.run_report.counts import CHANGED, VALIDATION_QUARANTINED, rebuild_counts, verdict
from pipelines.chain import process

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)

NOT_MODIFIED = HTTPStatus.NOT_MODIFIED.value  # a plain int: an enum member's lookup is slow

HELP = "Rebuild the Parquet tables from the WARC archive, with the current extractor."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--warc", type=Path,
                        help="folder of WARC files (default: setting GPSCRAPE_WARC_DIR, else "
                             "OUTPUT/warc)")
    parser.add_argument("--output", type=Path,
                        help="output root of the tables (default: setting GPSCRAPE_OUTPUT, "
                             "else output)")
    add_settings_argument(parser)
    add_threshold_arguments(parser)


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    settings = project_settings(args)
    locations = Locations.of(settings)
    output, warc = locations.output, locations.warc
    if not warc.is_dir():
        print(f"gpscrape reextract: no WARC folder at {warc}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    try:
        thresholds = Thresholds.from_settings(settings)
    except ValueError as error:
        print(f"gpscrape reextract: {error}", file=sys.stderr)
        return exit_codes.USAGE
    try:
        report = rebuild(warc, output, thresholds, max_body=locations.max_body,
                         settings=settings)
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


def project_settings(args: argparse.Namespace) -> PlainSettings:
    """The settings of this run: `-s` and the flags (`--output`, `--warc`, the checks'
    thresholds) on the project settings, in the order of `gpscrape.config`, resolved without
    Scrapy (`gpscrape.plain_settings`: a rebuild runs no crawl)."""
    flags = {"GPSCRAPE_OUTPUT": args.output, "GPSCRAPE_WARC_DIR": args.warc,
             **threshold_settings(args)}
    return plain_settings(args.settings, flags)


def rebuild(warc: Path, output: Path, thresholds: Thresholds,
            command: str = "reextract", max_body: int = MAX_BODY,
            settings: PlainSettings | BaseSettings | None = None) -> RunReport:
    """Replay every page of the archive into the dataset under `output` (bodies up to
    `max_body` bytes, decoded: DOWNLOAD_MAXSIZE) through the pipelines of `settings` (the
    project's by default); the run's report."""
    run_id, started = new_run_id(), datetime.now(UTC)
    with few_collections():  # a rebuild frees nearly all it allocates by reference counting
        try:
            result, verdicts, coverage = _replayed(warc, output, command, max_body, settings)
        except StaleIndexError as error:  # nothing was published: read the archive itself
            logger.warning("%s; rebuilding from the archive without member indexes", error)
            remove_indexes(warc)
            result, verdicts, coverage = _replayed(warc, output, command, max_body, settings,
                                                   use_index=False)
    # The rebuild's stats, as a crawl records them: the latest pages' verdicts, the changed
    # records, and the quarantine rows beyond the quarantined pages (validation rejects).
    stats = {**verdicts.as_stats(), CHANGED: result.changed,
             VALIDATION_QUARANTINED: result.quarantined - verdicts.counts[QUARANTINED]}
    pages = verdicts.pages
    return make_report(
        run_id=run_id, command=command, started=started, counts=rebuild_counts(stats),
        errors=[*pages[QUARANTINED], *pages[BROKEN]], coverage=coverage, thresholds=thresholds,
        details={"warc": str(warc), "version": result.version, "rows": result.rows,
                 "missing": [{"url": u, "reason": r} for u, r in pages[MISSING]],
                 "verdicts": {name: verdict(stats, name) for name in VERDICTS}},
        history=history_of(output, command, thresholds),
    )


def _replayed(warc: Path, output: Path, command: str, max_body: int,
              settings: PlainSettings | BaseSettings | None, use_index: bool = True
              ) -> tuple[PublishResult, Verdicts, Coverage]:
    """Replay the archive into the dataset: what was published, the latest pages' verdicts
    and the records covered."""
    located, earlier, unchanged = index_archive(warc, use_index)
    verdicts, coverage = Verdicts(), Coverage()
    with Progress(command, total=len(located) + len(earlier)) as progress:
        result = process(covered(replay(located, verdicts, progress.update, max_body), coverage),
                         output, earlier=replay(earlier, Verdicts(), progress.update, max_body),
                         unchanged=unchanged, settings=settings)
    return result, verdicts, coverage


def index_archive(warc: Path, use_index: bool = True
                  ) -> tuple[list[Located], list[Located], list[tuple[int, datetime]]]:
    """One pass over the archive's headers (from the files' member indexes with `use_index`):
    where the latest `200` response of each page is (as `latest_responses` finds it), the
    earlier `200` answers of article pages, and the `304 Not Modified` answers as
    (record_no, WARC-Date)."""
    latest: dict[object, Located] = {}
    earlier, unchanged = [], []
    for response in response_heads(warc, use_index):
        if response.status == NOT_MODIFIED:
            if (record := urls.record_key(response.url)) is not None:
                unchanged.append((record[1], response.date))
            continue
        if response.status != 200 or (key := page_key(response.url)) is None:
            continue
        found = Located(response.date, response.path, response.offset, response.url,
                        response.length)
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
