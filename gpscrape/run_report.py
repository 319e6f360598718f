"""Run reports: what one run of `crawl`, `backfill` or `reextract` did, and its checks.

Every run writes `OUTPUT/runs/<run id>.json` (run id: UTC start time and a short random
suffix, so ids sort by start time) and prints a short table. The report holds the counts
(pages fetched, new records, refreshed, unchanged, quarantined, missing, retries, ...), the
errors with their reasons, the per-field coverage of the run's records (share with the field
non-null and non-empty) and the checks. A failed check makes the command exit with
`exit_codes.CHECKS_FAILED` (1); the report says which check failed and why.

Checks (settings, each also a command-line flag):
- `GPSCRAPE_MAX_QUARANTINED` (0): pages quarantined in the run, at most.
- `GPSCRAPE_MAX_ERROR_RATE` (0.05): (requests failed for good + broken pages) / pages
  requested, at most. A broken page is a linked article page answering 200 without any article
  or listing (a layout the extractor no longer recognises); probes and backfill guesses that find
  nothing count as missing instead.
- `GPSCRAPE_MIN_COVERAGE` (title 0.9, published 0.75, topics 0.9): share of the run's
  article records with each field filled, at least; one number sets every checked field,
  a mapping `{field: share}` sets some. Enforced on runs with at least
  `GPSCRAPE_COVERAGE_MIN_RECORDS` (20) records, as a share of a handful says little.
  `published` is lower because some issues print no date at all.
- `GPSCRAPE_MAX_WARNED` (0.05): share of the run's records carrying an extractor warning
  (`gpscrape.extract.warnings`), at most; enforced like coverage, from
  `GPSCRAPE_COVERAGE_MIN_RECORDS` records. The report counts each code and names the warned
  pages (record number and URL; the first `WARNED_PAGES_NAMED` per code, the counts exact).
- the crawl finished cleanly (not cancelled or shut down).
- history (`GPSCRAPE_HISTORY_RUNS` 5, `GPSCRAPE_HISTORY_MARGIN` 0.1): each coverage-checked
  field is at most MARGIN below, and the warned share at most MARGIN above, its median over
  the last RUNS earlier runs of the same command with at least `GPSCRAPE_COVERAGE_MIN_RECORDS`
  records (`gpscrape.run_history`). No history, or a run below that many records (an
  incremental run that found little or nothing new), is not checked and passes.
"""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gpscrape import exit_codes, settings
from gpscrape.extract.record import PageRecord
from gpscrape.extract.warnings import WARNINGS
from gpscrape.locations import RUNS_DIR, output_root
from gpscrape.run_history import PastRun, median_coverage, median_warned, past_runs

# The defaults live with the other settings; these names keep the fallbacks readable here.
DEFAULT_MAX_QUARANTINED = settings.GPSCRAPE_MAX_QUARANTINED
DEFAULT_MAX_ERROR_RATE = settings.GPSCRAPE_MAX_ERROR_RATE
DEFAULT_MIN_COVERAGE: dict[str, float] = settings.GPSCRAPE_MIN_COVERAGE
DEFAULT_COVERAGE_MIN_RECORDS = settings.GPSCRAPE_COVERAGE_MIN_RECORDS
# Text when set by the environment; Thresholds reads them with share() and count().
DEFAULT_MAX_WARNED = settings.GPSCRAPE_MAX_WARNED
DEFAULT_HISTORY_RUNS = settings.GPSCRAPE_HISTORY_RUNS
DEFAULT_HISTORY_MARGIN = settings.GPSCRAPE_HISTORY_MARGIN
WARNED_PAGES_NAMED = 50  # warned pages named per code in the report (the counts stay exact)
WARNED_PAGES_PRINTED = 5  # of those, printed per code in the summary table
_FUZZ = 1e-9  # float noise: a share exactly at the history margin passes
RECORD_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PageRecord))
# Counts shown in the summary table, in order.
COUNT_LABELS: tuple[tuple[str, str], ...] = (
    ("pages_fetched", "pages fetched"),
    ("pages_replayed", "pages replayed"),
    ("records", "records"),
    ("listing_pages", "listing pages"),
    ("new_records", "new records"),
    ("refreshed", "refreshed"),
    ("changed", "changed records"),
    ("unchanged", "unchanged (304)"),
    ("skipped_known", "known, not fetched"),
    ("recovered", "recovered from archive"),
    ("probes", "probes"),
    ("quarantined", "quarantined"),
    ("missing", "missing"),
    ("broken_pages", "broken pages"),
    ("failed", "failed requests"),
    ("retries", "retries"),
    ("listing_pages_capped", "listing pages past the cap"),  # only when the cap was hit
)


