"""Reading a published dataset back (what tests, reports and checks use)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq

from gpscrape.schema import TABLES

if TYPE_CHECKING:
    import pandas as pd


def table_path(output: Path, name: str) -> Path:
    """The folder readers open for table `name` (e.g. `output/articles`)."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
    return Path(output) / name


def read_arrow(output: Path, name: str) -> pa.Table:
    """The published table as Arrow, with its declared schema."""
    return pq.read_table(table_path(output, name), schema=TABLES[name].schema)


def read_frame(output: Path, name: str) -> pd.DataFrame:
    """The published table as a pandas DataFrame (integers as `Int64`)."""
    import pandas as pd  # imported here: the crawl itself never needs pandas

    return pd.read_parquet(table_path(output, name))
