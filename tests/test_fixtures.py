"""The extractor against the fixture corpus (one folder per page under tests/fixtures/pages).

Each case holds `page.html`, `meta.json` and a hand-written `expected.json`: the contract, not a
snapshot of the extractor. A failure lists every differing field path with expected and actual.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from gpscrape import exit_codes
from gpscrape.cli import main
from gpscrape.commands.fixtures import FixtureCase, load_cases, record_json
from gpscrape.extract import ExtractError, PageRecord, extract_page

REPO = Path(__file__).resolve().parents[1]
ROOT = REPO / "tests" / "fixtures" / "pages"
CASES = load_cases(ROOT)
STYLES = {"legacy", "pipe", "modern", "cwa"}
IGNORED_IN_GROUPS = {"url", "series_raw"}


def _expected(case: FixtureCase) -> dict[str, Any]:
    return json.loads(case.expected_path.read_text(encoding="utf-8"))


def _extract(case: FixtureCase) -> dict[str, Any]:
    return extract_page(case.page_path.read_bytes(), case.url).to_dict()


def field_differences(expected: Any, actual: Any, path: str = "record") -> list[str]:
    """Every path where `actual` differs from `expected`, with both values."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(actual)):
            sub = f"{path}.{key}"
            if key not in actual:
                out.append(f"{sub}: missing in actual (expected {expected[key]!r})")
            elif key not in expected:
                out.append(f"{sub}: unexpected key (actual {actual[key]!r})")
            else:
                out.extend(field_differences(expected[key], actual[key], sub))
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        out = []
        if len(expected) != len(actual):
            out.append(f"{path}: length expected {len(expected)}, actual {len(actual)}")
        for index, (exp, act) in enumerate(zip(expected, actual, strict=False)):
            out.extend(field_differences(exp, act, f"{path}[{index}]"))
        return out
    if expected != actual or type(expected) is not type(actual):
        return [f"{path}: expected {expected!r}, actual {actual!r}"]
    return []


def _assert_same(expected: dict[str, Any], actual: dict[str, Any], label: str) -> None:
    differences = field_differences(expected, actual)
    assert not differences, f"{label}: {len(differences)} field(s) differ:\n" + "\n".join(
        differences)


# ---------------------------------------------------------------- the corpus itself


def test_corpus_size_styles_and_groups() -> None:
    assert len(CASES) >= 34
    styles = {case.meta["style"] for case in CASES}
    assert styles >= STYLES, f"styles missing: {STYLES - styles}"
    groups: dict[str, set[str]] = defaultdict(set)
    for case in CASES:
        if case.meta["group"]:
            groups[case.meta["group"]].add(case.meta["style"])
    assert sum(len(s) >= 3 for s in groups.values()) >= 3, groups


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_case_files_are_well_formed(case: FixtureCase) -> None:
    meta = case.meta
    assert {"url", "covers", "style", "group"} <= set(meta)
    assert re.match(r"https?://(globalpolitics\.in|conflictreader\.org)/", meta["url"])
    assert meta["style"] in STYLES and meta["covers"]
    page = case.page_path.read_bytes()
    assert re.match(rb"(\xef\xbb\xbf)?(<\?xml[^>]*\?>\s*)?<!DOCTYPE html", page, re.I), (
        "a full page, doctype first")
    assert b"<script" in page.lower() and b"</html>" in page.lower()
    text = case.expected_path.read_text(encoding="utf-8")
    expected = json.loads(text)
    assert text == record_json(expected), "expected.json is not in canonical form"
    assert expected["url"] == meta["url"]
    # every key of the contract, and nothing that PageRecord cannot read back
    assert PageRecord.from_dict(expected).to_dict() == expected


def test_group_expectations_agree() -> None:
    """The hand-written records of one group differ only in url and series_raw."""
    for group, members in _groups().items():
        first, *rest = members
        for other in rest:
            _assert_same(_without(_expected(first)), _without(_expected(other)),
                         f"group {group}: {first.name} vs {other.name}")


# ---------------------------------------------------------------- (a) extractor vs expected


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_extractor_matches_expected(case: FixtureCase) -> None:
    _assert_same(_expected(case), _extract(case), case.name)


def test_field_differences_name_every_path() -> None:
    expected = {"a": 1, "topics": [{"sections": [{"kind": "other"}]}], "b": [1, 2]}
    actual = {"a": 2, "topics": [{"sections": [{"kind": "background"}]}], "b": [1], "c": None}
    assert field_differences(expected, actual) == [
        "record.a: expected 1, actual 2",
        "record.b: length expected 2, actual 1",
        "record.c: unexpected key (actual None)",
        "record.topics[0].sections[0].kind: expected 'other', actual 'background'",
    ]
    assert field_differences({"n": 1}, {"n": 1.0}) == ["record.n: expected 1, actual 1.0"]


# ---------------------------------------------------------------- (b) same content, any markup


