"""gpscrape: the NIAS Global Politics website as clean, typed Parquet datasets.

`gpscrape.read("articles", output="output")` loads a published table into pandas with native
dtypes (see docs/index.md, "Reading the tables").
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "read"]


def __getattr__(name: str) -> Any:
    """`read` is imported on first use: it needs pandas (about 50 MiB), which only the
    analysts' read path uses, so a crawl, which imports `gpscrape`, never loads it."""
    if name == "read":
        from gpscrape.dataset.read import read  # noqa: PLC0415 (pandas only when asked for)

        return read
    raise AttributeError(f"module 'gpscrape' has no attribute {name!r}")
