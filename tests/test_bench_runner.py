"""The benchmark runner's BENCHMARKS.md, built from canned results (the benchmarks never run
here): goals met and missed, figures with their spread, and rows for broken scripts."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCHMARKS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


run_all = load("run_all")
results = load("_results")

MACHINE = {"Date": "2026-01-02 03:04 UTC", "CPU": "Test CPU 9000", "Cores": "2",
           "Memory": "8.0 GiB", "Python": "CPython 3.11.7", "Packages": "scrapy 2.11.0",
           "Commit": "abc1234"}


def canned_line(name: str, figures: dict, ratios: list, notes=()) -> str:
    return json.dumps({"name": name, "figures": figures, "ratios": ratios, "notes": list(notes)})


def extract_outcome():
    line = canned_line(
        "extract_speed",
        {"gpscrape extract_page": results.figure([0.003, 0.001, 0.002], "ms/page", 1e3)},
        [results.ratio("extract / lxml floor", 5.5, "<= 4"),
         results.ratio("trafilatura / extract speed-up", 13.25, ">= 12", runs=[12.5, 14.0])],
        ["300 mirror pages"])
    return run_all.outcome_from_output("extract_speed", ["human line", line], 12.0)


def rows_by_measure(text: str) -> dict[str, list[str]]:
    rows = [line.strip("|").split(" | ") for line in text.splitlines() if line.startswith("| ")]
    return {cells[1].strip(): [c.strip() for c in cells] for cells in rows if len(cells) > 2}


def test_figures_round_trip_to_median_and_spread() -> None:
    outcome = extract_outcome()
    assert outcome.status == "ok" and outcome.output == ["human line"]
    rows = rows_by_measure(run_all.render(MACHINE, [outcome]))
    assert rows["gpscrape extract_page"] == ["extract_speed", "gpscrape extract_page", "2",
                                             "1-3", "3", "ms/page"]


def test_goals_say_met_missed_or_informs() -> None:
    informing = run_all.outcome_from_output("date_parsing", [canned_line(
        "date_parsing", {}, [results.ratio("default dateparser wrong", 12)])], 1.0)
    rows = rows_by_measure(run_all.render(MACHINE, [extract_outcome(), informing]))
    assert rows["extract / lxml floor"][2:] == ["5.5", "", "<= 4", "MISSED"]
    assert rows["trafilatura / extract speed-up"][2:] == ["13.2", "12.5-14", ">= 12", "met"]
    assert rows["default dateparser wrong"][2:] == ["12", "", "-", "informs"]


def test_machine_table_lists_every_item() -> None:
    text = run_all.render(MACHINE, [extract_outcome()])
    for key, value in MACHINE.items():
        assert f"| {key} | {value} |" in text


def test_broken_scripts_get_a_row_each() -> None:
    outcomes = [
        run_all.Outcome("rebuild_speed", "missing", reason="benchmarks/rebuild_speed.py does "
                        "not exist"),
        run_all.Outcome("memory_crawl", "timeout", 900.0, reason="stopped after 900 s"),
        run_all.outcome_from_output("crawl_throughput", ["only human output"], 3.0),
        run_all.outcome_from_output("date_parsing", ['{"name": "date_parsing"'], 3.0),
    ]
    goals = run_all.render(MACHINE, outcomes).split("## Goals")[1].split("## Figures")[0]
    broken = [line for line in goals.splitlines()
              if line.startswith("| ") and ("script" in line or "no result" in line)]
    assert [line.split(" | ")[0].strip("| ") for line in broken] == [
        "rebuild_speed", "memory_crawl", "crawl_throughput", "date_parsing"]
    assert "script missing: benchmarks/rebuild_speed.py does not exist" in broken[0]
    assert "script timed out" in broken[1]


def test_pipes_in_cells_are_escaped() -> None:
    outcome = run_all.Outcome("x", "failed", 1.0, reason="exit 1: a | b")
    line = next(line for line in run_all.render(MACHINE, [outcome]).splitlines()
                if line.startswith("| x |"))
    assert "a \\| b" in line and line.count(" | ") == 5


@pytest.mark.parametrize(("value", "text"), [
    (0, "0"), (25.0, "25"), (0.30867, "0.309"), (439.8, "440"), (3.02e-3, "0.00302"),
])
def test_numbers_keep_three_significant_digits(value, text) -> None:
    assert run_all.number(value) == text


@pytest.mark.parametrize(("value", "goal", "met"), [
    (4.0, "<= 4", True), (4.01, "<= 4", False), (0.85, ">= 0.85", True), (0.84, ">= 0.85", False),
    (0, "== 0", True), (1, "== 0", False),
])
def test_goals_are_judged_by_their_sign(value, goal, met) -> None:
    assert results.ratio("r", value, goal)["met"] is met


def test_a_goal_without_a_sign_is_refused() -> None:
    with pytest.raises(ValueError, match="goal must start"):
        results.goal_met(1.0, "4")


@pytest.fixture
def scripts_dir(tmp_path, monkeypatch):
    """A benchmarks folder of tiny scripts: one good, one failing, one too slow."""
    good = canned_line("good", {"f": results.figure([1.0, 2.0, 3.0], "s")}, [])
    (tmp_path / "good.py").write_text(f"print('human')\nprint({good!r})\n")
    (tmp_path / "bad.py").write_text("import sys\nsys.exit('broken on purpose')\n")
    (tmp_path / "slow.py").write_text("import time\ntime.sleep(30)\n")
    (tmp_path / "_helper.py").write_text("")
    monkeypatch.setattr(run_all, "HERE", tmp_path)
    monkeypatch.setattr(run_all, "PLANS", {"absent": run_all.Plan(),
                                           "slow": run_all.Plan(timeout=0.5)})
    return tmp_path


def test_runner_reports_each_script_without_crashing(scripts_dir) -> None:
    names = run_all.scripts()
    assert names == ["absent", "slow", "bad", "good"]
    outcomes = {name: run_all.run_script(name, quick=False) for name in names}
    assert {name: o.status for name, o in outcomes.items()} == {
        "absent": "missing", "slow": "timeout", "bad": "failed", "good": "ok"}
    assert outcomes["bad"].reason == "exit 1: broken on purpose"
    assert outcomes["good"].result["figures"]["f"]["median"] == 2.0
    assert outcomes["slow"].seconds < 10


def test_main_writes_the_file_and_exits_zero(scripts_dir, tmp_path, monkeypatch) -> None:
    output = tmp_path / "BENCHMARKS.md"
    monkeypatch.setattr(run_all, "machine", lambda: MACHINE)
    monkeypatch.setattr(sys, "argv", ["run_all.py", "--output", str(output), "--only", "bad",
                                      "--only", "good"])
    assert run_all.main() == 0
    text = output.read_text()
    assert "| good | f | 2 | 1-3 | 3 | s |" in text
    assert "script failed: exit 1: broken on purpose" in text
    assert text.count("\n- `") == 2 and "All scripts took" in text
