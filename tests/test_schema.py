"""The table schemas, the flatten functions and the generated data dictionary."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow as pa
import pytest

from gpscrape.cli import main
from gpscrape.data_dictionary import data_dictionary
from gpscrape.dataset.authors import author_rows
from gpscrape.dataset.rows import article_rows, listing_rows, section_rows
from gpscrape.extract.record import PageRecord
from gpscrape.extract.vocab import HEADING_KINDS, KIND_ORDER, SECTION_KINDS
from gpscrape.items import PageItem
from gpscrape.schema import DESCRIPTION, TABLES

ROOT = Path(__file__).resolve().parents[1]
FETCHED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _item(**record: object) -> PageItem:
    data = {"record_no": 1598, "cwa_no": None, "url": "https://example.test/?recordNo=1598",
            **record}
    return PageItem(PageRecord.from_dict(data), FETCHED, "0" * 64, "9.9")


@pytest.mark.parametrize("table", TABLES.values(), ids=lambda t: t.name)
def test_every_column_is_typed_and_described(table):
    for field in table.schema:
        assert field.metadata[DESCRIPTION].strip(), field.name
        assert not pa.types.is_floating(field.type), field.name
        if pa.types.is_integer(field.type):
            assert field.type == pa.int64()
        if pa.types.is_timestamp(field.type):
            assert (field.type.unit, field.type.tz) == ("us", "UTC")
    assert len(set(table.column_names)) == len(table.column_names)


def test_schema_types_of_key_columns():
    articles = TABLES["articles"].schema
    assert articles.field("published").type == pa.date32()
    assert articles.field("issue_numbers").type == pa.list_(pa.int64())
    assert articles.field("authors").type == pa.list_(pa.string())
    assert not articles.field("record_no").nullable
    assert articles.field("cwa_no").nullable
    assert TABLES["listings"].schema.field("month").type == pa.date32()


def test_data_dictionary_file_is_up_to_date():
    written = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
    assert written == data_dictionary(), "run: gpscrape schema --write docs/data-dictionary.md"


def test_data_dictionary_lists_every_column():
    text = data_dictionary()
    for table in TABLES.values():
        assert f"## `{table.name}`" in text
        for column in table.columns:
            assert f"| `{column.name}` | " in text


def test_schema_command_prints_and_writes(capsys, tmp_path):
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == data_dictionary()
    target = tmp_path / "dd.md"
    assert main(["schema", "--write", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == data_dictionary()


def test_article_row_counts_topics_sections_and_listing():
    item = _item(title="A week", published="2025-01-26", published_precision="day",
                 topics=[{"title": "One", "sections": [
                     {"heading": None, "kind": "other", "text": "a"},
                     {"heading": "What happened?", "kind": "what_happened", "text": "b"}]},
                     {"title": None, "sections": [{"heading": None, "kind": "other",
                                                   "text": "c"}]}],
                 listing=[{"cwa_no": 5, "authors": []}])
    (row,) = article_rows(item)
    assert (row["topic_count"], row["section_count"], row["listing_count"]) == (2, 3, 1)
    assert row["topic_titles"] == ["One", None]
    assert row["published"] == date(2025, 1, 26)
    assert row["fetched_at"] == FETCHED and row["extractor_version"] == "9.9"
    assert set(row) == set(TABLES["articles"].column_names)


def test_section_rows_carry_indices_and_topic():
    item = _item(title="t", topics=[
        {"title": "First", "authors": ["Ana Roy"], "sections": [
            {"heading": None, "kind": "other", "text": "x"}]},
        {"title": "Second", "sections": [
            {"heading": "In the news", "kind": "in_the_news", "text": "y"},
            {"heading": "In perspective", "kind": "in_perspective", "text": "z"}]}])
    rows = section_rows(item)
    assert [(r["topic_index"], r["section_index"], r["text"]) for r in rows] == [
        (0, 0, "x"), (1, 0, "y"), (1, 1, "z")]
    assert rows[0]["topic_authors"] == ["Ana Roy"] and rows[2]["topic_title"] == "Second"
    assert all(set(r) == set(TABLES["sections"].column_names) for r in rows)


def test_listing_only_page_gives_listing_rows_only():
    item = _item(record_no=None, url="https://example.test/europe/",
                 listing=[{"month": "2021-11-01", "cwa_no": 605, "authors": ["Ana Roy"],
                           "title": "A piece", "url": "https://example.test/?recordNo=701",
                           "record_no": 701}])
    assert article_rows(item) == [] and section_rows(item) == []
    (row,) = listing_rows(item)
    assert row["seen_on_record_no"] is None
    assert row["seen_on_url"] == "https://example.test/europe/"
    assert row["month"] == date(2021, 11, 1) and row["cwa_no"] == 605


def test_author_rows_people_records_and_bios():
    articles = [
        {"record_no": 10, "authors": ["Ana Roy"], "about_author": "Ana studies ports."},
        {"record_no": 11, "authors": ["Ana Roy", "Ben Das"], "about_author": "Shared bio"},
        {"record_no": 12, "authors": [], "about_author": None},
    ]
    listings = [
        {"record_no": 30, "authors": ["Ben Das"], "author_bio": "Research intern"},
        {"record_no": None, "authors": ["GP Team"], "author_bio": "a team"},
        {"record_no": 31, "authors": ["Ana Roy", "STIR Team"], "author_bio": "two names"},
        {"record_no": 32, "authors": ["Ben Das K"], "author_bio": None},
    ]
    rows = author_rows(iter(articles), iter(listings))
    assert rows == [
        {"name": "Ana Roy", "record_nos": [10, 11, 31], "bios": ["Ana studies ports."]},
        {"name": "Ben Das", "record_nos": [11, 30, 32], "bios": ["Research intern"]},
    ]


def test_every_heading_kind_is_a_section_kind_and_reaches_the_sections_column():
    assert set(HEADING_KINDS.values()) == set(KIND_ORDER)
    [kind] = [c for c in TABLES["sections"].columns if c.name == "kind"]
    assert kind.vocabulary == SECTION_KINDS