def new_run_id() -> str:
    """A run id: the UTC start time and a short random suffix; ids sort by start time."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.urandom(3).hex()}"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The limits a run is checked against."""

    max_quarantined: int = DEFAULT_MAX_QUARANTINED
    max_error_rate: float = DEFAULT_MAX_ERROR_RATE
    min_coverage: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_MIN_COVERAGE))
    coverage_min_records: int = DEFAULT_COVERAGE_MIN_RECORDS
    max_warned: float = field(
        default_factory=lambda: share("GPSCRAPE_MAX_WARNED", DEFAULT_MAX_WARNED))
    history_runs: int = field(
        default_factory=lambda: count("GPSCRAPE_HISTORY_RUNS", DEFAULT_HISTORY_RUNS))
    history_margin: float = field(
        default_factory=lambda: share("GPSCRAPE_HISTORY_MARGIN", DEFAULT_HISTORY_MARGIN))

    @classmethod
    def from_settings(cls, settings: Any) -> Thresholds:
        """From Scrapy settings (or any mapping with `get`)."""
        return cls(
            max_quarantined=int(settings.get("GPSCRAPE_MAX_QUARANTINED",
                                             DEFAULT_MAX_QUARANTINED)),
            max_error_rate=float(settings.get("GPSCRAPE_MAX_ERROR_RATE",
                                              DEFAULT_MAX_ERROR_RATE)),
            min_coverage=coverage_limits(settings.get("GPSCRAPE_MIN_COVERAGE")),
            coverage_min_records=int(settings.get("GPSCRAPE_COVERAGE_MIN_RECORDS",
                                                  DEFAULT_COVERAGE_MIN_RECORDS)),
            max_warned=share("GPSCRAPE_MAX_WARNED",
                             settings.get("GPSCRAPE_MAX_WARNED", DEFAULT_MAX_WARNED)),
            history_runs=count("GPSCRAPE_HISTORY_RUNS",
                               settings.get("GPSCRAPE_HISTORY_RUNS", DEFAULT_HISTORY_RUNS)),
            history_margin=share("GPSCRAPE_HISTORY_MARGIN",
                                 settings.get("GPSCRAPE_HISTORY_MARGIN",
                                              DEFAULT_HISTORY_MARGIN)),
        )


