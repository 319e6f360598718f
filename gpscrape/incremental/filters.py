"""What a run keeps (`--series`, `--since`, `--limit`), recorded with its archive, and the
records its filters left out, remembered with the dataset.

- `RecordFilter`: the spider's rule for records, also applied when a killed run's archive is
  recovered; each WARC file's warcinfo record holds its run's filter (`info()`).
- `OUTPUT/.left-out.json`: the recordNo, URL, series and publication date of each record a
  filter left out and the dataset does not hold. A run whose filter leaves such a record out
  again does not request it; a run whose filter keeps it (an unfiltered run) requests it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from gpscrape.dataset.layout import fsync_dir

LEFT_OUT_FILE = ".left-out.json"
_INFO_PREFIX = "gpscrape-"


@dataclass(frozen=True, slots=True)
class RecordFilter:
    """Records of one canonical series (casefolded), published on or after `since` (a record
    without a publication date fails `since`), at most `limit` article records per run."""

    series: str | None = None
    since: date | None = None
    limit: int | None = None

    def keeps(self, series: str | None, published: date | None) -> bool:
        """Whether a record with this series and publication date passes (`limit` aside)."""
        if self.series and (series or "").casefold() != self.series.casefold():
            return False
        return not (self.since and (published is None or published < self.since))

    def info(self) -> dict[str, str]:
        """The filter as warcinfo fields (`gpscrape-series`, ...); only the ones set."""
        values = {"series": self.series, "since": self.since and self.since.isoformat(),
                  "limit": self.limit}
        return {_INFO_PREFIX + k: str(v) for k, v in values.items() if v is not None}

    @classmethod
    def from_info(cls, info: dict[str, str]) -> RecordFilter:
        """Inverse of `info()`; fields it does not hold are unset."""
        since = info.get(_INFO_PREFIX + "since")
        limit = info.get(_INFO_PREFIX + "limit")
        return cls(series=info.get(_INFO_PREFIX + "series") or None,
                   since=date.fromisoformat(since) if since else None,
                   limit=int(limit) if limit else None)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """A record a filter left out: enough to judge it again without fetching it."""

    record_no: int
    url: str
    series: str | None
    published: date | None


def load_left_out(output: Path) -> dict[int, LeftOut]:
    """The records filters left out of the dataset under `output` (empty when none)."""
    path = Path(output) / LEFT_OUT_FILE
    if not path.exists():
        return {}
    entries = {}
    for row in json.loads(path.read_text()):
        published = date.fromisoformat(row["published"]) if row.get("published") else None
        entries[row["record_no"]] = LeftOut(row["record_no"], row["url"], row.get("series"),
                                            published)
    return entries


def save_left_out(output: Path, added: Iterable[LeftOut], published: Iterable[int]) -> None:
    """Remember the records of `added`, forget those in `published` (now in the dataset);
    written atomically. Nothing is written when nothing changes."""
    entries = load_left_out(output)
    before = dict(entries)
    entries.update((entry.record_no, entry) for entry in added)
    for record_no in published:
        entries.pop(record_no, None)
    if entries == before:
        return
    rows = [{**asdict(e), "published": e.published and e.published.isoformat()}
            for _, e in sorted(entries.items())]
    path = Path(output) / LEFT_OUT_FILE
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(rows, indent=1) + "\n")
    os.replace(tmp, path)
    fsync_dir(path.parent)
