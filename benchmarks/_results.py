"""Machine-readable benchmark results: what each script's `--json` flag prints on its last line.

One JSON object per script, read by `benchmarks/run_all.py`::

    {"name": "extract_speed",
     "figures": {"lxml parse (floor)": {"median": 0.9, "min": 0.8, "max": 1.1, "unit": "ms/page",
                                        "runs": 5}},
     "ratios": [{"name": "extract / lxml floor", "value": 3.1, "goal": "<= 4", "met": true}],
     "notes": ["300 mirror pages, mean 21.4 KiB"]}

A ratio's `goal` is `null` when it only informs; `met` is then `null` too.
"""

from __future__ import annotations

import json
import operator
import statistics
from collections.abc import Sequence
from typing import Any

GOAL_OPERATORS = {"<=": operator.le, ">=": operator.ge, "==": operator.eq}


def figure(values: Sequence[float], unit: str, scale: float = 1.0) -> dict[str, Any]:
    """Median, min and max of one figure's runs, each multiplied by `scale`."""
    scaled = [value * scale for value in values]
    return {"median": statistics.median(scaled), "min": min(scaled), "max": max(scaled),
            "unit": unit, "runs": len(scaled)}


def goal_met(value: float, goal: str) -> bool:
    """Whether `value` meets `goal`, written as `"<= 4"`, `">= 0.85"` or `"== 0"`."""
    sign, _, bound = goal.partition(" ")
    if sign not in GOAL_OPERATORS:
        raise ValueError(f"goal must start with one of {sorted(GOAL_OPERATORS)}: {goal!r}")
    return GOAL_OPERATORS[sign](value, float(bound))


def ratio(name: str, value: float, goal: str | None = None,
          runs: Sequence[float] = ()) -> dict[str, Any]:
    """One ratio (or count) against its goal; `runs` gives its min-max when it was repeated."""
    entry: dict[str, Any] = {"name": name, "value": value, "goal": goal,
                             "met": None if goal is None else goal_met(value, goal)}
    if runs:
        entry.update(min=min(runs), max=max(runs), runs=len(runs))
    return entry


def emit(name: str, figures: dict[str, dict[str, Any]], ratios: list[dict[str, Any]],
         notes: Sequence[str] = ()) -> None:
    """Print the result object as the last line of output."""
    print(json.dumps({"name": name, "figures": figures, "ratios": ratios, "notes": list(notes)}),
          flush=True)