def share(name: str, value: Any) -> float:
    """Setting `name` as a share from 0 to 1 (a number or its text); ValueError otherwise."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not 0 <= number <= 1:
        raise ValueError(f"{name} must be a share from 0 to 1, got {value!r}")
    return number


def count(name: str, value: Any) -> int:
    """Setting `name` as a whole number, 0 or more (or its text); ValueError otherwise."""
    try:
        number = int(str(value).strip())
    except ValueError:
        number = -1
    if number < 0:
        raise ValueError(f"{name} must be a whole number, 0 or more, got {value!r}")
    return number


def coverage_limits(value: Any) -> dict[str, float]:
    """`GPSCRAPE_MIN_COVERAGE` as `{field: share}`: None gives the defaults, a number (or its
    text) applies to every default field, a mapping (or JSON text) overrides some fields."""
    limits = dict(DEFAULT_MIN_COVERAGE)
    if value is None or value == "":
        return limits
    if isinstance(value, str):
        value = json.loads(value) if value.strip().startswith("{") else float(value)
    if isinstance(value, Mapping):
        unknown = set(value) - set(RECORD_FIELDS)
        if unknown:
            raise ValueError(f"unknown coverage fields: {sorted(unknown)}")
        limits.update({name: float(share) for name, share in value.items()})
        return limits
    return dict.fromkeys(limits, float(value))


class WarnedPages:
    """The records carrying warnings: how many, a count per code, the first pages of each."""

    def __init__(self, named: int = WARNED_PAGES_NAMED) -> None:
        self.named = named
        self.records = 0
        self.codes: Counter[str] = Counter()
        self.pages: dict[str, list[dict[str, Any]]] = {}

    def add(self, record: PageRecord) -> None:
        codes = list(dict.fromkeys(record.warnings))  # a code counts once per page
        if not codes:
            return
        self.records += 1
        for code in codes:
            self.codes[code] += 1
            pages = self.pages.setdefault(code, [])
            if len(pages) < self.named:
                pages.append({"record_no": record.record_no, "url": record.url})

    def summary(self, records: int) -> dict[str, Any]:
        """The report's `warnings` object: warned records, their share of `records`, and per
        code its meaning, count and first pages (most frequent code first)."""
        return {
            "warned": self.records,
            "share": self.records / records if records else None,
            "codes": {code: {"meaning": WARNINGS.get(code, "not in the warning vocabulary"),
                             "count": n, "pages": self.pages[code]}
                      for code, n in sorted(self.codes.items(), key=lambda c: (-c[1], c[0]))},
        }


class Coverage:
    """Per-field counts of records with the field non-null and non-empty, and the records
    carrying warnings."""

    def __init__(self) -> None:
        self.records = 0
        self.filled = dict.fromkeys(RECORD_FIELDS, 0)
        self.warned = WarnedPages()

    def add(self, record: PageRecord) -> None:
        self.records += 1
        self.warned.add(record)
        for name in RECORD_FIELDS:
            if _filled(getattr(record, name)):
                self.filled[name] += 1

    def shares(self) -> dict[str, float | None]:
        """Share of records with each field filled (None without records)."""
        return {name: (count / self.records if self.records else None)
                for name, count in self.filled.items()}


def _filled(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str | list | tuple | dict):
        return bool(value.strip() if isinstance(value, str) else value)
    return True


@dataclass(frozen=True, slots=True)
class Check:
    """One check of a run: passed or not, and why."""

    name: str
    passed: bool
    value: float | int | str | None
    limit: float | int | str | None
    message: str


def evaluate(counts: Mapping[str, int], coverage: Mapping[str, float | None], records: int,
             thresholds: Thresholds, finish_reason: str | None = None, warned: int = 0
             ) -> list[Check]:
    """The run's checks, in a fixed order (`warned`: records carrying a warning)."""
    checks = []
    quarantined = counts.get("quarantined", 0)
    checks.append(Check(
        "quarantined", quarantined <= thresholds.max_quarantined, quarantined,
        thresholds.max_quarantined,
        f"{quarantined} pages quarantined (at most {thresholds.max_quarantined} allowed)"))
    errors = sum(counts.get(k, 0) for k in ("failed", "broken_pages", "spider_errors"))
    attempted = sum(counts.get(k, 0) for k in ("pages_fetched", "pages_replayed", "failed"))
    rate = errors / attempted if attempted else 0.0
    checks.append(Check(
        "error_rate", rate <= thresholds.max_error_rate, round(rate, 4), thresholds.max_error_rate,
        f"{errors} of {attempted} pages failed, broken or raised ({rate:.1%}; at most "
        f"{thresholds.max_error_rate:.1%} allowed)"))
    for name, limit in thresholds.min_coverage.items():
        share = coverage.get(name)
        if not records or share is None:
            checks.append(Check(f"coverage:{name}", True, None, limit,
                                f"no records to check {name} on"))
            continue
        enforced = records >= thresholds.coverage_min_records
        message = (f"{name} filled on {share:.1%} of {records} records (at least {limit:.1%} "
                   "required)")
        if not enforced:
            message += f"; not enforced below {thresholds.coverage_min_records} records"
        checks.append(Check(f"coverage:{name}", share >= limit or not enforced,
                            round(share, 4), limit, message))
    checks.append(_warned_check(warned, records, thresholds))
    if finish_reason is not None:
        clean = finish_reason in ("finished", "limit_reached")
        checks.append(Check("finished", clean, finish_reason, "finished",
                            f"the run ended with {finish_reason!r}"))
    return checks


def _warned_check(warned: int, records: int, thresholds: Thresholds) -> Check:
    limit = thresholds.max_warned
    if not records:
        return Check("warned", True, None, limit, "no records to count warnings on")
    rate = warned / records
    enforced = records >= thresholds.coverage_min_records
    message = (f"{warned} of {records} records carry a warning ({rate:.1%}; at most "
               f"{limit:.1%} allowed)")
    if not enforced:
        message += f"; not enforced below {thresholds.coverage_min_records} records"
    return Check("warned", rate <= limit or not enforced, round(rate, 4), limit, message)


