"""The writer's claims (which item holds each group) cost little per record and decide the
same winner whatever the order: a record fetched under two URLs keeps the higher URL's row
and exactly its sections."""

from __future__ import annotations

import tracemalloc
from datetime import timedelta

from test_dataset import START, page, write

from gpscrape.dataset import DatasetWriter
from gpscrape.dataset.read import read_frame

RECORDS = 3000


def test_a_record_under_two_urls_keeps_the_higher_urls_row_and_sections(tmp_path) -> None:
    low = page(101, sections=3, title="Under the low URL",
               url="https://example.test/TWTW_view_articles.php?recordNo=101")
    high = page(101, sections=1, title="Under the high URL",
                url="https://example.test/view_cir_articles.php?recordNo=101")
    for name, items in (("high-first", [high, low]), ("low-first", [low, high])):
        write(tmp_path / name, [*items, page(102)])
        articles = read_frame(tmp_path / name, "articles").set_index("record_no")
        sections = read_frame(tmp_path / name, "sections")
        assert articles.loc[101, "title"] == "Under the high URL"
        assert list(sections[sections["record_no"] == 101]["text"]) == ["Section 0 of 101."]
        assert len(sections[sections["record_no"] == 102]) == 2


def test_claims_held_through_a_run_cost_little_per_record(tmp_path) -> None:
    items = [page(n, fetched=START + timedelta(seconds=n)) for n in range(1, RECORDS + 1)]
    with DatasetWriter(tmp_path) as dataset:
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for item in items:
                dataset.add(item)
            for stage in dataset._stages.values():
                stage.staged.flush()  # the rows staged on disk: what is left is the claims
            dataset._history._staged.flush()  # and the sightings
            held = (tracemalloc.get_traced_memory()[0] - before) / RECORDS
        finally:
            tracemalloc.stop()
    # A claim was 400 bytes a record with a tuple around each key and rank and a second
    # claim for the sections; now the key and rank are held as they are, once.
    assert held < 320
