"""The short table a run prints at its end: counts, warnings, checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gpscrape.run_report.counts import LABELS
from gpscrape.run_report.coverage import WARNED_PAGES_NAMED

if TYPE_CHECKING:
    from gpscrape.run_report.report import RunReport

WARNED_PAGES_PRINTED = 5  # warned pages printed per code (the report names more)


def render_table(report: RunReport) -> str:
    """The run's id, command and time, its counts (with the summary's labels), its warning
    codes with the first warned pages, and its checks."""
    width = max(len(label) for label in LABELS.values())
    lines = [f"run {report.run_id} ({report.command}, {report.seconds:.1f} s)"]
    lines += [f"  {LABELS[key]:<{width}}  {report.counts[key]:>7}"
              for key in LABELS if key in report.counts]
    lines += _warning_lines(report.warnings)
    for check in report.checks:
        lines.append(f"  {'ok  ' if check.passed else 'FAIL'} {check.name}: {check.message}")
    return "\n".join(lines)


def _warning_lines(warnings: dict) -> list[str]:
    """Per warning code: its count and meaning, then the first warned pages."""
    lines = []
    for code, entry in warnings.get("codes", {}).items():
        lines.append(f"  warning {code}: {entry['count']} pages ({entry['meaning']})")
        shown = entry["pages"][:WARNED_PAGES_PRINTED]
        lines += [f"    {page['record_no']}  {page['url']}" for page in shown]
        if entry["count"] > len(shown):
            lines.append(f"    ... {entry['count'] - len(shown)} more (the report names "
                         f"up to {WARNED_PAGES_NAMED})")
    return lines
