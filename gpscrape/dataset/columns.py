"""Rows to an Arrow table, a column at a time, built from buffers.

`pyarrow.array` of a Python list asks pandas whether the list is array-like, which imports
pandas (about 0.25 s of CPU and 50 MiB) into every crawl and rebuild that writes a table. The
writer's column types (`gpscrape.schema`: int64, string, date32, UTC timestamps in
microseconds and lists of them) are few and simple, so their buffers are built here and
handed to Arrow as they are. A value they cannot hold (the validator keeps such values out)
sends its column to `pyarrow.array`, which converts it or says why not.
"""

from __future__ import annotations

import operator
from array import array
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from itertools import accumulate, repeat
from typing import Any

import pyarrow as pa

from gpscrape.schema import Row

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_EPOCH_DAY = 719163  # date(1970, 1, 1).toordinal()


def table_of(rows: list[Row], schema: pa.Schema) -> pa.Table:
    """The rows as a table of `schema` (a missing key is a null, as `Table.from_pylist`)."""
    return pa.Table.from_arrays(
        [column_of(values, f.type) for f, values in zip(schema, _columns(rows, schema),
                                                          strict=True)], schema=schema)


def _columns(rows: list[Row], schema: pa.Schema) -> list[tuple | list]:
    """The rows' values column by column, in the schema's order."""
    names = schema.names
    if len(names) > 1 and rows:
        try:
            return list(zip(*map(operator.itemgetter(*names), rows), strict=True))
        except KeyError:
            pass  # a row without some column: read them one by one
    return [[row.get(name) for row in rows] for name in names]


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
        texts = [_text(v) for v in values] if nulls else values
        if not set(map(type, texts)) <= _STR:
            raise TypeError("a text column holds a value that is not text")
        joined = "".join(texts)
        if joined.isascii():  # one byte a character
            data, lengths = joined.encode("ascii"), map(len, texts)
        else:
            encoded = [text.encode() for text in texts]
            data, lengths = b"".join(encoded), map(len, encoded)
        offsets = array("i", accumulate(lengths, initial=0))
        return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(offsets),
                                                         pa.py_buffer(data)], null_count=nulls)
    if kind == pa.int64():
        if not set(map(type, values)) <= _INT_OR_NULL:
            raise TypeError("an integer column holds a value that is not an integer")
        data = array("q", [0 if v is None else v for v in values] if nulls else values)
        return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(data)],
                                     null_count=nulls)
    for test, code, number in _FIXED:
        if test(kind):
            data = array(code, [0 if v is None else number(v) for v in values])
            return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(data)],
                                         null_count=nulls)
    raise TypeError(f"no builder for {kind}")


def _validity(values: list[Any]) -> tuple[pa.Buffer | None, int]:
    """The validity bitmap of the values (None when none is null) and the null count."""
    present = bytes(map(operator.is_not, values, repeat(None)))  # 1 for a value, 0 for a null
    nulls = present.count(0)
    if not nulls:
        return None, 0
    bits = present[::-1].translate(_BIT_DIGITS)  # the last value's bit first
    return pa.py_buffer(int(bits, 2).to_bytes((len(values) + 7) // 8, "little")), nulls


_BIT_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def _text(value: Any) -> Any:
    """A null as the empty text; other values as they are (their type is checked after)."""
    return "" if value is None else value


_STR = {str}
_INT_OR_NULL = {int, type(None)}


def _microseconds(value: Any) -> int:
    if type(value) is not datetime or value.tzinfo is None:
        raise TypeError("not a timezone-aware datetime")
    return (value - EPOCH) // _MICROSECOND


def _days(value: Any) -> int:
    if isinstance(value, datetime) or not hasattr(value, "toordinal"):
        raise TypeError("not a date")
    return value.toordinal() - _EPOCH_DAY


# Fixed-width types: how to recognise one, its `array` code, a value's number.
_FIXED: tuple[tuple[Callable[[pa.DataType], bool], str, Callable[[Any], int]], ...] = (
    (lambda k: k == pa.timestamp("us", tz="UTC"), "q", _microseconds),
    (lambda k: k == pa.date32(), "i", _days),
)
