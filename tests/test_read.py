"""The analysts' read path: `gpscrape.read` gives pandas-native dtypes, and pandas, Polars and
DuckDB read every table of a crawled dataset with the types docs/index.md documents."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import gpscrape
from gpscrape.dataset.read import pandas_dtype, read_arrow
from gpscrape.schema import TABLES

pl = pytest.importorskip("polars")

ROOT = Path(__file__).resolve().parents[1]
# Per Arrow type: its name in the docs, then Polars' type (and its name in the docs) and
# DuckDB's type for it.
READERS = {
    pa.int64(): ("int64", pl.Int64, "Int64", "BIGINT"),
    pa.date32(): ("date32", pl.Date, "Date", "DATE"),
    pa.timestamp("us", tz="UTC"): ("timestamp[us, UTC]", pl.Datetime("us", "UTC"),
                                   "Datetime(us, UTC)", "TIMESTAMP WITH TIME ZONE"),
    pa.list_(pa.int64()): ("list<int64>", pl.List(pl.Int64), "List(Int64)", "BIGINT[]"),
    pa.list_(pa.string()): ("list<string>", pl.List(pl.String), "List(String)", "VARCHAR[]"),
    pa.string(): ("string", pl.String, "String", "VARCHAR"),
}


def files(output: Path, name: str) -> str:
    return str(output / name / "*.parquet")


def assert_pandas_dtype(frame: pd.DataFrame, column) -> None:
    values, expected = frame[column.name], pandas_dtype(column)
    if expected is None:
        assert pd.api.types.is_string_dtype(values), column.name
    elif expected == "object":
        assert values.dtype == object and all(isinstance(v, list) for v in values), column.name
    else:
        assert str(values.dtype) == expected, column.name


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_reads_with_the_documented_types_in_pandas_polars_and_duckdb(demo, name):
    frame = gpscrape.read(name, output=demo)
    polars = pl.read_parquet(files(demo, name))
    described = {row[0]: row[1] for row in
                 duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{files(demo, name)}')").fetchall()}
    columns = TABLES[name].columns
    assert list(frame.columns) == list(polars.columns) == list(described) == [c.name for c in columns]
    assert len(frame) == polars.height == pq.read_table(demo / name).num_rows
    for column in columns:
        assert_pandas_dtype(frame, column)
        _, polars_type, _, duckdb_type = READERS[column.type]
        assert polars.schema[column.name] == polars_type, column.name
        assert described[column.name] == duckdb_type, column.name


def test_the_three_readers_agree_on_dates_lists_and_integers(demo):
    articles = gpscrape.read("articles", output=demo)
    polars = pl.read_parquet(files(demo, "articles"))
    rows = duckdb.sql(f"SELECT record_no, published, authors, year(published) "
                      f"FROM read_parquet('{files(demo, 'articles')}')").fetchall()
    assert articles["published"].notna().any() and articles["authors"].map(len).gt(0).any()
    dates = [None if pd.isna(d) else d.date() for d in articles["published"]]
    assert dates == polars["published"].to_list() == [r[1] for r in rows]
    assert articles["authors"].tolist() == polars["authors"].to_list() == [r[2] for r in rows]
    assert articles["record_no"].tolist() == polars["record_no"].to_list() == [r[0] for r in rows]
    years = articles["published"].dt.year  # what pd.read_parquet's date objects cannot do
    assert [None if pd.isna(y) else int(y) for y in years] == [r[3] for r in rows]


def test_coded_columns_are_categories_that_keep_unknown_values(demo, tmp_path):
    table = read_arrow(demo, "articles")
    series = table["series"].to_pylist()
    series[0] = "A Series Not Yet Known"
    table = table.set_column(table.schema.get_field_index("series"), table.schema.field("series"),
                             pa.array(series, pa.string()))
    published = pc.if_else(pc.equal(table["record_no"], table["record_no"][1]),
                           pa.scalar(None, pa.date32()), table["published"])
    table = table.set_column(table.schema.get_field_index("published"),
                             table.schema.field("published"), published)
    (tmp_path / "articles").mkdir()
    pq.write_table(table, tmp_path / "articles" / "part-0.parquet")
    articles = gpscrape.read("articles", output=tmp_path)
    [vocabulary] = [c.vocabulary for c in TABLES["articles"].columns if c.name == "series"]
    categories = list(articles["series"].cat.categories)
    assert categories[:len(vocabulary)] == list(vocabulary)
    assert "A Series Not Yet Known" in categories
    assert articles["series"].astype(object).where(articles["series"].notna(), None).tolist() == series
    assert pd.isna(articles["published"][1]) and articles["published"].dtype == "datetime64[ms]"


def test_every_coded_column_of_the_schema_is_a_category(demo):
    coded = [(name, c) for name, table in TABLES.items() for c in table.columns if c.vocabulary]
    assert coded, "the schema declares no vocabulary"
    for name, column in coded:
        assert gpscrape.read(name, output=demo)[column.name].dtype == "category", column.name


def test_the_output_root_defaults_to_the_gpscrape_output_variable(demo, monkeypatch):
    monkeypatch.setenv("GPSCRAPE_OUTPUT", str(demo))
    assert gpscrape.read("listings").equals(gpscrape.read("listings", output=demo))


def test_unknown_and_missing_tables_are_clear_errors(tmp_path):
    with pytest.raises(KeyError, match="unknown table"):
        gpscrape.read("nonsense", output=tmp_path)
    with pytest.raises(FileNotFoundError, match="no table 'articles'"):
        gpscrape.read("articles", output=tmp_path)


def test_the_docs_table_states_what_the_readers_give():
    text = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    rows = {cells[0]: cells[1:] for line in text.splitlines() if line.startswith("| `")
            for cells in [[c.strip() for c in line.strip("|").split("|")]]}
    for arrow_type, (doc_name, _, polars_name, duckdb_type) in READERS.items():
        pandas_cell, polars_cell, duckdb_cell = rows[f"`{doc_name}`"]
        plain = [c for t in TABLES.values() for c in t.columns
                 if c.type == arrow_type and not c.vocabulary]
        assert plain, f"no {doc_name} column"
        expected = pandas_dtype(plain[0])
        if expected is not None:
            assert pandas_cell.startswith(f"`{expected}`"), doc_name
        assert (polars_cell, duckdb_cell) == (f"`{polars_name}`", f"`{duckdb_type}`"), doc_name
    [(coded, cells)] = [(key, cells) for key, cells in rows.items() if "with a vocabulary" in key]
    assert cells[0].startswith("`category`")
    declared = {f"`{name}.{c.name}`" for name, t in TABLES.items() for c in t.columns
                if c.vocabulary}
    assert set(re.findall(r"`\w+\.\w+`", coded)) == declared
