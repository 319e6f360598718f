"""The page record declared once: its declaration reaches the schema, validation and the docs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from itertools import zip_longest
from pathlib import Path

import pyarrow as pa

from gpscrape.extract.record import (
    NAMES,
    PARAGRAPHS,
    FieldInfo,
    ListingEntry,
    PageRecord,
    Section,
    Topic,
    record_fields,
)
from gpscrape.extract.vocab import SECTION_KINDS
from gpscrape.schema import TABLES

REPO = Path(__file__).resolve().parents[1]
RECORD_DOC = REPO / "docs" / "record.md"
# The field table of each record class in docs/record.md, under its `##` heading.
DOC_SECTIONS = {"Page fields": PageRecord, "Topics": Topic, "Sections": Section,
                "Listing entries": ListingEntry}
_NESTED = {Topic: "topics", Section: "sections", ListingEntry: "listing entries"}
_CELL = re.compile(r"(?<!\\)\|")  # a cell border (`\|` is a pipe inside a cell)


def doc_type(f: FieldInfo) -> str:
    """The `type` cell of a field: `integer or null`, `text (paragraphs)`, `list of names`..."""
    if f.is_list:
        noun = _NESTED.get(f.type) or {int: "integers", date: "dates"}.get(f.type)
        return "list of " + (noun or ("names" if f.clean == NAMES else "text"))
    kind = {int: "integer", date: "date"}.get(f.type)
    kind = kind or ("text (paragraphs)" if f.clean == PARAGRAPHS else "text (one line)")
    return kind + (" or null" if f.nullable else "")


def doc_disagreements(doc: str) -> list[str]:
    """Where the field tables of docs/record.md differ from the declaration, each with the
    `field | type | description` cells to write."""
    found = []
    for title, record in DOC_SECTIONS.items():
        section = doc.split(f"\n## {title}\n", 1)[-1].split("\n## ", 1)[0]
        shown = [[c.strip() for c in _CELL.split(line)[1:4]]
                 for line in section.splitlines() if line.startswith("| `")]
        declared = [[f"`{f.name}`", doc_type(f), f.description.replace("|", "\\|")]
                    for f in record_fields(record)]
        found += [f"{title}: write | {' | '.join(want or ['(no row)'])} | (shown: {got})"
                  for want, got in zip_longest(declared, shown) if want != got]
    return found


def test_the_record_doc_shows_each_field_as_declared():
    assert doc_disagreements(RECORD_DOC.read_text(encoding="utf-8")) == []


def test_the_doc_check_names_a_changed_or_missing_row():
    doc = RECORD_DOC.read_text(encoding="utf-8")
    changed = doc.replace("| `volume` | integer or null |", "| `volume` | text or null |")
    dropped = re.sub(r"\n\| `about_author` \|[^\n]*", "", doc)
    assert changed != doc and dropped != doc
    [problem] = doc_disagreements(changed)
    assert problem.startswith("Page fields: write | `volume` | integer or null | volume number")
    assert any("`about_author`" in p for p in doc_disagreements(dropped))


def test_field_types_come_from_the_annotations():
    fields = {f.name: f for f in record_fields(PageRecord)}
    assert (fields["record_no"].type, fields["record_no"].nullable) == (int, True)
    assert (fields["url"].type, fields["url"].nullable) == (str, False)
    assert (fields["topics"].type, fields["topics"].is_list) == (Topic, True)
    assert (fields["published"].type, fields["published"].clean) == (date, "date")
    articles = TABLES["articles"].schema
    assert articles.field("numbers").type == pa.list_(pa.int64())
    assert not articles.field("record_no").nullable  # an articles row needs a `record_no`
    assert TABLES["listings"].schema.field("record_no").nullable


_ADDED = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq

import gpscrape
from gpscrape.extract.record import PageRecord
from gpscrape.extract.vocab import heading_kind
from gpscrape.items import PageItem
from gpscrape.data_dictionary import data_dictionary
from gpscrape.schema import TABLES
from pipelines.chain import process
from pipelines.validate import validate_item

sys.path.insert(0, sys.argv[1])
from test_record import doc_disagreements

def item(note):
    section = {"heading": "What next?", "kind": heading_kind("What next?"), "text": "Text.",
               "note": note}
    record = PageRecord.from_dict({"record_no": 7, "cwa_no": None, "url": "https://x.test/?7",
                                   "title": "T", "topics": [{"sections": [section]}]})
    return PageItem(record, datetime(2026, 1, 1, tzinfo=UTC), "a" * 64, "1")

sections = TABLES["sections"]
process([item("  A   note ")], Path(sys.argv[2]))
written = pq.read_table(Path(sys.argv[2]) / "sections").to_pylist()
print(json.dumps({
    "package": gpscrape.__file__,
    "columns": sections.column_names,
    "note": str(sections.schema.field("note").type),
    "kinds": [c.vocabulary for c in sections.columns if c.name == "kind"][0],
    "rows": [(row["kind"], row["note"]) for row in written],
    "bad_note": validate_item(item(5)).reason,
    "dictionary": data_dictionary(),
    "doc": doc_disagreements(Path(sys.argv[3]).read_text(encoding="utf-8")),
}))
"""


def _edit(path: Path, anchor: str, added: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, f"{anchor!r} not found once in {path.name}"
    path.write_text(text.replace(anchor, anchor + added), encoding="utf-8")


def test_a_kind_and_a_field_declared_in_one_place_reach_schema_validation_and_docs(tmp_path):
    """Edit a copy of the code: a heading kind in `vocab.py`, a field in `record.py`, nothing
    else; then the tables, the validator, the normaliser and the docs all know them."""
    code = tmp_path / "code"
    for package in ("gpscrape", "pipelines"):
        shutil.copytree(REPO / package, code / package,
                        ignore=shutil.ignore_patterns("__pycache__"))
    vocab = code / "gpscrape" / "extract" / "vocab.py"
    _edit(vocab, '"in_perspective": 2,\n', '    "what_next": 3,\n')
    _edit(vocab, '"in perspective": "in_perspective",\n', '    "what next": "what_next",\n')
    _edit(code / "gpscrape" / "extract" / "record.py",  # a last field of `Section`
          'text: str = info("the section\'s paragraphs, separated by a blank line", '
          'clean=PARAGRAPHS)\n',
          '    note: str | None = info("a reader\'s note on the section", default=None)\n')
    run = subprocess.run(
        [sys.executable, "-c", _ADDED, str(REPO / "tests"), str(tmp_path / "out"),
         str(RECORD_DOC)],
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(code)},
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["package"].startswith(str(code))
    assert "what_next" not in SECTION_KINDS and "note" not in TABLES["sections"].column_names
    assert seen["columns"] == [*TABLES["sections"].column_names, "note"]
    assert seen["note"] == "string" and "what_next" in seen["kinds"]
    assert seen["rows"] == [["what_next", "A note"]]  # valid, normalised, written
    assert "topic 0: section 0: note is not text or null" in seen["bad_note"]
    assert "what_next" in seen["dictionary"]
    assert "| `note` | string | yes | a reader's note on the section |" in seen["dictionary"]
    kind_row, note_row = seen["doc"]  # the doc must show the new kind and the new field
    assert kind_row.startswith("Sections: write | `kind` | text (one line) | canonical kind: ")
    assert "in_perspective, what_next, other |" in kind_row
    assert note_row == ("Sections: write | `note` | text (one line) or null | a reader's note "
                        "on the section | (shown: None)")
