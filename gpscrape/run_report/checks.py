"""A run's checks: quarantine, error rate, coverage, warnings, a clean finish, history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from gpscrape.run_history import PastRun, median_coverage, median_warned
from gpscrape.run_report.thresholds import Thresholds

_FUZZ = 1e-9  # float noise: a share exactly at the history margin passes


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
