"""Typed Parquet datasets: the streaming writer with atomic publishing.

The readers (`read`, `read_frame`, `read_arrow`) are in `gpscrape.dataset.read`: they need
pandas (about 50 MiB and 0.3 s to import), which a crawl never uses, so this package does not
import them.
"""

from gpscrape.dataset.layout import table_path
from gpscrape.dataset.writer import DatasetBusyError, DatasetWriter, PublishResult

__all__ = ["DatasetBusyError", "DatasetWriter", "PublishResult", "table_path"]
