"""The run report: what `OUTPUT/runs/<run id>.json` holds, and how it is assembled."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from gpscrape import exit_codes
from gpscrape.run_history import PastRun, past_runs
from gpscrape.run_report.checks import Check, evaluate, history_checks
from gpscrape.run_report.coverage import Coverage
from gpscrape.run_report.ids import report_path
from gpscrape.run_report.table import render_table
from gpscrape.run_report.thresholds import Thresholds


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
        path = report_path(output, self.run_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.to_dict(), indent=2, sort_keys=True, default=str) + "\n")
        os.replace(tmp, path)
        return path

    def table(self) -> str:
        """The short summary table printed at the end of a run."""
        return render_table(self)


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
