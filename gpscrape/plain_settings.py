"""The project settings without Scrapy, for a command that runs no crawl (`gpscrape reextract`).

Importing Scrapy (Twisted, its reactor, TLS) costs about 0.3 s of CPU, as much as rebuilding
several hundred pages. A command that only reads its settings resolves them here, from the same
sources in the same order as `gpscrape.config.command_settings` (`gpscrape.config.PRECEDENCE`),
into `PlainSettings`: what such a command reads (`get`, `getwithbase`) answers as Scrapy's
`Settings` would.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

from gpscrape import settings as defaults


class PlainSettings:
    """Resolved settings: the values, each from its highest source."""

    def __init__(self, values: Mapping[str, Any]) -> None:
        self._values = dict(values)

    def get(self, name: str, default: Any = None) -> Any:
        return self._values.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def getwithbase(self, name: str) -> dict[Any, Any]:
        """A dictionary setting over its `_BASE` (Scrapy's has none of the names read here);
        either may be JSON text, as `-s` gives it."""
        return {**self._dict(f"{name}_BASE"), **self._dict(name)}

    def _dict(self, name: str) -> dict[Any, Any]:
        value = self._values.get(name) or {}
        return dict(json.loads(value) if isinstance(value, str) else value)


def plain_settings(overrides: Iterable[tuple[str, Any]] = (),
                   flags: Mapping[str, Any] | None = None) -> PlainSettings:
    """The project settings with the environment, the `-s` `overrides` and the command's
    `flags` (None: not given) on top, as `gpscrape.config.command_settings` gives them."""
    values = {name: getattr(defaults, name) for name in dir(defaults) if name.isupper()}
    values.update(defaults.from_environment(os.environ))
    values.update(overrides)
    values.update({name: value for name, value in (flags or {}).items() if value is not None})
    return PlainSettings(values)
