"""Coverage of a run's records (share with each field filled) and the records carrying
extractor warnings."""

from __future__ import annotations

from collections import Counter
from typing import Any

from gpscrape.extract.record import PageRecord
from gpscrape.extract.warnings import WARNINGS
from gpscrape.run_report.thresholds import RECORD_FIELDS

WARNED_PAGES_NAMED = 50  # warned pages named per code in the report (the counts stay exact)


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
