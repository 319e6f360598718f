"""The folders and size caps of a run, derived from its settings alone (`Locations.of`).

Every command resolves its settings with `gpscrape.config.command_settings` (the one order of
defaults, environment, `-s` and flags) and reads its folders here; the crawl's components read
them from the crawler's settings the same way. Light on purpose: `gpscrape.read` uses it too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gpscrape import settings as defaults

WARC_DIR = "warc"  # under the output root, unless GPSCRAPE_WARC_DIR says otherwise
RUNS_DIR = "runs"  # run reports: OUTPUT/runs/<run id>.json


def _value(settings: Any, name: str) -> Any:
    """Setting `name`, or its default in settings.py when unset or empty."""
    value = settings.get(name)
    return getattr(defaults, name) if value is None or value == "" else value


def output_root(settings: Any) -> Path:
    """The output root (GPSCRAPE_OUTPUT) of these settings."""
    return Path(_value(settings, "GPSCRAPE_OUTPUT"))


def runs_dir(output: Path) -> Path:
    """Where the run reports of the dataset under `output` are."""
    return Path(output) / RUNS_DIR


@dataclass(frozen=True, slots=True)
class Locations:
    """The folders and size caps of one set of resolved settings."""

    output: Path  # GPSCRAPE_OUTPUT: the published tables
    warc: Path  # GPSCRAPE_WARC_DIR, else OUTPUT/warc: the archive
    runs: Path  # OUTPUT/runs: the run reports
    warc_max_bytes: int  # GPSCRAPE_WARC_MAX_BYTES: a WARC file is rolled over at this size
    max_body: int  # DOWNLOAD_MAXSIZE (0: no cap): a larger body, decoded, is refused when
    # fetched and when the archive is replayed

    @classmethod
    def of(cls, settings: Any) -> Locations:
        """From Scrapy settings (or any mapping with `get`); unset ones take their defaults."""
        output = output_root(settings)
        warc = _value(settings, "GPSCRAPE_WARC_DIR")
        return cls(
            output=output,
            warc=Path(warc) if warc else output / WARC_DIR,
            runs=runs_dir(output),
            warc_max_bytes=int(_value(settings, "GPSCRAPE_WARC_MAX_BYTES")),
            max_body=int(_value(settings, "DOWNLOAD_MAXSIZE")),
        )

    @classmethod
    def from_environment(cls) -> Locations:
        """Those of the defaults and the environment alone, read now (no command line):
        where `gpscrape.read` looks when not told."""
        return cls.of(defaults.from_environment(os.environ))