def history_checks(command: str, coverage: Mapping[str, float | None], records: int,
                   warned: int, thresholds: Thresholds, history: Sequence[PastRun]
                   ) -> list[Check]:
    """The run against the medians of its earlier runs (`history`, see `gpscrape.run_history`):
    each coverage-checked field at most the margin below, the warned share at most the margin
    above. No history, or too few records to say anything, passes with the reason."""
    margin, enough = thresholds.history_margin, thresholds.coverage_min_records
    if thresholds.history_runs == 0:
        return []
    if not history:
        return [Check("history", True, None, None,
                      f"no earlier {command} run with at least {enough} records to compare with")]
    if not records:
        return [Check("history", True, 0, enough,
                      "no records (nothing new): nothing to compare with the earlier runs")]
    if records < enough:
        return [Check("history", True, records, enough,
                      f"{records} records: too few to compare with the earlier runs (from "
                      f"{enough})")]
    runs = f"the last {len(history)} {command} runs"
    checks = []
    for name in thresholds.min_coverage:
        share_now, median = coverage.get(name), median_coverage(history, name)
        if share_now is None or median is None:
            continue
        checks.append(Check(
            f"history:{name}", share_now >= median - margin - _FUZZ, round(share_now, 4),
            round(median - margin, 4),
            f"{name} filled on {share_now:.1%} of {records} records; median of {runs} "
            f"{median:.1%} (at most {margin * 100:g} points below allowed)"))
    median = median_warned(history)
    if median is not None:
        rate = warned / records
        checks.append(Check(
            "history:warned", rate <= median + margin + _FUZZ, round(rate, 4),
            round(median + margin, 4),
            f"{rate:.1%} of {records} records carry a warning; median of {runs} "
            f"{median:.1%} (at most {margin * 100:g} points above allowed)"))
    return checks


@dataclass
class RunReport:
    """Everything `OUTPUT/runs/<run id>.json` holds."""

    run_id: str
    command: str
    started: str
    finished: str
    seconds: float
    counts: dict[str, int]
    errors: list[dict[str, str]]
    coverage: dict[str, float | None]
    records: int
    checks: list[Check] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    warnings: dict[str, Any] = field(default_factory=dict)  # WarnedPages.summary()

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    def exit_code(self) -> int:
        return exit_codes.OK if self.passed else exit_codes.CHECKS_FAILED

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["passed"] = self.passed
        data["failed_checks"] = [c.name for c in self.checks if not c.passed]
        return data

    def write(self, output: Path) -> Path:
        """Write the report atomically under `output/runs/`; returns its path."""
        directory = Path(output) / RUNS_DIR
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / f"{self.run_id}.json"
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=2, sort_keys=True, default=str) + "\n")
        os.replace(tmp, path)
        return path

    def table(self) -> str:
        """The short summary table printed at the end of a run."""
        width = max(len(label) for _, label in COUNT_LABELS)
        lines = [f"run {self.run_id} ({self.command}, {self.seconds:.1f} s)"]
        lines += [f"  {label:<{width}}  {self.counts[key]:>7}"
                  for key, label in COUNT_LABELS if key in self.counts]
        lines += self._warning_lines()
        for check in self.checks:
            lines.append(f"  {'ok  ' if check.passed else 'FAIL'} {check.name}: {check.message}")
        return "\n".join(lines)

    def _warning_lines(self) -> list[str]:
        """Per warning code: its count and meaning, then the first warned pages."""
        lines = []
        for code, entry in self.warnings.get("codes", {}).items():
            lines.append(f"  warning {code}: {entry['count']} pages ({entry['meaning']})")
            shown = entry["pages"][:WARNED_PAGES_PRINTED]
            lines += [f"    {page['record_no']}  {page['url']}" for page in shown]
            if entry["count"] > len(shown):
                lines.append(f"    ... {entry['count'] - len(shown)} more (the report names "
                             f"up to {WARNED_PAGES_NAMED})")
        return lines


def make_report(*, run_id: str, command: str, started: datetime, counts: Mapping[str, int],
                errors: Iterable[tuple[str, str]], coverage: Coverage, thresholds: Thresholds,
                finish_reason: str | None = None, details: Mapping[str, Any] | None = None,
                history: Sequence[PastRun] = ()) -> RunReport:
    """Assemble a run's report and its checks (`history`: earlier runs of the command,
    `history_of`)."""
    finished = datetime.now(UTC)
    shares = coverage.shares()
    warned = coverage.warned.records
    return RunReport(
        run_id=run_id, command=command, started=started.isoformat(),
        finished=finished.isoformat(), seconds=round((finished - started).total_seconds(), 3),
        counts=dict(counts), errors=[{"url": url, "reason": reason} for url, reason in errors],
        coverage=shares, records=coverage.records,
        checks=evaluate(counts, shares, coverage.records, thresholds, finish_reason, warned)
        + history_checks(command, shares, coverage.records, warned, thresholds, history),
        details=dict(details or {}), warnings=coverage.warned.summary(coverage.records),
    )


