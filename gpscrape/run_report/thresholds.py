"""The limits a run is checked against, read from the settings (or the environment)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from gpscrape import settings
from gpscrape.extract.record import PageRecord

# The defaults live with the other settings; these names keep the fallbacks readable here.
DEFAULT_MAX_QUARANTINED = settings.GPSCRAPE_MAX_QUARANTINED
DEFAULT_MAX_ERROR_RATE = settings.GPSCRAPE_MAX_ERROR_RATE
DEFAULT_MIN_COVERAGE: dict[str, float] = settings.GPSCRAPE_MIN_COVERAGE
DEFAULT_COVERAGE_MIN_RECORDS = settings.GPSCRAPE_COVERAGE_MIN_RECORDS
# Text when set by the environment; Thresholds reads them with share() and count().
DEFAULT_MAX_WARNED = settings.GPSCRAPE_MAX_WARNED
DEFAULT_HISTORY_RUNS = settings.GPSCRAPE_HISTORY_RUNS
DEFAULT_HISTORY_MARGIN = settings.GPSCRAPE_HISTORY_MARGIN
RECORD_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PageRecord))


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
