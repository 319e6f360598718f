"""Typed Parquet datasets: the streaming writer with atomic publishing, and reading helpers."""

from gpscrape.dataset.read import read, read_arrow, read_frame, table_path
from gpscrape.dataset.writer import DatasetBusyError, DatasetWriter, PublishResult

__all__ = [
    "DatasetBusyError",
    "DatasetWriter",
    "PublishResult",
    "read",
    "read_arrow",
    "read_frame",
    "table_path",
]
