"""The crawl and the rebuild read published tables without pandas: pyarrow makes a zone-aware
datetime through pandas, whose import costs a run some 30 MiB and 0.3 s, so timestamps are
made datetimes by `rows_of`, the same values `to_pylist` gives."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.parquet as pq
from test_dataset import START, page, write

from gpscrape.dataset import layout
from gpscrape.dataset.runs import rows_of
from gpscrape.schema import TABLES


def test_rows_of_gives_the_values_to_pylist_gives() -> None:
    stamps = [datetime(1969, 12, 31, 23, 59, 59, 999999, tzinfo=UTC), None,
              datetime(2026, 3, 1, 12, 30, 5, 123456, tzinfo=UTC)]
    batch = pa.RecordBatch.from_pydict(
        {"at": pa.array(stamps, pa.timestamp("us", tz="UTC")), "n": [1, None, 3],
         "other": pa.array(stamps, pa.timestamp("ms", tz="UTC"))})
    rows = rows_of(batch)
    assert rows == batch.to_pylist()
    assert [row["at"] for row in rows] == stamps
    assert all(row["at"] is None or row["at"].utcoffset() == timedelta(0) for row in rows)


def test_reading_the_published_tables_imports_no_pandas(tmp_path) -> None:
    write(tmp_path, [page(n, fetched=START + timedelta(hours=n)) for n in range(100, 130)])
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from gpscrape.dataset import layout\n"
        "from gpscrape.dataset.runs import read_rows\n"
        "from gpscrape.incremental.state import load_state\n"
        f"output = Path({str(tmp_path)!r})\n"
        "state = load_state(output)\n"
        f"rows = sum(1 for t in {list(TABLES)!r} for _ in read_rows(layout.table_file(output, t)))\n"
        "print(len(state.known), rows, 'pandas' in sys.modules)\n")
    printed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True).stdout.split()
    tables = sum(pq.ParquetFile(layout.table_file(tmp_path, name)).metadata.num_rows
                 for name in TABLES)
    assert printed == ["30", str(tables), "False"]
