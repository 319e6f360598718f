"""Run every benchmark in `benchmarks/` and write BENCHMARKS.md (what `make bench` does).

Each script runs in its own process group with `--json` and the arguments below, under a
time limit; its last output line is its JSON result (`benchmarks/_results.py`). BENCHMARKS.md
gets the machine, every goal (met or MISSED), every figure as median and min-max over its runs,
and a row for each script that is missing, failed, timed out or printed no result. Benchmarks
inform, tests gate: the exit code is 0 whatever the figures.

    .venv/bin/python benchmarks/run_all.py [--output BENCHMARKS.md] [--quick] [--only NAME]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


@dataclass(frozen=True)
class Plan:
    """How the runner calls one script: full-run arguments, quick arguments, time limit."""

    full: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()
    timeout: float = 300.0


# The benchmarks the issue asks for; a missing one still gets its row. Other scripts found in
# benchmarks/ run with no arguments.
PLANS: dict[str, Plan] = {
    "extract_speed": Plan(("--pages", "300", "--rounds", "5"), ("--pages", "20", "--rounds", "3")),
    "date_parsing": Plan(("--rounds", "5"), ("--rounds", "3")),
    "crawl_throughput": Plan(("--records", "500", "--repeats", "5"),
                             ("--records", "40", "--repeats", "3"), timeout=600.0),
    "memory_crawl": Plan((), ("--small", "100", "--large", "300", "--repeats", "1"),
                         timeout=2400.0),
    "rebuild_speed": Plan((), ("--records", "60"), timeout=300.0),
    "incremental_requests": Plan(("--records", "300", "--rounds", "3"),
                                 ("--records", "30", "--rounds", "3")),
    "warnings_mirror": Plan(("--records", "1000"), ("--records", "60")),
}
PACKAGES = ("scrapy", "twisted", "lxml", "parsel", "dateparser", "pandas", "pyarrow",
            "warcio", "trafilatura")
NOT_SCRIPTS = {"run_all"}


@dataclass
class Outcome:
    """One script's run: `status` is ok, missing, failed, timeout or no-result."""

    name: str
    status: str
    seconds: float = 0.0
    result: dict[str, Any] | None = None
    reason: str = ""
    output: list[str] = field(default_factory=list)


def scripts(only: list[str] | None = None) -> list[str]:
    """Names of the benchmarks to run: the planned ones, then any other script found."""
    found = sorted(p.stem for p in HERE.glob("*.py")
                   if not p.stem.startswith("_") and p.stem not in NOT_SCRIPTS)
    names = list(PLANS) + [name for name in found if name not in PLANS]
    return [name for name in names if not only or name in only]


def run_script(name: str, quick: bool) -> Outcome:
    """Run one benchmark with `--json` and read its result; never raises for the script's sake."""
    path = HERE / f"{name}.py"
    if not path.exists():
        return Outcome(name, "missing", reason=f"benchmarks/{name}.py does not exist")
    plan = PLANS.get(name, Plan())
    command = [sys.executable, str(path), "--json", *(plan.quick if quick else plan.full)]
    started = time.monotonic()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        child = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, text=True,
                                 start_new_session=True)
        try:
            code = child.wait(timeout=plan.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            code = None
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        lines, errors = out.read().splitlines(), err.read().splitlines()
    if code is None:
        return Outcome(name, "timeout", seconds, reason=f"stopped after {plan.timeout:.0f} s",
                       output=lines)
    if code != 0:
        last = next((line for line in reversed(errors) if line.strip()), "no error output")
        return Outcome(name, "failed", seconds, reason=f"exit {code}: {last.strip()}",
                       output=lines)
    return outcome_from_output(name, lines, seconds)


def outcome_from_output(name: str, lines: list[str], seconds: float) -> Outcome:
    """The outcome of a script that exited 0: its JSON result line, or no-result."""
    try:
        result = json.loads(lines[-1]) if lines else None
    except json.JSONDecodeError:
        result = None
    if not isinstance(result, dict) or not isinstance(result.get("figures"), dict):
        return Outcome(name, "no-result", seconds,
                       reason="exited 0 without a JSON result line (no --json support?)",
                       output=lines)
    return Outcome(name, "ok", seconds, result=result, output=lines[:-1])


def machine() -> dict[str, str]:
    """CPU model, cores, memory, Python, key package versions, date, commit and load."""
    cpu = platform.processor() or platform.machine()
    memory = "unknown"
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = next(line.split(":", 1)[1].strip() for line in info.splitlines()
                   if line.startswith("model name"))
        total_kib = next(int(line.split()[1]) for line in
                         Path("/proc/meminfo").read_text().splitlines()
                         if line.startswith("MemTotal:"))
        memory = f"{total_kib / 2**20:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    return {
        "Date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "Memory": memory,
        "OS": f"{platform.system()} {platform.release()}",
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "Packages": ", ".join(versions),
        "Commit": commit or "unknown",
        "Load average at start": " / ".join(f"{load:.1f}" for load in os.getloadavg()),
    }


