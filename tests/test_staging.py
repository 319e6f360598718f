"""What a run keeps while it writes: the history's sightings are staged on disk (memory does not
grow with the records a run touches) and give the same revisions whatever the batch size; a
row that can no longer win its group is not staged; each WARC record is one gzip member."""

from __future__ import annotations

import gzip
import random
from datetime import UTC, date, datetime, timedelta
from operator import itemgetter
from pathlib import Path

import pyarrow.parquet as pq
from test_dataset import START, page

from gpscrape.archive import WarcWriter
from gpscrape.archive.members import iter_members
from gpscrape.archive.writer import Exchange
from gpscrape.dataset import DatasetWriter, history, runs

DAY = timedelta(days=1)


def _revisions(output: Path) -> list[dict]:
    return pq.read_table(output / "revisions").to_pylist()


def _history_run(output: Path, items: list, unchanged: list[tuple[int, datetime]]) -> None:
    with DatasetWriter(output) as writer:
        for item in items:
            writer.add(item)
        for record_no, at in unchanged:
            writer.seen_unchanged(record_no, at)
        writer.publish()


def test_sightings_staged_in_small_batches_give_the_same_revisions(tmp_path, monkeypatch):
    items = [page(n, START + DAY * (n % 3)) for n in range(100, 140)]
    items += [page(n, START + 5 * DAY, title=f"Revised {n}") for n in range(100, 140, 4)]
    random.Random(5).shuffle(items)
    unchanged = [(n, START + 9 * DAY) for n in range(100, 140, 3)]
    _history_run(tmp_path / "one_batch", items, unchanged)

    monkeypatch.setattr(history, "BATCH_SIGHTINGS", 3)
    monkeypatch.setattr(runs, "FAN_IN", 2)
    staged: list[int] = []
    flush = runs.SortedRuns.flush

    def counting_flush(self: runs.SortedRuns) -> None:
        if self.directory.name == "sightings":  # the history's runs, not the tables'
            staged.append(len(self.buffer))
        flush(self)

    monkeypatch.setattr(runs.SortedRuns, "flush", counting_flush)
    _history_run(tmp_path / "small_batches", items, unchanged)
    # Staged three at a time; fewer than three are left in memory and merged from there.
    assert max(staged) <= 3 and 0 <= len(items) + len(unchanged) - sum(staged) < 3
    got, want = _revisions(tmp_path / "small_batches"), _revisions(tmp_path / "one_batch")
    assert got == want
    assert sum(row["revision"] == 2 for row in got) == 10


def test_rows_still_buffered_are_merged_unwritten_after_the_runs(tmp_path):
    sorted_runs = runs.SortedRuns(tmp_path, itemgetter("k"), {"on": date.fromisoformat})
    arrivals = [{"k": n * 7 % 5, "n": n, "on": date(2025, 1, 1) + n * DAY} for n in range(23)]
    for row in arrivals:
        sorted_runs.buffer.append(dict(row))
        if row["n"] % 10 == 9:
            sorted_runs.flush()
    merged = list(sorted_runs.merged())
    assert len(sorted_runs.runs) == 2 and len(list(tmp_path.iterdir())) == 2  # 20 rows written
    assert sorted_runs.buffer == []
    # Sorted, ties in order of arrival, the written rows' dates read back as dates.
    assert merged == sorted(arrivals, key=itemgetter("k"))


def test_a_sidebar_entry_is_staged_only_while_it_can_win(tmp_path):
    """Listings rank a sighting by the listing page's record_no: seen on pages of falling
    record_no, an entry is staged once; on pages of rising record_no, each time."""
    def stage_rows(numbers: list[int]) -> int:
        with DatasetWriter(tmp_path / f"out-{numbers[0]}") as writer:
            for n in numbers:
                writer.add(page(n))  # a page n lists one entry, CWA 1900 + n % 7
            return len(writer._stages["listings"].staged.buffer)

    pages = [n for n in range(300, 390) if n % 3 == 0]
    assert stage_rows(sorted(pages, reverse=True)) == 7
    assert stage_rows(sorted(pages)) == len(pages)


def test_each_warc_record_is_one_gzip_member(tmp_path):
    body = b"<html>" + b"a fairly compressible page " * 2000 + b"</html>"
    with WarcWriter(tmp_path, "members") as writer:
        for n in range(2):
            writer.write(Exchange(f"https://example.test/?recordNo={n}", "GET", [], b"", 200,
                                  [("Content-Type", "text/html")], body, datetime.now(UTC)))
    [path] = tmp_path.glob("*.warc.gz")
    members = list(iter_members(path))  # each member decompressed on its own
    assert len(members) == 1 + 2 * 2  # warcinfo, then a request and a response per exchange
    texts = [data for _, data in members]
    assert gzip.decompress(path.read_bytes()) == b"".join(texts)
    assert all(text.startswith(b"WARC/1.1\r\n") for text in texts)
    assert sum(body in text for text in texts) == 2