def _groups() -> dict[str, list[FixtureCase]]:
    groups: dict[str, list[FixtureCase]] = defaultdict(list)
    for case in CASES:
        if case.meta["group"]:
            groups[case.meta["group"]].append(case)
    return dict(groups)


def _without(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in IGNORED_IN_GROUPS}


@pytest.mark.parametrize("group", sorted(_groups()))
def test_group_records_equal_across_markup(group: str) -> None:
    first, *rest = _groups()[group]
    reference = _without(_extract(first))
    for other in rest:
        _assert_same(reference, _without(_extract(other)),
                     f"group {group}: {first.name} vs {other.name}")


# ---------------------------------------------------------------- (c) the CLI prints the record


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_cli_extract_prints_expected(case: FixtureCase, capsys: pytest.CaptureFixture) -> None:
    code = main(["extract", str(case.page_path), "--url", case.url])
    captured = capsys.readouterr()
    assert code == exit_codes.OK, captured.err
    _assert_same(_expected(case), json.loads(captured.out), f"gpscrape extract {case.name}")


def test_cli_extract_as_a_process() -> None:
    case = next(c for c in CASES if c.name == "cw-065-pipe")
    done = subprocess.run(
        [sys.executable, "-m", "gpscrape", "extract", str(case.page_path), "--url", case.url],
        capture_output=True, check=False, cwd=REPO, timeout=120,
    )
    assert done.returncode == exit_codes.OK, done.stderr.decode()
    assert done.stdout.decode("utf-8") == case.expected_path.read_text(encoding="utf-8")


# ---------------------------------------------------------------- (d) bad input


def _truncated_page() -> bytes:
    page = (ROOT / "twtw-2019-246-legacy" / "page.html").read_bytes()
    return page[: page.index(b"Indian Institute of Science")]


BAD_INPUTS = {
    "empty": b"",
    "binary": bytes(range(256)) * 8 + b"\x89PNG\r\n\x1a\n\x00\x00",
    "plain-text": b"This is a plain note about the world this week, with no markup at all.\n",
    "truncated-in-header": _truncated_page(),
    "error-404": (b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>"
                  b"<h1>Not Found</h1><p>The requested URL was not found on this server.</p>"
                  b"</body></html>"),
}
BAD_URL = "https://globalpolitics.in/view_cir_articles.php?url=The%20World%20This%20Week&recordNo=9"


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_raises_with_reason(name: str) -> None:
    with pytest.raises(ExtractError) as caught:
        extract_page(BAD_INPUTS[name], BAD_URL)
    assert caught.value.reason.strip()


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_cli_bad_input_exit_code(name: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(BAD_INPUTS[name])
    with pytest.raises(ExtractError) as caught:
        extract_page(BAD_INPUTS[name], BAD_URL)
    code = main(["extract", str(page), "--url", BAD_URL])
    captured = capsys.readouterr()
    assert code == exit_codes.BAD_INPUT
    assert caught.value.reason in captured.err
    assert captured.out == ""


# ---------------------------------------------------------------- gpscrape fixtures


def _copy_case(tmp_path: Path, name: str) -> Path:
    source = ROOT / name
    target = tmp_path / "pages" / name
    target.mkdir(parents=True)
    for file in ("page.html", "meta.json", "expected.json"):
        (target / file).write_bytes((source / file).read_bytes())
    return target


def test_fixtures_command_reports_and_updates(tmp_path: Path,
                                              capsys: pytest.CaptureFixture) -> None:
    case = _copy_case(tmp_path, "cw-065-pipe")
    root = str(tmp_path / "pages")
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    wrong = dict(expected, title="A title the page does not carry")
    (case / "expected.json").write_text(record_json(wrong), encoding="utf-8")

    assert main(["fixtures", "--root", root]) == exit_codes.CHECKS_FAILED
    out = capsys.readouterr().out
    assert "--- cw-065-pipe/expected.json" in out
    assert '-  "title": "A title the page does not carry",' in out

    actual = _extract(FixtureCase("cw-065-pipe", case))
    assert main(["fixtures", "--root", root, "--update", "--case", "cw-065-pipe"]) == exit_codes.OK
    assert '-  "title": "A title the page does not carry",' in capsys.readouterr().out
    assert json.loads((case / "expected.json").read_text(encoding="utf-8")) == actual

    assert main(["fixtures", "--root", root]) == exit_codes.OK
    assert capsys.readouterr().out == ""


def test_fixtures_command_rejects_unknown_case_and_root(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture) -> None:
    _copy_case(tmp_path, "cw-065-pipe")
    assert main(["fixtures", "--root", str(tmp_path / "pages"), "--case", "nope"]) == (
        exit_codes.BAD_INPUT)
    assert "no case 'nope'" in capsys.readouterr().err
    assert main(["fixtures", "--root", str(tmp_path / "missing")]) == exit_codes.BAD_INPUT
    assert "no fixture root" in capsys.readouterr().err