def number(value: float) -> str:
    """A figure for the table: three significant digits, no exponent below a million."""
    if value == int(value) and abs(value) < 1e6:
        return str(int(value))
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.3g}"


def spread(entry: dict[str, Any]) -> str:
    """`min-max` of a figure or repeated ratio, or an empty cell for a single run."""
    if entry.get("runs", 1) < 2 or "min" not in entry:
        return ""
    return f"{number(entry['min'])}-{number(entry['max'])}"


def status_word(met: bool | None) -> str:
    return {True: "met", False: "MISSED", None: "informs"}[met]


STATUS_TEXT = {"missing": "script missing", "failed": "script failed",
               "timeout": "script timed out", "no-result": "no result"}


def goal_rows(outcomes: list[Outcome]) -> list[list[str]]:
    """Benchmark, measure, value, min-max, goal, status: one row per ratio or broken script."""
    rows = []
    for outcome in outcomes:
        if outcome.result is None:
            rows.append([outcome.name, "-", "-", "", "-",
                         f"{STATUS_TEXT[outcome.status]}: {outcome.reason}"])
            continue
        for entry in outcome.result.get("ratios", []):
            rows.append([outcome.name, entry["name"], number(entry["value"]), spread(entry),
                         entry.get("goal") or "-", status_word(entry.get("met"))])
    return rows


def figure_rows(outcomes: list[Outcome]) -> list[list[str]]:
    """Benchmark, figure, median, min-max, runs, unit: one row per figure."""
    return [[outcome.name, name, number(entry["median"]), spread(entry), str(entry["runs"]),
             entry["unit"]]
            for outcome in outcomes if outcome.result
            for name, entry in outcome.result["figures"].items()]


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table; `|` inside cells is escaped."""
    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return [line(header), line(["---"] * len(header)), *(line(row) for row in rows)]


def render(info: dict[str, str], outcomes: list[Outcome]) -> str:
    """The whole BENCHMARKS.md text."""
    lines = ["# Benchmarks", "",
             "Written by `make bench` (`benchmarks/run_all.py`); do not edit by hand. Benchmarks "
             "inform, tests gate: a missed goal is reported here, it fails nothing.", "",
             "## Machine", "", *table(["", ""], [[key, value] for key, value in info.items()]),
             "", "## Goals", "",
             *table(["Benchmark", "Measure", "Value", "Min-max", "Goal", "Status"],
                    goal_rows(outcomes)),
             "", "## Figures", "",
             "Median and min-max over the runs (a single run has no min-max).", "",
             *table(["Benchmark", "Figure", "Median", "Min-max", "Runs", "Unit"],
                    figure_rows(outcomes)),
             "", "## Runs", "",
             f"All scripts took {sum(o.seconds for o in outcomes) / 60:.1f} min.", ""]
    for outcome in outcomes:
        notes = "; ".join(outcome.result.get("notes", [])) if outcome.result else outcome.reason
        took = f", {outcome.seconds:.0f} s" if outcome.status != "missing" else ""
        lines.append(f"- `{outcome.name}` ({outcome.status}{took}): {notes}")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "BENCHMARKS.md")
    parser.add_argument("--quick", action="store_true",
                        help="small sizes, to check the runner (figures not meaningful)")
    parser.add_argument("--only", action="append", help="run only this benchmark (repeatable)")
    args = parser.parse_args()
    outcomes = []
    for name in scripts(args.only):
        print(f"== {name}", flush=True)
        outcome = run_script(name, args.quick)
        print("\n".join(outcome.output))
        print(f"== {name}: {outcome.status} {outcome.reason} ({outcome.seconds:.0f} s)",
              flush=True)
        outcomes.append(outcome)
    text = render(machine(), outcomes)
    args.output.write_text(text)
    print()
    for name, measure, value, _, goal, status in goal_rows(outcomes):
        if measure == "-":
            print(f"{name}: {status}")
        else:
            print(f"{status:>8}  {name}: {measure} = {value} (goal {goal})")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
