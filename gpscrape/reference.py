"""The configuration reference (docs/configuration.md), generated from the code.

Settings come from the source of `gpscrape/settings.py` (each assignment with the comment block
above it and its section header), commands and options from `gpscrape.cli.build_parser()`,
exit codes from `gpscrape/exit_codes.py`. `gpscrape docs --write docs/configuration.md`
writes it; a test fails when the file is stale.
"""

from __future__ import annotations

import argparse
import ast
import re
from dataclasses import dataclass
from pathlib import Path

from gpscrape import exit_codes, settings
from gpscrape.cli import build_parser
from gpscrape.config import PRECEDENCE

SCRAPY_SETTINGS_DOCS = "https://docs.scrapy.org/en/latest/topics/settings.html"
_HEADER = re.compile(r"^#\s*---\s*(?P<title>.*?)\s*-*\s*$")
_MAX_CELL = 60  # longer defaults go in a code block under the table


@dataclass(frozen=True, slots=True)
class Setting:
    """One module-level setting: its name, default as written, comment and section."""

    name: str
    default: str
    comment: str
    section: str
    grouped: bool  # shares the comment of the setting on the line above


def _source(module: object) -> str:
    return Path(module.__file__).read_text(encoding="utf-8")


def _comment_above(lines: list[str], first_line: int) -> list[str]:
    """The comment lines right above line `first_line` (1-based), without section headers."""
    start = first_line - 1
    while start > 0 and lines[start - 1].lstrip().startswith("#") \
            and not _HEADER.match(lines[start - 1].strip()):
        start -= 1
    return [line.strip().lstrip("#").strip() for line in lines[start:first_line - 1]]


def read_settings(source: str) -> list[Setting]:
    """Every UPPER_CASE assignment of a settings module's source, in order."""
    lines = source.splitlines()
    found: list[Setting] = []
    section, previous_end = "", 0
    for node in ast.parse(source).body:
        if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name) and node.targets[0].id.isupper()):
            continue
        for line in lines[previous_end:node.lineno - 1]:
            if header := _HEADER.match(line.strip()):
                section = header["title"]
        block = _comment_above(lines, node.lineno)
        grouped = not block and previous_end == node.lineno - 1 and bool(found)
        default = ast.get_source_segment(source, node.value) or ""
        found.append(Setting(node.targets[0].id, default, " ".join(block), section, grouped))
        previous_end = node.end_lineno
    return found


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _describe(setting: Setting, head: Setting) -> str:
    """The setting's comment without its `NAME:` prefix; a grouped setting points at the head
    of its group; Scrapy's own settings without a comment link to Scrapy's reference."""
    if setting.grouped and head.comment:
        return f"see `{head.name}`"
    if not setting.comment:
        return "" if setting.name.startswith("GPSCRAPE_") else \
            f"Scrapy's setting ([reference]({SCRAPY_SETTINGS_DOCS}))"
    # `GPSCRAPE_X: text` or `GPSCRAPE_X / _Y: text` -> `text`
    head_text, sep, rest = setting.comment.partition(": ")
    return rest if sep and head_text.startswith(setting.name) else setting.comment


