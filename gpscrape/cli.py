"""The `gpscrape` command line: parses options and hands over to one command module each.

Each module in `gpscrape.commands` exposes `HELP`, `add_arguments(parser)` and
`run(args) -> int` (the exit code). The parser needs every command's options, so every
command module is imported (by name, from `COMMANDS`).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from gpscrape import __version__

COMMANDS: tuple[str, ...] = (
    "extract", "schema", "crawl", "backfill", "demo", "fixtures", "mirror", "report", "docs",
    "reextract", "wacz",
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The full parser, with every command's options (used by the docs too); with `only`, the
    parser of that one command, which imports no other command's module."""
    parser = argparse.ArgumentParser(
        prog="gpscrape", description="NIAS Global Politics pages to typed Parquet datasets."
    )
    parser.add_argument("--version", action="version", version=f"gpscrape {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS if only is None else (only,):
        module = _command(name)
        command_parser = sub.add_parser(name, help=module.HELP, description=module.HELP)
        module.add_arguments(command_parser)
        command_parser.set_defaults(run=module.run)
    return parser


def _command(name: str):
    return importlib.import_module(f"gpscrape.commands.{name}")


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `gpscrape` script; returns the exit code."""
    argv = sys.argv[1:] if argv is None else argv
    # A command named first needs its own parser only (a crawl's modules are not a rebuild's).
    only = argv[0] if argv and argv[0] in COMMANDS else None
    args = build_parser(only).parse_args(argv)
    return int(args.run(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
