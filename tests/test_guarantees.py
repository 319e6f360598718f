"""The README's "What gpscrape guarantees" names, for each promise, the test that proves it:
every test it names must exist, so a renamed or deleted test cannot leave a promise unproved."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = re.compile(r"`(tests/\w+\.py)(?:::(\w+))?`")


def guarantees_section() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## What gpscrape guarantees")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else len(text)]


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)
            and node.name.startswith("test_")}


def test_every_named_test_exists() -> None:
    section = guarantees_section()
    references = REFERENCE.findall(section)
    assert len(references) >= 10
    missing = []
    for file, name in references:
        path = ROOT / file
        if not path.exists() or (name and name not in defined_tests(path)):
            missing.append(f"{file}::{name}" if name else file)
    assert missing == []
    for name in re.findall(r"`(test_\w+)`", section):  # a bare name belongs to the file before it
        assert any(name in defined_tests(ROOT / file) for file, _ in references), name
