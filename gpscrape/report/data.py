"""Loading what a report shows: the published tables and the run reports under OUTPUT/runs/.

Nothing here raises on a missing or unreadable table: the table is empty and a problem is
recorded, so the page can say what is missing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from gpscrape.dataset import table_path
from gpscrape.dataset.layout import current_version, versions_dir
from gpscrape.dataset.read import read_frame
from gpscrape.locations import runs_dir
from gpscrape.schema import TABLES


def _numbers(values: dict[str, Any]) -> dict[str, int | float]:
    return {key: value for key, value in values.items()
            if isinstance(value, int | float) and not isinstance(value, bool)}


@dataclass(slots=True)
class RunReport:
    """One run report (`OUTPUT/runs/<run id>.json`, see `gpscrape.run_report`): its id and
    its JSON object, read leniently so older or partial reports still show."""

    run_id: str
    values: dict[str, Any]

    def counts(self) -> dict[str, int | float]:
        """Its counts (pages fetched, new records, quarantined...) and the number of errors:
        the `counts` object, or the top-level numbers of a report without one."""
        nested = self.values.get("counts")
        counts = _numbers(nested if isinstance(nested, dict) else self.values)
        if isinstance(self.values.get("errors"), list):
            counts.setdefault("errors", len(self.values["errors"]))
        return counts

    def coverage(self) -> dict[str, float]:
        """Share of the run's records with each field filled, for the fields it measured."""
        shares = self.values.get("coverage")
        return _numbers(shares) if isinstance(shares, dict) else {}

    @property
    def command(self) -> str:
        return str(self.values.get("command") or "")

    @property
    def failed_checks(self) -> list[str]:
        failed = self.values.get("failed_checks")
        return [str(name) for name in failed] if isinstance(failed, list) else []


@dataclass(slots=True)
class ReportData:
    """The tables (empty where missing), the run reports (oldest first) and what went wrong."""

    output: Path
    tables: dict[str, pd.DataFrame]
    runs: list[RunReport] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    version: str | None = None  # the published version the tables were read from

    def table(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    @property
    def empty(self) -> bool:
        """Whether no table holds a row."""
        return all(frame.empty for frame in self.tables.values())


def empty_frame(name: str) -> pd.DataFrame:
    """A table with its declared columns and no rows."""
    return TABLES[name].schema.empty_table().to_pandas()


def load_table(output: Path, name: str) -> tuple[pd.DataFrame, str | None]:
    """The table, or an empty one and the reason when it is missing or unreadable."""
    path = table_path(output, name)
    if not path.exists():
        return empty_frame(name), f"table `{name}` is missing ({path} does not exist)"
    try:
        frame = read_frame(output, name)
    except (OSError, ValueError) as error:  # pyarrow's errors derive from these
        return empty_frame(name), f"table `{name}` could not be read: {error}"
    lacking = [column for column in TABLES[name].column_names if column not in frame.columns]
    if not lacking:
        return frame, None
    frame = frame.assign(**dict.fromkeys(lacking))
    return frame, f"table `{name}` lacks columns {', '.join(lacking)} (shown as empty)"


def load_runs(output: Path) -> tuple[list[RunReport], list[str]]:
    """Every run report under OUTPUT/runs/, ordered by run id; unreadable ones are reported."""
    folder = runs_dir(output)
    runs: list[RunReport] = []
    problems: list[str] = []
    if not folder.is_dir():
        return runs, problems
    for path in sorted(folder.glob("*.json")):
        try:
            values = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            problems.append(f"run report {path.name} could not be read: {error}")
            continue
        if not isinstance(values, dict):
            problems.append(f"run report {path.name} is not a JSON object")
            continue
        runs.append(RunReport(str(values.get("run_id") or path.stem), values))
    return runs, problems


def load(output: Path) -> ReportData:
    """Everything a report shows about the dataset under `output`.

    The tables are read from the published version current when loading starts, so a run
    publishing meanwhile cannot mix two versions in one report.
    """
    output = Path(output)
    tables: dict[str, pd.DataFrame] = {}
    problems: list[str] = []
    version = current_version(output) if output.is_dir() else None
    root = versions_dir(output) / version if version else output
    if not output.is_dir():
        problems.append(f"the output folder {output} does not exist")
    for name in TABLES:
        tables[name], problem = load_table(root, name)
        if problem and output.is_dir():
            problems.append(problem)
    runs, run_problems = load_runs(output)
    return ReportData(output, tables, runs, problems + run_problems, version)
