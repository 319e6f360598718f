"""The item pipelines: normalise, validate (quarantine), and the Scrapy components."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd
import pytest
from scrapy.utils.test import get_crawler

from gpscrape.extract.record import PageRecord
from gpscrape.extract.vocab import SECTION_KINDS
from gpscrape.items import PageItem, QuarantineItem
from pipelines.chain import process
from pipelines.normalise import NormalisePipeline, normalise_record, paragraphs
from pipelines.parquet import ParquetPipeline
from pipelines.validate import ValidatePipeline, validate_item

FETCHED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _record(**fields: object) -> PageRecord:
    data = {"record_no": 1684, "cwa_no": None, "url": "https://example.test/?recordNo=1684",
            "title": "A title", "topics": [{"title": None, "sections": [
                {"heading": None, "kind": "other", "text": "Some text."}]}], **fields}
    return PageRecord.from_dict(data)


def _item(record: PageRecord, sha: str = "a" * 64) -> PageItem:
    return PageItem(record, FETCHED, sha, "1.0")


# --- normalise ------------------------------------------------------------------------------
def test_normalise_nfc_and_whitespace():
    record = _record(title="  Cafe\u0301\u00a0 talks\n in  Paris ", byline=" ",
                     authors=[" Ana  Roy ", "", "  "], photo_source="")
    out = normalise_record(record)
    assert out.title == "Café talks in Paris"
    assert out.byline is None and out.photo_source is None
    assert out.authors == ["Ana Roy"]
    assert record.title.startswith("  Cafe"), "the input record is left unchanged"


def test_normalise_keeps_paragraph_breaks():
    assert paragraphs(" One  line\nwrapped. \n\n\n  Two. \n \n") == "One line wrapped.\n\nTwo."
    record = _record(topics=[{"title": " T ", "sections": [
        {"heading": " What happened? ", "kind": "what_happened", "text": "a  b\n\n c "}]}])
    section = normalise_record(record).topics[0].sections[0]
    assert (section.heading, section.text) == ("What happened?", "a b\n\nc")


@dataclass
class _Parsed:
    value: object
    precision: str
    raw: str


def test_normalise_dates_to_date():
    record = _record(published_precision="day")
    record.published = datetime(2025, 5, 25, 13, 0)
    record.listing = [PageRecord.from_dict({"record_no": 1, "cwa_no": None, "url": "u",
                                            "listing": [{"cwa_no": 1}]}).listing[0]]
    record.listing[0].month = _Parsed(datetime(2025, 12, 1), "month", "December 2025")
    out = normalise_record(record)
    assert out.published == date(2025, 5, 25) and type(out.published) is date
    assert out.listing[0].month == date(2025, 12, 1)


def test_normalise_pipeline_leaves_quarantine_items():
    item = QuarantineItem("https://example.test/x", "empty page", FETCHED)
    assert NormalisePipeline().process_item(item) is item


# --- validate -------------------------------------------------------------------------------
def test_valid_item_passes_unchanged():
    item = _item(_record(published=date(2025, 5, 25), published_precision="day"))
    assert validate_item(item) is item


@pytest.mark.parametrize(("fields", "expected"), [
    ({"record_no": "1684"}, "record_no is '1684', not an integer or null"),
    ({"url": ""}, "url is missing"),
    ({"title": None, "topics": []}, "needs a title or topics"),
    ({"published": "2025-05-25", "published_precision": "week"}, "published_precision is 'week'"),
    ({"published_precision": "day"}, "both set or both null"),
    ({"issue_numbers": [1, "2"]}, "issue_numbers is not a list of integers"),
    ({"topics": [{"sections": [{"heading": "X", "kind": "summary", "text": "t"}]}]},
     "topic 0: section 0: kind is 'summary', not one of what_happened, "),
    ({"listing": [{"cwa_no": "12"}]}, "listing entry 0: cwa_no is '12'"),
    ({"volume": 2**70}, "volume is 1180591620717411303424, not an integer or null"),
    ({"title": "Gaza\udc80"}, "record.title is not valid Unicode text"),
])
def test_broken_record_is_quarantined_with_reason(fields, expected):
    item = _item(_record(**fields))
    out = validate_item(item)
    assert isinstance(out, QuarantineItem)
    assert expected in out.reason
    assert out.fetched_at == FETCHED and out.content_sha256 == "a" * 64
    assert out.extractor_version == "1.0"
    assert out.url == (item.record.url or "(no url)")


def test_listing_only_record_without_title_is_valid():
    item = _item(_record(record_no=None, url="https://example.test/europe/", title=None,
                         topics=[], listing=[{"cwa_no": 605, "authors": ["Ana Roy"]}]))
    assert validate_item(item) is item


def test_bad_fetch_metadata_is_quarantined():
    item = PageItem(_record(), datetime(2026, 1, 1), "not-a-digest", "1.0")
    out = validate_item(item)
    assert isinstance(out, QuarantineItem)
    assert "fetched_at is not a timezone-aware datetime" in out.reason
    assert "content_sha256 is not a SHA-256 hex digest" in out.reason
    assert out.fetched_at.tzinfo is not None


def test_validate_pipeline_counts_quarantine():
    crawler = get_crawler()
    pipeline = ValidatePipeline.from_crawler(crawler)
    pipeline.process_item(_item(_record(record_no="x")))
    assert crawler.stats.get_value("gpscrape/validate/quarantined") == 1


# --- writing --------------------------------------------------------------------------------
def test_parquet_pipeline_writes_tables_on_close(tmp_path):
    crawler = get_crawler(settings_dict={"GPSCRAPE_OUTPUT": str(tmp_path / "out")})
    pipeline = ParquetPipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(_item(_record()))
    pipeline.process_item(QuarantineItem("https://example.test/?recordNo=9", "empty", FETCHED, 9))
    pipeline.close_spider()
    assert list(pd.read_parquet(tmp_path / "out" / "articles")["record_no"]) == [1684]
    assert list(pd.read_parquet(tmp_path / "out" / "quarantine")["record_no"]) == [9]
    assert crawler.stats.get_value("gpscrape/parquet/sections_rows") == 1


def test_parquet_pipeline_rejects_unknown_items(tmp_path):
    pipeline = ParquetPipeline(tmp_path)
    pipeline.open_spider()
    try:
        with pytest.raises(TypeError, match="cannot write a dict"):
            pipeline.process_item({"url": "x"})
    finally:
        pipeline.writer.close()


def test_chain_normalises_validates_and_publishes(tmp_path):
    items = [_item(_record(title="  Spaced   title ")), _item(_record(record_no=7, volume="x"))]
    result = process(items, tmp_path)
    assert result.quarantined == 1 and result.rows["quarantine"] == 1
    articles = pd.read_parquet(tmp_path / "articles")
    assert list(articles["title"]) == ["Spaced title"]
    quarantine = pd.read_parquet(tmp_path / "quarantine")
    assert list(quarantine["record_no"]) == [7]
    assert "volume is 'x'" in quarantine["reason"][0]


# --- the fixture corpus ---------------------------------------------------------------------
FIXTURES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*/expected.json"))


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.parent.name)
def test_fixture_records_are_valid_and_already_normal(path):
    record = PageRecord.from_dict(json.loads(path.read_text(encoding="utf-8")))
    item = _item(record)
    assert validate_item(item) is item
    assert normalise_record(record) == record


def test_fixture_corpus_through_the_chain(tmp_path):
    records = [PageRecord.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in FIXTURES]
    result = process([_item(r) for r in records], tmp_path)
    latest = {r.record_no: r for r in records if r.record_no is not None}
    assert result.rows["quarantine"] == 0
    assert result.rows["articles"] == len(latest)
    assert result.rows["sections"] == sum(len(t.sections) for r in latest.values()
                                          for t in r.topics)
    sections = pd.read_parquet(tmp_path / "sections")
    assert set(sections["kind"]) <= set(SECTION_KINDS)
