"""Rows to an Arrow table, a column at a time, built from buffers.

`pyarrow.array` of a Python list asks pandas whether the list is array-like, which imports
pandas (about 0.25 s of CPU and 50 MiB) into every crawl and rebuild that writes a table. The
writer's column types (`gpscrape.schema`: int64, string, date32, UTC timestamps in
microseconds and lists of them) are few and simple, so their buffers are built here and
handed to Arrow as they are. A value they cannot hold (the validator keeps such values out)
sends its column to `pyarrow.array`, which converts it or says why not.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

import pyarrow as pa

from gpscrape.schema import Row

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_EPOCH_DAY = 719163  # date(1970, 1, 1).toordinal()


def table_of(rows: list[Row], schema: pa.Schema) -> pa.Table:
    """The rows as a table of `schema` (a missing key is a null, as `Table.from_pylist`)."""
    return pa.Table.from_arrays(
        [column_of([row.get(f.name) for row in rows], f.type) for f in schema], schema=schema)


def column_of(values: list[Any], kind: pa.DataType) -> pa.Array:
    """The values as an Arrow array of type `kind`."""
    try:
        return _built(values, kind)
    except (TypeError, ValueError, OverflowError, UnicodeEncodeError, AttributeError):
        return pa.array(values, kind)


def _built(values: list[Any], kind: pa.DataType) -> pa.Array:
    validity, nulls = _validity(values)
    if pa.types.is_list(kind):
        lists = [() if v is None else v for v in values]
        if not all(type(v) in (list, tuple) for v in lists):
            raise TypeError("a list column holds a value that is not a list")
        offsets = array("i", accumulate(map(len, lists), initial=0))
        child = _built([item for v in lists for item in v], kind.value_type)
        return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(offsets)],
                                     null_count=nulls, children=[child])
    if pa.types.is_string(kind):
        encoded = [b"" if v is None else _text(v).encode() for v in values]
        offsets = array("i", accumulate(map(len, encoded), initial=0))
        return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(offsets),
                                                         pa.py_buffer(b"".join(encoded))],
                                     null_count=nulls)
    for test, code, number in _FIXED:
        if test(kind):
            data = array(code, [0 if v is None else number(v) for v in values])
            return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(data)],
                                         null_count=nulls)
    raise TypeError(f"no builder for {kind}")


def _validity(values: list[Any]) -> tuple[pa.Buffer | None, int]:
    """The validity bitmap of the values (None when none is null) and the null count."""
    nulls = sum(v is None for v in values)
    if not nulls:
        return None, 0
    bits = "".join("0" if v is None else "1" for v in reversed(values))
    return pa.py_buffer(int(bits, 2).to_bytes((len(values) + 7) // 8, "little")), nulls


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"not text: {type(value).__name__}")
    return value


def _integer(value: Any) -> int:
    if type(value) is not int:
        raise TypeError(f"not an integer: {type(value).__name__}")
    return value


def _microseconds(value: Any) -> int:
    if type(value) is not datetime or value.tzinfo is None:
        raise TypeError("not a timezone-aware datetime")
    return (value - _EPOCH) // _MICROSECOND


def _days(value: Any) -> int:
    if isinstance(value, datetime) or not hasattr(value, "toordinal"):
        raise TypeError("not a date")
    return value.toordinal() - _EPOCH_DAY


# Fixed-width types: how to recognise one, its `array` code, a value's number.
_FIXED: tuple[tuple[Callable[[pa.DataType], bool], str, Callable[[Any], int]], ...] = (
    (lambda k: k == pa.int64(), "q", _integer),
    (lambda k: k == pa.timestamp("us", tz="UTC"), "q", _microseconds),
    (lambda k: k == pa.date32(), "i", _days),
)
