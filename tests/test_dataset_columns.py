"""Columns built from buffers are the arrays `pyarrow.array` builds, for every column type of
the tables, nulls and odd values included; building them never imports pandas."""

from __future__ import annotations

import random
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone

import pyarrow as pa
import pytest

from gpscrape.dataset.columns import column_of, table_of
from gpscrape.schema import TABLES

AT = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
VALUES = {
    pa.int64(): lambda r: r.choice([0, -1, 2**63 - 1, -(2**63), r.randrange(10**6)]),
    pa.string(): lambda r: r.choice(["", "a", "Caf\u00e9 \u2014 \U0001f600", "x" * 300]),
    pa.date32(): lambda r: date(1969, 12, 31) + timedelta(days=r.randrange(30000)),
    pa.timestamp("us", tz="UTC"): lambda r: AT - timedelta(microseconds=r.randrange(10**15)),
}


def _values(kind: pa.DataType, rng: random.Random, n: int) -> list:
    if pa.types.is_list(kind):
        return [None if rng.random() < 0.1 else _values(kind.value_type, rng, rng.randrange(4))
                for _ in range(n)]
    return [None if rng.random() < 0.2 else VALUES[kind](rng) for _ in range(n)]


@pytest.mark.parametrize("kind", [*VALUES, pa.list_(pa.int64()), pa.list_(pa.string())],
                         ids=str)
def test_a_built_column_is_the_array_pyarrow_builds(kind):
    rng = random.Random(str(kind))
    for n in (0, 1, 7, 8, 9, 100):
        values = _values(kind, rng, n)
        assert column_of(values, kind).equals(pa.array(values, kind))
    assert column_of([None] * 9, kind).equals(pa.array([None] * 9, kind))


@pytest.mark.parametrize("values, kind", [
    ([AT.replace(tzinfo=None)], pa.timestamp("us", tz="UTC")),
    ([AT.astimezone(timezone(timedelta(hours=5)))], pa.timestamp("us", tz="UTC")),
    ([AT], pa.date32()),
    ([["a", "b"], ("c",)], pa.list_(pa.string())),
])
def test_values_outside_the_builders_go_to_pyarrow(values, kind):
    assert column_of(values, kind).equals(pa.array(values, kind))


def test_values_arrow_cannot_hold_fail_as_in_pyarrow():
    for values, kind in [(["lone \ud800"], pa.string()), ([2**63], pa.int64()),
                         (["7"], pa.int64()), ([True, 1], pa.int64())]:
        with pytest.raises(Exception) as built:
            column_of(values, kind)
        with pytest.raises(Exception) as direct:
            pa.array(values, kind)
        assert type(built.value) is type(direct.value)


def test_tables_of_rows_and_no_pandas():
    rng = random.Random(3)
    for table in TABLES.values():
        rows = [{f.name: _values(f.type, rng, 1)[0] for f in table.schema if rng.random() < 0.9}
                for _ in range(20)]
        assert table_of(rows, table.schema).equals(pa.Table.from_pylist(rows, table.schema))
    script = ("import sys; from gpscrape.dataset.columns import table_of; "
              "from gpscrape.schema import ARTICLES; table_of([{'record_no': 1}], "
              "ARTICLES.schema); print('pandas' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.stdout.strip() == "False", done.stderr
