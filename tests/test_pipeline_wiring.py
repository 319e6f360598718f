"""The pipeline order is declared once, in `ITEM_PIPELINES`: the crawl (Scrapy) and the offline
rebuild (`pipelines.chain`, used by `gpscrape reextract`) both follow it, and the Parquet
writer keeps one row per record key without a separate dedupe step."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import pyarrow.parquet as pq
import pytest
from run_command import in_process
from scrapy.settings import Settings

import gpscrape.settings
from gpscrape import exit_codes
from gpscrape.archive import WarcWriter
from gpscrape.archive.writer import Exchange
from gpscrape.commands.reextract import rebuild
from gpscrape.config import command_settings
from gpscrape.extract.record import PageRecord
from gpscrape.items import PageItem
from gpscrape.mirror import MirrorSite
from gpscrape.run_report import Thresholds
from pipelines.chain import offline_pipelines, pipeline_classes, process
from pipelines.normalise import NormalisePipeline
from pipelines.parquet import ParquetPipeline
from pipelines.validate import ValidatePipeline

BASE = "http://127.0.0.1:9/"
FETCHED = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


class Marker:
    """A step that appends its mark to each page's title and logs the order it ran in."""

    mark = " [a]"
    ran: ClassVar[list[str]] = []

    def process_item(self, item: Any, spider: Any = None) -> Any:
        Marker.ran.append(type(self).__name__)
        if isinstance(item, PageItem) and item.record.title:
            return replace(item, record=replace(item.record, title=item.record.title + self.mark))
        return item


class OtherMarker(Marker):
    mark = " [b]"


@pytest.fixture(autouse=True)
def _clear_log():
    Marker.ran.clear()


def _titles(output: Path) -> list[str]:
    return pq.read_table(output / "articles", columns=["title"]).column("title").to_pylist()


def test_the_offline_chain_is_item_pipelines_in_priority_order():
    declared = gpscrape.settings.ITEM_PIPELINES
    expected = sorted(declared, key=declared.get)
    chain = pipeline_classes(command_settings())
    assert [f"{c.__module__}.{c.__name__}" for c in chain] == expected
    assert chain == [NormalisePipeline, ValidatePipeline, ParquetPipeline]


def test_changing_the_setting_changes_the_offline_chain(tmp_path):
    settings = Settings({"ITEM_PIPELINES": {
        **gpscrape.settings.ITEM_PIPELINES, OtherMarker: 150, Marker: 120}})
    steps = offline_pipelines(settings, tmp_path)
    assert [type(s) for s in steps] == [NormalisePipeline, Marker, OtherMarker,
                                        ValidatePipeline, ParquetPipeline]
    settings.set("ITEM_PIPELINES", {**gpscrape.settings.ITEM_PIPELINES, OtherMarker: 120,
                                    Marker: 150})
    assert [type(s) for s in offline_pipelines(settings, tmp_path)][1:3] == [OtherMarker, Marker]


def _archive(warc: Path, site: MirrorSite) -> list[int]:
    """One archived page per record of `site`; their record numbers."""
    record_nos = site.record_nos()
    with WarcWriter(warc, "wiring") as writer:
        for number in record_nos:
            writer.write(Exchange(site.article_urls(number, BASE)[0], "GET", [], b"", 200,
                                  [("Content-Type", "text/html")],
                                  site.render(number, BASE).encode(), FETCHED))
    return record_nos


def test_the_rebuild_follows_the_setting(tmp_path, monkeypatch):
    site = MirrorSite.generate(records=3, seed=5)
    _archive(tmp_path / "warc", site)
    expected = sorted(site.expected(n, BASE).title for n in site.record_nos())

    rebuild(tmp_path / "warc", tmp_path / "plain", Thresholds())
    assert sorted(_titles(tmp_path / "plain")) == expected
    assert Marker.ran == []

    # A step before the writer changes what is written; one after it (950) runs but too late.
    monkeypatch.setattr(gpscrape.settings, "ITEM_PIPELINES", {
        **gpscrape.settings.ITEM_PIPELINES, Marker: 300, OtherMarker: 950})
    rebuild(tmp_path / "warc", tmp_path / "marked", Thresholds())
    assert sorted(_titles(tmp_path / "marked")) == [t + " [a]" for t in expected]
    assert Marker.ran == ["Marker", "OtherMarker"] * 3

    # Without the writer in the setting there is nothing to publish: an error, not silence.
    monkeypatch.setattr(gpscrape.settings, "ITEM_PIPELINES", {Marker: 300})
    with pytest.raises(RuntimeError, match="no step that publishes"):
        rebuild(tmp_path / "warc", tmp_path / "none", Thresholds())


def _item(url: str, title: str, fetched: datetime) -> PageItem:
    record = PageRecord.from_dict({
        "record_no": 1684, "cwa_no": None, "url": url, "title": title,
        "topics": [{"title": None, "sections": [
            {"heading": None, "kind": "other", "text": "Some text."}]}]})
    return PageItem(record, fetched, "a" * 64, "1.0")


def test_one_row_per_record_whatever_the_urls_it_came_under(tmp_path):
    """What the dedupe step only counted, the writer guarantees: one row per record_no, the
    key of the tables, when a record comes under several URLs."""
    items = [_item("https://example.test/?recordNo=1684", "First", FETCHED),
             _item("https://example.test/TWTW_view_articles.php?recordNo=1684", "Second",
                   FETCHED + timedelta(minutes=1)),
             _item("http://example.test/?recordNo=1684", "Third", FETCHED + timedelta(minutes=2))]
    result = process(items, tmp_path)
    assert result.rows["articles"] == 1 and result.replaced == 2
    assert pq.read_table(tmp_path / "articles").column("record_no").to_pylist() == [1684]


def test_reextract_runs_the_pipelines_of_its_own_settings(tmp_path, monkeypatch):
    """`gpscrape reextract -s ITEM_PIPELINES=...` rebuilds through that chain (its settings
    reach the rebuild, not only the project's)."""
    site = MirrorSite.generate(records=2, seed=6)
    _archive(tmp_path / "warc", site)
    chain = {**gpscrape.settings.ITEM_PIPELINES, f"{__name__}.Marker": 300}
    argv = ["reextract", "--warc", str(tmp_path / "warc"), "--output", str(tmp_path / "out"),
            "-s", f"ITEM_PIPELINES={json.dumps(chain)}"]
    done = in_process(*argv)
    assert done.returncode == exit_codes.OK, done.stdout + done.stderr
    assert sorted(_titles(tmp_path / "out")) == sorted(
        site.expected(n, BASE).title + " [a]" for n in site.record_nos())
