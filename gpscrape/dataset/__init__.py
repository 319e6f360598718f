"""Typed Parquet datasets: the streaming writer with atomic publishing, and reading helpers.

The readers (`read`, `read_frame`, `read_arrow`, in `gpscrape.dataset.read`) need pandas
(about 50 MiB and 0.3 s to import), which a crawl never uses: they are loaded on first use
(PEP 562), so importing the writer does not import pandas.
"""

from importlib import import_module
from typing import Any

from gpscrape.dataset.layout import table_path
from gpscrape.dataset.writer import DatasetBusyError, DatasetWriter, PublishResult

_READERS = frozenset({"read", "read_arrow", "read_frame"})

__all__ = [
    "DatasetBusyError",
    "DatasetWriter",
    "PublishResult",
    "read",
    "read_arrow",
    "read_frame",
    "table_path",
]


def __getattr__(name: str) -> Any:
    if name in _READERS:
        return getattr(import_module("gpscrape.dataset.read"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