def history_of(output: Path, command: str, thresholds: Thresholds) -> list[PastRun]:
    """The earlier runs of `command` under `output` the history checks compare with."""
    return past_runs(output, command, thresholds.history_runs, thresholds.coverage_min_records)


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


class RunReportExtension:
    """Scrapy extension collecting what a crawl's report needs: coverage of the records that
    reach the dataset, the quarantined pages and, when the spider closes, the counts."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.coverage = Coverage()
        self.quarantined: list[tuple[str, str]] = []
        self.counts: dict[str, int] = {}
        self.errors: list[tuple[str, str]] = []
        self.missing: list[tuple[str, str]] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunReportExtension:
        from scrapy import signals

        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def item_scraped(self, item: Any, **_: Any) -> None:
        from gpscrape.items import PageItem, QuarantineItem

        if isinstance(item, PageItem) and item.record.record_no is not None:
            self.coverage.add(item.record)
        elif isinstance(item, QuarantineItem):
            self.quarantined.append((item.url, item.reason))

    def spider_closed(self, spider: Any, **_: Any) -> None:
        from gpscrape.urls import is_article_url

        stats = self.crawler.stats
        probes = _probe_urls(self.crawler)
        guessed = bool(getattr(spider, "backfill", None))
        broken = [(url, f"page without article or listing: {reason}")
                  for url, reason in getattr(spider, "missing", [])
                  if reason != "HTTP 404" and is_article_url(url) and url not in probes
                  and not guessed]
        broken_urls = {url for url, _ in broken}
        self.missing = [(u, r) for u, r in getattr(spider, "missing", []) if u not in broken_urls]
        value = stats.get_value
        self.counts = {
            "pages_fetched": value("gpscrape/pages", 0) + value("gpscrape/probe_misses", 0)
            + value("gpscrape/incremental/unchanged", 0),
            "new_records": value("gpscrape/incremental/new", 0),
            "refreshed": value("gpscrape/incremental/refreshed", 0),
            "changed": value("gpscrape/parquet/changed", 0),
            "unchanged": value("gpscrape/incremental/unchanged", 0),
            "skipped_known": value("gpscrape/incremental/skipped_known", 0),
            "listing_pages": value("gpscrape/listings", 0),
            "filtered": value("gpscrape/filtered", 0),
            "probes": value("gpscrape/probes", 0),
            "quarantined": len(self.quarantined),
            "missing": len(self.missing),
            "broken_pages": len(broken),
            "failed": value("gpscrape/failed", 0),
            "spider_errors": sum(v for k, v in stats.get_stats().items()
                                 if k.startswith("spider_exceptions/")),
            "retries": value("retry/count", 0),
        }
        if value("gpscrape/listing_pages_capped", 0):
            self.counts["listing_pages_capped"] = value("gpscrape/listing_pages_capped")
        self.errors = [*self.quarantined, *broken]


def _probe_urls(crawler: Any) -> set[str]:
    from gpscrape.incremental.middleware import IncrementalMiddleware

    engine = getattr(crawler, "engine", None)
    manager = getattr(getattr(engine, "scraper", None), "spidermw", None)
    for middleware in getattr(manager, "middlewares", ()):
        if isinstance(middleware, IncrementalMiddleware):
            return middleware.probe_urls
    return set()


def crawl_report(crawler: Any, *, run_id: str, command: str, started: datetime,
                 recovered: int = 0) -> RunReport:
    """The report of a finished crawl or backfill, from its `RunReportExtension`."""
    extension = next((e for e in crawler.extensions.middlewares
                      if isinstance(e, RunReportExtension)), None)
    if extension is None:
        raise RuntimeError("RunReportExtension is not enabled (setting EXTENSIONS)")
    counts = {**extension.counts, "recovered": recovered}
    stats = crawler.stats.get_stats()
    thresholds = Thresholds.from_settings(crawler.settings)
    output = output_root(crawler.settings)
    return make_report(
        run_id=run_id, command=command, started=started, counts=counts,
        errors=extension.errors, coverage=extension.coverage, thresholds=thresholds,
        finish_reason=stats.get("finish_reason", "not started"),
        details={"missing": [{"url": u, "reason": r} for u, r in extension.missing]},
        history=history_of(output, command, thresholds),
    )
