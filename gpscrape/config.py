"""Where every command gets its settings: one order, one place.

A setting's value comes from the sources of `PRECEDENCE`, lowest first: the default in
`gpscrape/settings.py`, the environment, the command's own defaults, `-s NAME=VALUE`, the
command's flag. The configuration reference (docs/configuration.md) prints that list.

`command_settings` applies them; `gpscrape.locations.Locations.of(settings)` derives from the
result the output root, the WARC folder, the runs folder and the size caps, for the crawl and
every command that reads what it wrote (`reextract`, `report`, `wacz`). `gpscrape.read` has no
command line: it takes the defaults and the environment (`Locations.from_environment`).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from gpscrape import settings as defaults

if TYPE_CHECKING:
    from scrapy.settings import Settings

SETTINGS_MODULE = "gpscrape.settings"

PRECEDENCE: tuple[str, ...] = (
    "the default in `gpscrape/settings.py`",
    "an environment variable of the same name (`GPSCRAPE_*` settings only)",
    "the command's own defaults (`gpscrape demo` turns the delays off)",
    "`-s NAME=VALUE`, in the order given",
    "the command's flag for that setting (`--output`, `--warc`, `--dataset`, `--refresh`, "
    "`--revalidate`, `--max-quarantined`, `--max-error-rate`, `--min-coverage`, "
    "`--max-warned`)",
)


def setting_pair(text: str) -> tuple[str, str]:
    """argparse type for `-s NAME=VALUE`."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name.strip(), value


def add_settings_argument(parser: argparse.ArgumentParser) -> None:
    """The `-s NAME=VALUE` option (repeatable) of every command that reads the settings."""
    parser.add_argument("-s", dest="settings", metavar="NAME=VALUE", action="append",
                        type=setting_pair, default=[],
                        help="override a setting (repeatable; see docs/configuration.md)")


def command_settings(
    overrides: Iterable[tuple[str, Any]] = (),
    flags: Mapping[str, Any] | None = None,
    command_defaults: Mapping[str, Any] | None = None,
) -> Settings:
    """The project settings with the environment, `command_defaults`, the `-s` `overrides`
    and the command's `flags` (None: not given) on top, in the order of `PRECEDENCE`."""
    # Scrapy only when asked for: `gpscrape reextract` imports this module but resolves its
    # settings without Scrapy (gpscrape.plain_settings).
    from scrapy.utils.project import get_project_settings  # noqa: PLC0415

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", SETTINGS_MODULE)
    settings = get_project_settings()
    # Read again now: settings.py read it at import, and it may have changed since.
    settings.setdict(defaults.from_environment(os.environ), priority="project")
    settings.setdict(dict(command_defaults or {}), priority="cmdline")
    for name, value in overrides:
        settings.set(name, value, priority="cmdline")
    settings.setdict({name: value for name, value in (flags or {}).items() if value is not None},
                     priority="cmdline")
    return settings
