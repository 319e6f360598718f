"""The dataset writer: typed tables readable by pandas, pyarrow and DuckDB; upserts; publishing."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as pads
import pytest

from gpscrape.dataset import DatasetBusyError, DatasetWriter, layout, runs, writer
from gpscrape.dataset.read import read_arrow, read_frame
from gpscrape.extract.record import PageRecord
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.schema import TABLES

START = datetime(2026, 1, 2, tzinfo=UTC)


def page(n: int, fetched: datetime = START, sections: int = 2, **fields: object) -> PageItem:
    """A varied article page for record `n` (every third one has a CWA number and a listing)."""
    data = {
        "record_no": n, "cwa_no": n - 100 if n % 3 == 0 else None,
        "url": f"https://example.test/view_cir_articles.php?recordNo={n}",
        "series": "Conflict Weekly", "title": f"Issue about item {n}",
        "issue_numbers": [n, n + 1] if n % 2 else [], "volume": n % 5 or None,
        "published": f"2024-{n % 12 + 1:02d}-01" if n % 4 else None,
        "published_precision": "month" if n % 4 else None,
        "authors": [f"Writer {n % 4}"] + (["Second Writer"] if n % 5 == 0 else []),
        "about_author": f"Bio of writer {n % 4}" if n % 5 else None,
        "topics": [{"title": f"Topic of {n}", "authors": [f"Writer {n % 4}"], "sections": [
            {"heading": "In the news", "kind": "in_the_news", "text": f"Section {i} of {n}."}
            for i in range(sections)]}],
        "listing": [{"month": "2025-12-01", "cwa_no": 1900 + n % 7, "authors": ["Lister One"],
                     "author_bio": "Research intern", "title": f"Listed {n % 7}",
                     "url": f"https://example.test/?recordNo={2000 + n % 7}",
                     "record_no": 2000 + n % 7}] if n % 3 == 0 else [],
        "body_text": "\n\n".join(f"Section {i} of {n}." for i in range(sections)),
        **fields,
    }
    return PageItem(PageRecord.from_dict(data), fetched, f"{n:064x}", "1.0")


def write(output: Path, items: list) -> writer.PublishResult:
    with DatasetWriter(output) as w:
        for item in items:
            w.add(item)
        return w.publish()


TIMES = ["fetched_at", "first_seen_at", "last_seen_at", "changed_at"]


def frames(output: Path) -> dict[str, pd.DataFrame]:
    """Every table, without the times of fetches and sightings."""
    result = {}
    for name in TABLES:
        df = read_frame(output, name)
        result[name] = df.drop(columns=[c for c in TIMES if c in df])
    return result


def assert_same(left: dict[str, pd.DataFrame], right: dict[str, pd.DataFrame]) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(left[name], right[name], obj=name)


def test_tables_readable_by_pandas_pyarrow_and_duckdb(tmp_path):
    items = [page(n) for n in range(100, 130)]
    items.append(QuarantineItem("https://example.test/?recordNo=5", "no article", START, 5))
    result = write(tmp_path, items)
    assert result.rows == {"articles": 30, "sections": 60, "listings": 7, "quarantine": 1,
                           "authors": 6, "revisions": 30}
    for name, table in TABLES.items():
        path = tmp_path / name
        assert len(pd.read_parquet(path)) == result.rows[name]
        dataset = pads.dataset(path)
        assert dataset.schema.remove_metadata() == table.schema.remove_metadata()
        assert dataset.count_rows() == result.rows[name]
        (count,) = duckdb.sql(f"select count(*) from '{path}/*.parquet'").fetchall()[0]
        assert count == result.rows[name]
    (total,) = duckdb.sql(f"select sum(len(authors)) from '{tmp_path}/articles/*.parquet'"
                          ).fetchall()[0]
    assert total == 30 + 6


def test_pandas_dtypes(tmp_path):
    write(tmp_path, [page(n) for n in range(100, 110)])
    articles = read_frame(tmp_path, "articles")
    for column in ("record_no", "cwa_no", "volume", "topic_count"):
        assert articles[column].dtype == "Int64", column
    assert articles["cwa_no"].isna().any() and articles["cwa_no"].notna().any()
    assert str(articles["fetched_at"].dtype) == "datetime64[us, UTC]"
    assert pd.api.types.is_string_dtype(articles["title"])
    published = articles["published"].dropna()
    assert len(published) and all(type(v) is date for v in published)
    assert all(isinstance(v, list | type(articles["authors"][0])) for v in articles["authors"])
    assert list(articles["issue_numbers"][articles["record_no"] == 101].iloc[0]) == [101, 102]
    assert list(articles["record_no"]) == sorted(articles["record_no"]), "ordered by key"
    listings = read_frame(tmp_path, "listings")
    assert listings["cwa_no"].dtype == "Int64"
    assert all(type(v) is date for v in listings["month"])


def test_all_null_column_keeps_its_type(tmp_path):
    write(tmp_path, [page(n, cwa_no=None, published=None, published_precision=None,
                          photo_source=None) for n in (101, 102)])
    arrow = read_arrow(tmp_path, "articles")
    assert arrow.column("cwa_no").null_count == 2
    assert arrow.schema.field("cwa_no").type == pa.int64()
    assert arrow.schema.field("published").type == pa.date32()
    assert arrow.schema.field("photo_source").type == pa.string()
    articles = read_frame(tmp_path, "articles")
    assert articles["cwa_no"].dtype == "Int64"
    empty = read_frame(tmp_path, "quarantine")
    assert len(empty) == 0 and empty["record_no"].dtype == "Int64"
    assert str(empty["fetched_at"].dtype) == "datetime64[us, UTC]"


def test_rerun_is_idempotent_whatever_the_order(tmp_path):
    items = [page(n) for n in range(100, 140)]
    write(tmp_path / "a", items)
    first = frames(tmp_path / "a")
    shuffled = [page(n, fetched=START + timedelta(days=1)) for n in range(100, 140)]
    random.Random(7).shuffle(shuffled)
    write(tmp_path / "a", shuffled)
    assert_same(first, frames(tmp_path / "a"))
    assert set(read_frame(tmp_path / "a", "articles")["fetched_at"]) == {START + timedelta(days=1)}
    write(tmp_path / "b", shuffled)
    assert_same(first, frames(tmp_path / "b"))


def test_incremental_run_adds_new_pages(tmp_path):
    write(tmp_path, [page(n) for n in range(100, 120)])
    result = write(tmp_path, [page(n) for n in range(120, 125)])
    assert result.rows["articles"] == 25
    assert list(read_frame(tmp_path, "articles")["record_no"]) == list(range(100, 125))
    write(tmp_path / "whole", [page(n) for n in range(100, 125)])
    assert_same(frames(tmp_path / "whole"), frames(tmp_path))


def test_latest_fetch_wins_and_replaces_all_sections(tmp_path):
    write(tmp_path, [page(101, sections=3), page(102)])
    later = START + timedelta(hours=1)
    result = write(tmp_path, [page(101, sections=5), page(101, fetched=later, sections=1,
                                                          title="Corrected")])
    assert result.replaced == 1
    articles = read_frame(tmp_path, "articles").set_index("record_no")
    assert articles.loc[101, "title"] == "Corrected"
    assert articles.loc[101, "fetched_at"] == later
    sections = read_frame(tmp_path, "sections")
    assert list(sections[sections["record_no"] == 101]["text"]) == ["Section 0 of 101."]
    assert len(sections[sections["record_no"] == 102]) == 2
    write(tmp_path, [page(102, sections=0, topics=[])])
    assert 102 not in set(read_frame(tmp_path, "sections")["record_no"])


def test_listings_upsert_by_cwa_no(tmp_path):
    entry = {"month": "2025-12-01", "cwa_no": 1931, "authors": ["Ana Roy"], "title": "Old"}
    write(tmp_path, [page(300, listing=[entry])])
    write(tmp_path, [page(301, listing=[{**entry, "title": "New"},
                                        {"cwa_no": None, "authors": [], "title": "No number"}])])
    listings = read_frame(tmp_path, "listings")
    assert list(listings["title"]) == ["New", "No number"]
    assert list(listings["seen_on_record_no"]) == [301, 301]


def test_a_url_leaves_quarantine_once_it_gives_a_record(tmp_path):
    bad = page(101)
    write(tmp_path, [QuarantineItem(bad.record.url, "no article", START, 101),
                     QuarantineItem("https://example.test/other", "no article", START)])
    assert len(read_frame(tmp_path, "quarantine")) == 2
    write(tmp_path, [page(101)])
    assert list(read_frame(tmp_path, "quarantine")["url"]) == ["https://example.test/other"]
    later = START + timedelta(hours=1)
    write(tmp_path, [QuarantineItem(bad.record.url, "truncated", later, 101)])
    assert list(read_frame(tmp_path, "quarantine")["reason"]) == ["no article", "truncated"]
    other_url = bad.record.url.replace("view_cir_articles", "TWTW_view_articles")
    write(tmp_path, [page(101, url=other_url), QuarantineItem(bad.record.url, "again", later, 101)])
    assert list(read_frame(tmp_path, "quarantine")["reason"]) == ["no article"], "any URL heals"


def test_a_url_quarantined_earlier_in_the_run_leaves_quarantine_with_its_record(tmp_path):
    url = page(101).record.url
    write(tmp_path, [QuarantineItem(url, "no article", START), page(101)])
    assert read_frame(tmp_path, "quarantine").empty


def test_a_record_published_under_another_url_heals_the_published_quarantine(tmp_path):
    url = page(101).record.url
    write(tmp_path, [QuarantineItem(url, "no article", START, 101)])
    write(tmp_path, [page(101, url=url.replace("view_cir_articles", "TWTW_view_articles"))])
    assert read_frame(tmp_path, "quarantine").empty


def test_records_of_urls_never_quarantined_claim_nothing_in_quarantine(tmp_path):
    """The writer's memory does not grow with the run's URLs for the quarantine's sake."""
    write(tmp_path, [QuarantineItem("https://example.test/other", "no article", START)])
    with DatasetWriter(tmp_path) as dataset:
        for n in range(100, 140):
            dataset.add(page(n))
        assert dataset._stages["quarantine"].latest == {}
        dataset.publish()
    assert list(read_frame(tmp_path, "quarantine")["url"]) == ["https://example.test/other"]


