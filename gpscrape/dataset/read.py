"""Reading a published dataset back: as Arrow, and as pandas with native dtypes (`read`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from gpscrape.dataset.layout import table_path
from gpscrape.locations import Locations
from gpscrape.schema import TABLES, Column

__all__ = ["pandas_dtype", "read", "read_arrow", "read_frame", "table_path"]

# The pandas dtype `read` gives each kind of column (docs/index.md, "Reading the tables").
CATEGORY = "category"
INT_DTYPE = "Int64"
DATE_DTYPE = "datetime64[ms]"
LIST_DTYPE = "object"  # Python lists: `len(x)` and `x in` work, and an empty list is []


def read_arrow(output: Path, name: str) -> pa.Table:
    """The published table as Arrow, with its declared schema."""
    path = table_path(output, name)
    if not path.exists():
        raise FileNotFoundError(f"no table {name!r} under {output}: nothing published there yet")
    return pq.read_table(path, schema=TABLES[name].schema)


def read_frame(output: Path, name: str) -> pd.DataFrame:
    """The published table as pandas reads Parquet by itself (integers as `Int64`, dates as
    `datetime.date` objects, lists as numpy arrays); analysts want `read`."""
    return pd.read_parquet(table_path(output, name))


def read(name: str, output: str | Path | None = None) -> pd.DataFrame:
    """Table `name` of the dataset published under `output` (default: env GPSCRAPE_OUTPUT,
    else `output`) as a pandas DataFrame with native dtypes: integers `Int64`, dates
    `datetime64[ms]`, timestamps `datetime64[us, UTC]`, lists as Python lists, coded text
    (`series`, `kind`...) as `category`, other text as pandas' string dtype. Raises KeyError
    for an unknown table, FileNotFoundError when it is absent."""
    root = Path(output) if output is not None else Locations.from_environment().output
    table = read_arrow(root, name)
    return pd.DataFrame({column.name: _series(table.column(column.name), column)
                         for column in TABLES[name].columns})


def pandas_dtype(column: Column) -> str | None:
    """The dtype `read` gives `column`; None for pandas' own choice (text: its string dtype)."""
    kind = column.type
    if column.vocabulary is not None:
        return CATEGORY
    if pa.types.is_integer(kind):
        return INT_DTYPE
    if pa.types.is_date(kind):
        return DATE_DTYPE
    if pa.types.is_timestamp(kind):
        return f"datetime64[{kind.unit}, {kind.tz}]" if kind.tz else f"datetime64[{kind.unit}]"
    if pa.types.is_list(kind):
        return LIST_DTYPE
    return None


def _series(values: pa.ChunkedArray, column: Column) -> pd.Series:
    dtype = pandas_dtype(column)
    if dtype == LIST_DTYPE:
        return pd.Series(values.to_pylist(), dtype=object)
    if dtype == CATEGORY:
        seen = {v for v in values.to_pylist() if v is not None}
        declared = list(column.vocabulary or ())
        categories = declared + sorted(seen.difference(declared))
        return pd.Series(pd.Categorical(values.to_pylist(), categories=categories))
    converted = values.to_pandas(date_as_object=False)
    return converted if dtype is None else converted.astype(dtype)
