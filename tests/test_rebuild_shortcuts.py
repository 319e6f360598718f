"""The rebuild's shortcuts give what the plain definitions give: the normaliser's text checks
(a printable text checked without splitting it; paragraphs checked joined) and the writer's
listing claims (an entry's group and rank read from its key columns before its row is built,
so only a winning entry's row is built)."""

from __future__ import annotations

import json
import random
import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from gpscrape import content_version
from gpscrape.dataset import DatasetWriter, runs
from gpscrape.dataset.rows import listing_key_row, listing_rank_row, listing_row
from gpscrape.extract.record import ListingEntry, PageRecord
from gpscrape.items import PageItem
from gpscrape.schema import LISTINGS
from pipelines import normalise

FIXTURE = next((Path(__file__).parent / "fixtures" / "pages").glob("*/expected.json"))
RECORD = PageRecord.from_dict(json.loads(FIXTURE.read_text(encoding="utf-8")))

# Characters `str.split` splits on, characters that are neither printable nor whitespace, and
# ordinary ones (an accent in NFD among them).
SPACES = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
ODD = ["\xad", "\u200b", "\x00", "\x7f", "\ufeff", "\u0301", "\ud800", "\U0001f600"]
PLAIN = ["a", "b", "\u00e9", "\u4e2d", "-", ".", "e"]


def _text(rng: random.Random, length: int) -> str:
    pool = rng.choice([PLAIN + [" "], PLAIN + [" ", "\n\n"], PLAIN + SPACES + ODD + ["\n\n"]])
    return "".join(rng.choice(pool) for _ in range(length))


def test_every_whitespace_but_the_space_is_unprintable():
    assert [c for c in SPACES if c.isprintable()] == [" "]


@pytest.mark.parametrize("seed", range(3))
def test_a_clean_line_is_found_as_by_splitting(seed):
    rng = random.Random(seed)
    for _ in range(3000):
        text = _text(rng, rng.randrange(0, 12))
        assert normalise._one_line(text) == (" ".join(text.split()) == text), repr(text)


def _paragraphs_by_parts(texts: list[str]) -> bool:
    """The definition: every paragraph of every text a non-empty clean line."""
    return normalise._clean_lines([part for text in texts for part in text.split("\n\n")])


@pytest.mark.parametrize("seed", range(3))
def test_clean_paragraphs_are_found_as_paragraph_by_paragraph(seed):
    rng = random.Random(seed)
    for _ in range(3000):
        texts = [_text(rng, rng.randrange(0, 10)) for _ in range(rng.randrange(0, 4))]
        assert normalise._clean_paragraphs(texts) == _paragraphs_by_parts(texts), repr(texts)


def _entry(rng: random.Random) -> ListingEntry:
    numbered = rng.random() < 0.7
    return ListingEntry(cwa_no=rng.randrange(5) if numbered else None,
                        month=date(2025, rng.randrange(1, 13), 1),
                        title=rng.choice(["A", "B", "b", ""]), authors=["X"],
                        url=rng.choice(["https://x/1", "https://x/2", "https://x/2 "]),
                        record_no=rng.choice([None, 4]))


def test_an_entrys_key_and_rank_columns_give_its_rows_group_and_rank():
    rng = random.Random(5)
    for n in range(300):
        record_no = rng.choice([None, 0, 7, 10**12])
        record = replace(RECORD, record_no=record_no, url=f"https://x/p{n % 4}",
                         listing=[_entry(rng) for _ in range(3)])
        item = PageItem(record=record,
                        fetched_at=datetime(2026, 1, 1, tzinfo=UTC),
                        content_sha256="a" * 64, extractor_version="x")
        for entry in item.record.listing:
            row = listing_row(item, entry)
            assert LISTINGS.group(listing_key_row(entry)) == LISTINGS.group(row)
            assert LISTINGS.rank(listing_rank_row(item)) == LISTINGS.rank(row)


ODD_VALUES = [None, True, False, 0, -5, 2**70, 1.5, "", 'q "x" \\ \u00e9\n\u2028\x00', [],
              ["a", 1, None], date(2024, 1, 2), datetime(2024, 1, 2, 3, 4, tzinfo=UTC), (1, 2)]


@pytest.mark.parametrize("seed", range(3))
def test_a_field_of_records_is_written_as_json_writes_it(seed):
    """`version_of` writes topics and sections itself, whatever their values hold."""
    rng = random.Random(seed)
    topics = [t for t in RECORD.topics if t.sections]
    for _ in range(200):
        topic = rng.choice(topics)
        section = replace(rng.choice(topic.sections), **{
            rng.choice(["heading", "text", "kind"]): rng.choice(ODD_VALUES)})
        value = [replace(topic, sections=[section, *topic.sections],
                         title=rng.choice([topic.title, *ODD_VALUES]))]
        assert content_version._field_json(value) == content_version._canonical(
            content_version._plain(value)).encode()


def test_a_run_holds_what_msgspec_does_not_write(tmp_path, monkeypatch):
    """Staged runs are written by msgspec; a batch it cannot write (a lone surrogate) is
    written by `json`, and each, an integer beyond 64 bits too, reads back as it was staged."""
    at = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)
    batches = [[{"n": i, "at": at, "day": date(2025, 1, 2), "text": "Caf\u00e9 \u2028"}]
               for i in range(3)]
    batches[1][0]["n"], batches[2][0]["text"] = 2**70, "lone \ud800"
    path = tmp_path / "run.json"
    monkeypatch.setattr(runs, "RUN_BATCH", 1)  # a line a row: two by msgspec, one by json
    runs.write_run(path, [row for batch in batches for row in batch])
    temporal = {"at": datetime.fromisoformat, "day": date.fromisoformat}
    assert list(runs.read_run(path, temporal)) == [row for batch in batches for row in batch]
    with pytest.raises(TypeError, match="cannot stage"):
        runs.write_run(tmp_path / "bad.json", [{"x": object()}])


def test_the_listings_table_keeps_each_entrys_winning_sighting(tmp_path):
    """Building only winning entries' rows gives the table that ranking every entry's row
    does: per key, the row of the highest `rank`, then of the latest item."""
    rng = random.Random(11)
    items = []
    for n in range(40):
        record = replace(RECORD, record_no=rng.choice([None, *range(5)]), cwa_no=None,
                         url=f"https://x/p{n % 6}", listing=[_entry(rng) for _ in range(6)])
        items.append(PageItem(record=record, fetched_at=datetime(2026, 1, 1, 0, n, tzinfo=UTC),
                              content_sha256=f"{n:064x}", extractor_version="x"))
    with DatasetWriter(tmp_path) as writer:
        for item in items:
            writer.add(item)
        writer.publish()
    best: dict = {}
    for seq, item in enumerate(items):
        for entry in item.record.listing:
            row = listing_row(item, entry)
            token = (LISTINGS.rank(row), seq)
            if LISTINGS.group(row) not in best or token >= best[LISTINGS.group(row)][0]:
                best[LISTINGS.group(row)] = (token, row)
    expected = sorted((row for _, row in best.values()), key=LISTINGS.key)
    table = pq.read_table(tmp_path / "listings").to_pylist()
    assert table == expected