def settings_markdown() -> list[str]:
    """The settings part: one table per section of settings.py."""
    lines = [
        "## Settings", "",
        "Defined in `gpscrape/settings.py` (the Scrapy project settings). Defaults are shown as "
        "written in the code. Every command that reads the settings takes `-s NAME=VALUE` "
        "(`scrapy crawl` too), and each command resolves them the same way "
        "(`gpscrape/config.py`); a setting's value is the last of these that gives one:", "",
        *[f"{number}. {source}" for number, source in enumerate(PRECEDENCE, start=1)], "",
        "The output root is `GPSCRAPE_OUTPUT`; the WARC archive is in `GPSCRAPE_WARC_DIR` "
        "(default `OUTPUT/warc`), the run reports in `OUTPUT/runs`; `DOWNLOAD_MAXSIZE` caps a "
        "body, decoded, both when it is fetched and when the archive is replayed (`reextract`, "
        "the recovery of a crawl cut short); `gpscrape.read` takes `GPSCRAPE_OUTPUT` from the "
        "environment, else its default (`gpscrape/locations.py`).",
    ]
    found = read_settings(_source(settings))
    blocks: list[tuple[str, str]] = []
    previous: Setting | None = None
    head = found[0]
    for setting in found:
        if not setting.grouped:
            head = setting
        if previous is None or setting.section != previous.section:
            lines += ["", f"### {setting.section or 'Scrapy project'}", "",
                      "| setting | default | meaning |", "|---|---|---|"]
        default = f"`{_cell(setting.default)}`"
        if len(setting.default) > _MAX_CELL or "\n" in setting.default:
            default = "(below)"
            blocks.append((setting.name, setting.default))
        lines.append(f"| `{setting.name}` | {default} | {_cell(_describe(setting, head))} |")
        previous = setting
    for name, value in blocks:
        lines += ["", f"Default of `{name}`:", "", "```python", value, "```"]
    return lines


def _default(action: argparse.Action) -> str:
    if action.required or (not action.option_strings and action.nargs is None):
        return "required"
    if isinstance(action, argparse._StoreConstAction):  # a flag (store_true included)
        return "on" if action.default is True else "off"
    if action.default in (None, [], argparse.SUPPRESS):
        return "—"  # nothing given: the help says what applies
    return f"`{action.default}`"


def _option(action: argparse.Action) -> str:
    if not action.option_strings:
        return f"`{action.metavar or action.dest}`"
    takes_value = action.nargs != 0
    metavar = action.metavar or action.dest.upper()
    return ", ".join(f"`{flag} {metavar}`" if takes_value else f"`{flag}`"
                     for flag in action.option_strings)


def _options_table(parser: argparse.ArgumentParser) -> list[str]:
    rows = [
        f"| {_option(a)} | {_default(a)} | {_cell(a.help or '')} |"
        for a in parser._actions
        if not isinstance(a, argparse._HelpAction | argparse._SubParsersAction)
    ]
    if not rows:
        return ["No options."]
    return ["| option | default | meaning |", "|---|---|---|", *rows]


def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Every command's parser, by name, in the CLI's order."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def commands_markdown(parser: argparse.ArgumentParser) -> list[str]:
    """The CLI part: the top-level options, then one section per command."""
    lines = ["## Commands", "", f"`{parser.prog} [--version] COMMAND [options]`; "
             f"`{parser.prog} COMMAND --help` prints the same options. A default of `—` "
             "means the option is off unless given; its help says what applies then.", "",
             *_options_table(parser)]
    for name, command in commands(parser).items():
        lines += ["", f"### `{parser.prog} {name}`", "", command.description or "", "",
                  *_options_table(command)]
    return lines


def exit_codes_markdown() -> list[str]:
    """The exit codes with the comment of each."""
    source = _source(exit_codes)
    lines = ["## Exit codes", "", "| code | name | meaning |", "|---|---|---|"]
    for number, line in enumerate(source.splitlines(), start=1):
        if match := re.match(r"^([A-Z_]+) = (\d+)\s*#\s*(.*)$", line):
            name, code, meaning = match.groups()
            assert getattr(exit_codes, name) == int(code), f"exit_codes.py line {number}"
            lines.append(f"| {code} | `{name}` | {_cell(meaning)} |")
    return lines


def configuration_reference() -> str:
    """The whole of docs/configuration.md."""
    lines = [
        "# Configuration reference", "",
        "Generated from `gpscrape/settings.py`, the command-line parser and "
        "`gpscrape/exit_codes.py` by `make docs` (`gpscrape docs --write "
        "docs/configuration.md`); do not edit by hand.", "",
        *commands_markdown(build_parser()), "",
        *settings_markdown(), "",
        *exit_codes_markdown(),
    ]
    return "\n".join(lines) + "\n"