def test_authors_are_people_with_records_and_bios(tmp_path):
    write(tmp_path, [page(101, authors=["Ana Roy"], about_author="Ana writes on ports."),
                     page(102, authors=["Ana Roy", "Ben Das"], byline="GP Team",
                          about_author="Two people", listing=[]),
                     page(103, authors=[], listing=[{"cwa_no": 7, "authors": ["GP Team"]}])])
    authors = read_frame(tmp_path, "authors").set_index("name")
    assert list(authors.index) == ["Ana Roy", "Ben Das"]
    assert list(authors.loc["Ana Roy", "record_nos"]) == [101, 102]
    assert list(authors.loc["Ana Roy", "bios"]) == ["Ana writes on ports."]
    assert list(authors.loc["Ben Das", "bios"]) == []


def test_small_batches_merge_to_the_same_tables(tmp_path, monkeypatch):
    items = [page(n) for n in range(100, 160)]
    random.Random(3).shuffle(items)
    write(tmp_path / "big", items)
    monkeypatch.setattr(writer, "BATCH_ROWS", 4)
    monkeypatch.setattr(runs, "FAN_IN", 3)
    write(tmp_path / "small", items)
    assert_same(frames(tmp_path / "big"), frames(tmp_path / "small"))


def test_second_writer_is_refused(tmp_path):
    with DatasetWriter(tmp_path), pytest.raises(DatasetBusyError):
        DatasetWriter(tmp_path).open()


