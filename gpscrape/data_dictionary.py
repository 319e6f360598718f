"""The data dictionary (docs/data-dictionary.md): every table of `gpscrape.schema` as Markdown."""

from __future__ import annotations

import pyarrow as pa

from gpscrape.schema import TABLES


def _type_name(data_type: pa.DataType) -> str:
    if pa.types.is_list(data_type):
        return f"list<{_type_name(data_type.value_type)}>"
    if pa.types.is_timestamp(data_type):
        return f"timestamp[{data_type.unit}, {data_type.tz}]"
    return {"date32[day]": "date32"}.get(str(data_type), str(data_type))


def _cell(text: str) -> str:
    """Text for a Markdown table cell (a `|` in it would end the cell)."""
    return text.replace("|", r"\|")


def data_dictionary() -> str:
    """The data dictionary of every table, as Markdown (the text of docs/data-dictionary.md)."""
    lines = [
        "# Data dictionary",
        "",
        "Generated from `gpscrape/schema.py` by `gpscrape schema --write docs/data-dictionary.md`;"
        " do not edit by hand.",
        "",
        "Each table is a folder under the output root (`output/` by default) holding Parquet "
        "files. Integers are `int64` (pandas reads them as `Int64`), dates `date32`, timestamps "
        "UTC microseconds, lists Arrow lists. Rows are ordered by the key.",
        "",
        "Every run merges its rows into the published tables by key (an idempotent upsert) and "
        "publishes all tables at once: `OUTPUT/<table>` links to `.current/<table>`, and "
        "`.current` is swapped atomically to the new version under `.versions/`. A reader sees "
        "the previous complete dataset or the new one, never a mix; a killed run changes "
        "nothing, and the next run removes what it left.",
    ]
    for table in TABLES.values():
        lines += ["", f"## `{table.name}`", "", table.description, "",
                  f"Key: {table.key_doc}.", "",
                  "| column | type | null | description |", "|---|---|---|---|"]
        lines += [
            f"| `{c.name}` | {_type_name(c.type)} | {'yes' if c.nullable else 'no'} "
            f"| {_cell(c.description)} |"
            for c in table.columns
        ]
    return "\n".join(lines) + "\n"
