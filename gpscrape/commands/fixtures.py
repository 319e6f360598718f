"""`gpscrape fixtures [--update] [--case NAME] [--root DIR]`: re-run the extractor over the
fixture corpus and compare with each case's `expected.json`.

A case is a folder holding `page.html`, `meta.json` (with the page's `url`) and
`expected.json` (the page record as `gpscrape extract` prints it). Without `--update` the
command prints a unified diff per differing case and exits 1 if any differ; with `--update` it
rewrites `expected.json` from the extractor and prints the diff it applied.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gpscrape import exit_codes
from gpscrape.extract import ExtractError, extract_page

HELP = "Re-run the extractor over the fixture corpus; diff against (or --update) expected.json."
DEFAULT_ROOT = Path("tests/fixtures/pages")


@dataclass(frozen=True, slots=True)
class FixtureCase:
    """One fixture folder: the saved page, its metadata and the expected record."""

    name: str
    folder: Path

    @property
    def page_path(self) -> Path:
        return self.folder / "page.html"

    @property
    def expected_path(self) -> Path:
        return self.folder / "expected.json"

    @property
    def meta(self) -> dict[str, Any]:
        return json.loads((self.folder / "meta.json").read_text(encoding="utf-8"))

    @property
    def url(self) -> str:
        return self.meta["url"]


def load_cases(root: Path, only: str | None = None) -> list[FixtureCase]:
    """Every case folder under `root` (those holding a `meta.json`), sorted by name."""
    cases = [
        FixtureCase(path.parent.name, path.parent)
        for path in sorted(root.glob("*/meta.json"))
        if only is None or path.parent.name == only
    ]
    return cases


def record_json(record: dict[str, Any]) -> str:
    """The canonical text of a record: the exact form `gpscrape extract` prints."""
    return json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--update", action="store_true",
                        help="rewrite expected.json from the extractor's output")
    parser.add_argument("--case", metavar="NAME", help="only this case (its folder name)")
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT,
                        help=f"the fixture root (default: {DEFAULT_ROOT})")


def run(args: argparse.Namespace) -> int:
    if not args.root.is_dir():
        print(f"gpscrape fixtures: no fixture root at {args.root}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    cases = load_cases(args.root, args.case)
    if not cases:
        wanted = f"case {args.case!r}" if args.case else "cases"
        print(f"gpscrape fixtures: no {wanted} under {args.root}", file=sys.stderr)
        return exit_codes.BAD_INPUT

    differing = failed = 0
    for case in cases:
        try:
            record = extract_page(case.page_path.read_bytes(), case.url)
        except ExtractError as error:
            failed += 1
            print(f"{case.name}: extractor error: {error.reason}")
            continue
        actual = record_json(record.to_dict())
        expected = (case.expected_path.read_text(encoding="utf-8")
                    if case.expected_path.exists() else "")
        if actual == expected:
            continue
        differing += 1
        sys.stdout.writelines(difflib.unified_diff(
            expected.splitlines(keepends=True), actual.splitlines(keepends=True),
            fromfile=f"{case.name}/expected.json", tofile=f"{case.name}/actual"))
        if args.update:
            case.expected_path.write_text(actual, encoding="utf-8")

    verb = "updated" if args.update else "differ"
    print(f"{len(cases)} case(s): {differing} {verb}, {failed} extractor error(s)", file=sys.stderr)
    if failed or (differing and not args.update):
        return exit_codes.CHECKS_FAILED
    return exit_codes.OK
