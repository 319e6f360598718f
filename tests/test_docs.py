"""The docs: the generated configuration reference is current and complete, links resolve."""

from __future__ import annotations

import argparse
import ast
import re
from pathlib import Path

import pytest

from gpscrape import exit_codes
from gpscrape.cli import build_parser
from gpscrape.reference import commands, configuration_reference, read_settings

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
CONFIGURATION = DOCS / "configuration.md"
PAGES = sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]
LINK = re.compile(r"\]\(([^)\s]+)\)")
GUARANTEES = "../README.md#what-gpscrape-guarantees"


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(line.lstrip("#")) for line in page.read_text(encoding="utf-8").splitlines()
            if line.startswith("#")}


def test_configuration_reference_is_up_to_date():
    written = CONFIGURATION.read_text(encoding="utf-8")
    assert written == configuration_reference(), \
        "stale: run make docs (gpscrape docs --write docs/configuration.md)"


def test_every_command_and_option_is_in_the_reference():
    text = CONFIGURATION.read_text(encoding="utf-8")
    parser = build_parser()
    for name, command in commands(parser).items():
        section = text.split(f"### `gpscrape {name}`\n", 1)
        assert len(section) == 2, f"command {name} is missing"
        body = section[1].split("\n### ", 1)[0]
        for action in command._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            for flag in action.option_strings or [action.metavar or action.dest]:
                assert f"`{flag}" in body, f"{name} {flag}"
            if action.help:
                assert action.help.replace("|", "\\|") in body, f"{name} {action.dest} help"


def test_every_setting_and_exit_code_is_in_the_reference():
    text = CONFIGURATION.read_text(encoding="utf-8")
    source = (ROOT / "gpscrape" / "settings.py").read_text(encoding="utf-8")
    names = [node.targets[0].id for node in ast.parse(source).body
             if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)
             and node.targets[0].id.isupper()]
    assert [s.name for s in read_settings(source)] == names
    for name in names:
        assert f"| `{name}` |" in text, name
    for name in ("OK", "CHECKS_FAILED", "USAGE", "BAD_INPUT"):
        assert f"| {getattr(exit_codes, name)} | `{name}` |" in text, name


def test_settings_comments_and_sections_are_read():
    source = '''
# --- politeness ----
# FOO_DELAY: seconds between requests.
FOO_DELAY = 1.0
FOO_MAX = 2

BAR = {
    "a": 1,
}
'''
    found = {s.name: s for s in read_settings(source)}
    assert found["FOO_DELAY"].comment == "FOO_DELAY: seconds between requests."
    assert found["FOO_DELAY"].section == "politeness"
    assert found["FOO_MAX"].grouped and not found["FOO_MAX"].comment
    assert not found["BAR"].grouped and found["BAR"].default == '{\n    "a": 1,\n}'


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_relative_links_resolve(page):
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        assert linked.exists(), f"{page.name}: {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked), f"{page.name}: {target}"


def test_guarantees_are_linked_not_copied():
    assert GUARANTEES in (DOCS / "index.md").read_text(encoding="utf-8")
    readme = ROOT / "README.md"
    if "what-gpscrape-guarantees" not in anchors(readme):
        pytest.skip("the README has no 'What gpscrape guarantees' section yet")
    section = readme.read_text(encoding="utf-8").split("## What gpscrape guarantees", 1)[1]
    first = next(line for line in section.split("## ")[0].splitlines() if len(line) > 40)
    for page in DOCS.glob("*.md"):
        assert first not in page.read_text(encoding="utf-8"), f"{page.name} copies the README"