def test_stale_staging_and_unpublished_versions_are_removed(tmp_path):
    write(tmp_path, [page(101)])
    published = layout.current_version(tmp_path)
    (layout.staging_dir(tmp_path) / "killed-run").mkdir(parents=True)
    (layout.versions_dir(tmp_path) / "99999999T999999Z-1").mkdir()
    (layout.versions_dir(tmp_path) / "20000101T000000Z-1.tmp").mkdir()
    with DatasetWriter(tmp_path):
        assert sorted(p.name for p in layout.versions_dir(tmp_path).iterdir()) == [published]
        assert not any((layout.staging_dir(tmp_path)).glob("killed-run"))
    assert len(read_frame(tmp_path, "articles")) == 1


def test_only_current_and_previous_versions_are_kept(tmp_path):
    versions = [write(tmp_path, [page(n)]).version for n in (101, 102, 103)]
    assert sorted(p.name for p in layout.versions_dir(tmp_path).iterdir()) == versions[1:]
    assert not layout.staging_dir(tmp_path).exists()


def test_a_real_folder_in_the_way_is_an_error(tmp_path):
    (tmp_path / "articles").mkdir()
    with pytest.raises(FileExistsError, match="not a gpscrape table link"):
        DatasetWriter(tmp_path).open()
    (tmp_path / "articles").rmdir()
    assert write(tmp_path, [page(101)]).rows["articles"] == 1, "the lock was released"


def test_add_before_open_is_an_error(tmp_path):
    with pytest.raises(RuntimeError, match="before open"):
        DatasetWriter(tmp_path).add(page(101))
