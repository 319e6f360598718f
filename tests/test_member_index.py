"""The member index beside a closed WARC file: the second pass reads it instead of inflating
the file and finds the same records; a missing, corrupt or stale index, or a folder that
cannot be written to, only costs time: the records found and the tables rebuilt stay the
same."""

from __future__ import annotations

import gzip
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gpscrape.archive import WarcWriter, member_index
from gpscrape.archive.member_index import index_path, remove_indexes, response_heads
from gpscrape.archive.reader import iter_responses
from gpscrape.archive.writer import Exchange
from gpscrape.commands.reextract import rebuild
from gpscrape.dataset.read import read_frame
from gpscrape.mirror import MirrorSite
from gpscrape.run_report import Thresholds
from gpscrape.schema import TABLES

BASE = "http://127.0.0.1:9/"
AT = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
# A response record whose WARC-Date is no date: read as unreadable, with a warning.
UNREADABLE = gzip.compress(
    b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://127.0.0.1:9/x\r\n"
    b"WARC-Date: not a date\r\nContent-Length: 19\r\n\r\nHTTP/1.1 200 OK\r\n\r\n\r\n\r\n")


def _archive(directory: Path, records: int = 4, run_id: str = "a", *,
             keep_index: bool = False, max_bytes: int | None = None) -> MirrorSite:
    """A closed WARC file of `records` article pages (a 404 and a 304 too), in `directory`; without
    `keep_index`, the index the writer saved is removed, as an archive sealed after a kill
    or written by an earlier version has none."""
    site = MirrorSite.generate(records=records, seed=5)
    with WarcWriter(directory, run_id, max_bytes=max_bytes, sync_interval=0) as writer:
        for number, record_no in enumerate(site.record_nos()):
            writer.write(Exchange(site.article_urls(record_no, BASE)[0], "GET", [], b"", 200,
                                  [("Content-Type", "text/html")],
                                  site.render(record_no, BASE).encode(),
                                  AT + timedelta(seconds=number),
                                  guess="probe" if number % 2 else None))
        writer.write(Exchange(BASE + "view_cir_articles.php?recordNo=999999", "GET", [], b"",
                              404, [], b"", AT))
        writer.write(Exchange(site.article_urls(site.record_nos()[0], BASE)[0], "GET",
                              [("If-None-Match", '"v1"')], b"", 304, [], b"",
                              AT + timedelta(days=1, microseconds=-AT.microsecond)))
    if not keep_index:
        remove_indexes(directory)
    return site


def _heads(directory: Path, use_index: bool = True) -> list[tuple]:
    return [(h.url, h.date, h.status, h.path, h.offset)
            for h in response_heads(directory, use_index)]


def _read_records(directory: Path) -> list[tuple]:
    return [(r.url, r.date, r.status, r.path, r.offset)
            for r in iter_responses(directory, with_body=False)]


def _tables(output: Path) -> dict:
    return {name: read_frame(output, name) for name in TABLES}


def test_first_pass_indexes_a_closed_file_and_the_next_reads_the_index(tmp_path, monkeypatch):
    _archive(tmp_path)
    [warc] = tmp_path.glob("*.warc.gz")
    want = _read_records(tmp_path)
    assert _heads(tmp_path) == want and len(want) == 6
    assert index_path(warc).is_file()

    def no_inflating(path: Path) -> None:
        raise AssertionError(f"{path} inflated although its index is current")

    monkeypatch.setattr(member_index, "iter_member_spans", no_inflating)
    assert _heads(tmp_path) == want


def test_an_open_file_is_read_and_never_indexed(tmp_path) -> None:
    _archive(tmp_path)
    [closed] = tmp_path.glob("*.warc.gz")
    open_file = closed.with_name(closed.name + ".open")
    closed.rename(open_file)
    assert _heads(tmp_path) == _read_records(tmp_path)
    assert not index_path(open_file).exists() and not index_path(closed).exists()


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 1}', b"[1, 2, 3]"])
def test_a_corrupt_index_is_ignored_and_written_again(tmp_path, damage: bytes) -> None:
    _archive(tmp_path)
    [warc] = tmp_path.glob("*.warc.gz")
    want = _heads(tmp_path)
    good = index_path(warc).read_bytes()
    index_path(warc).write_bytes(damage)
    assert _heads(tmp_path) == want
    assert index_path(warc).read_bytes() == good


def test_an_index_of_another_file_content_is_stale(tmp_path) -> None:
    _archive(tmp_path / "one", records=3)
    _archive(tmp_path / "two", records=5)
    [one], [two] = (tmp_path / "one").glob("*.warc.gz"), (tmp_path / "two").glob("*.warc.gz")
    _heads(tmp_path / "one")
    two.write_bytes(one.read_bytes() + two.read_bytes())  # the indexed file, grown
    index_path(one).replace(index_path(two))
    assert _heads(tmp_path / "two") == _read_records(tmp_path / "two")
    assert len(_heads(tmp_path / "two")) == 12


def test_unreadable_records_and_torn_tails_are_warned_of_from_the_index_too(tmp_path,
                                                                           caplog) -> None:
    _archive(tmp_path)
    [warc] = tmp_path.glob("*.warc.gz")
    warc.write_bytes(warc.read_bytes() + UNREADABLE + b"\x1f\x8b\x08torn")
    want = _read_records(tmp_path)
    for _ in range(2):  # building the index, then reading it
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            assert _heads(tmp_path) == want
        messages = " ".join(r.getMessage() for r in caplog.records)
        assert "unreadable WARC record" in messages and "torn gzip member" in messages


def test_a_folder_that_cannot_be_written_to_keeps_no_index(tmp_path, monkeypatch) -> None:
    _archive(tmp_path)

    def refuse(source: object, target: object) -> None:
        raise PermissionError("read-only folder")

    monkeypatch.setattr(member_index.os, "replace", refuse)
    assert _heads(tmp_path) == _read_records(tmp_path)
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".gz"]


def test_the_writer_saves_the_index_a_pass_over_each_file_builds(tmp_path, monkeypatch):
    """A crawl's files are indexed as they are written: even the first pass reads the index
    instead of inflating them, and it holds what a pass over the file finds (responses of
    any status, guessed pages, other records), file by file when the writer rolls over."""
    _archive(tmp_path, records=6, keep_index=True, max_bytes=40_000)
    warcs = sorted(tmp_path.glob("*.warc.gz"))
    assert len(warcs) >= 2
    for warc in warcs:
        saved = member_index._DECODER.decode(index_path(warc).read_bytes())
        assert saved == member_index._scan(warc, member_index._stamp(warc))[1]
    want = _read_records(tmp_path)
    assert {status for _, _, status, _, _ in want} == {200, 304, 404}

    def no_inflating(path: Path) -> None:
        raise AssertionError(f"{path} inflated although the writer indexed it")

    monkeypatch.setattr(member_index, "iter_member_spans", no_inflating)
    assert _heads(tmp_path) == want


def test_an_index_the_writer_cannot_save_only_costs_the_first_pass(tmp_path, monkeypatch,
                                                                  caplog) -> None:
    def fail(self: object, path: Path) -> None:
        raise RuntimeError("no index today")

    monkeypatch.setattr(member_index.IndexBuilder, "save", fail)
    with caplog.at_level(logging.WARNING):
        _archive(tmp_path, keep_index=True)
    assert "no member index written" in caplog.text
    [warc] = tmp_path.glob("*.warc.gz")  # sealed all the same
    assert not index_path(warc).exists()
    monkeypatch.undo()
    assert _heads(tmp_path) == _read_records(tmp_path)
    assert index_path(warc).is_file()


def test_an_index_of_a_file_that_grew_after_its_members_is_not_saved(tmp_path) -> None:
    _archive(tmp_path, keep_index=True)
    [warc] = tmp_path.glob("*.warc.gz")
    builder = member_index.IndexBuilder(warc)
    for offset, data, length in member_index.iter_member_spans(warc):
        builder.add(data, offset, length)
    index_path(warc).unlink()
    builder.save(warc)
    assert member_index._DECODER.decode(index_path(warc).read_bytes()) \
        == member_index._scan(warc, member_index._stamp(warc))[1]
    index_path(warc).unlink()
    warc.write_bytes(warc.read_bytes() + UNREADABLE)
    builder.save(warc)
    assert not index_path(warc).exists()


def test_a_member_out_of_place_leaves_the_file_without_an_index(tmp_path, caplog) -> None:
    _archive(tmp_path)
    [warc] = tmp_path.glob("*.warc.gz")
    builder = member_index.IndexBuilder(warc)
    for offset, data, length in member_index.iter_member_spans(warc):
        builder.add(data, offset + 1, length)  # never raises into the writer
    with caplog.at_level(logging.WARNING):
        builder.save(warc)
    assert not index_path(warc).exists()
    assert "a member at byte 1, not 0" in caplog.text


def _rewrite(warc: Path, entries: list, digest: str | None = None) -> None:
    """Replace the index's entries (their digest made to match unless `digest` is given)."""
    index = member_index._DECODER.decode(index_path(warc).read_bytes())
    index_path(warc).write_bytes(member_index.msgspec.json.encode(member_index.Index(
        index.format, index.stamp, index.end, digest or member_index._digest(entries),
        entries)))


def _entries(warc: Path) -> list:
    return member_index._DECODER.decode(index_path(warc).read_bytes()).entries


@pytest.mark.parametrize("damage", ["drop", "reorder", "retitle"])
def test_a_damaged_index_is_not_read(tmp_path, damage: str) -> None:
    """Entries that no longer tile the file's members, or that do not match their digest,
    make the index unreadable: the file is read again."""
    _archive(tmp_path)
    [warc] = tmp_path.glob("*.warc.gz")
    want = _heads(tmp_path)
    entries = _entries(warc)
    responses = [i for i, e in enumerate(entries) if e[2] == 200]
    if damage == "drop":  # a response left out, its digest made to match
        _rewrite(warc, [e for i, e in enumerate(entries) if i != responses[0]])
    elif damage == "reorder":
        entries[responses[0]], entries[responses[1]] = entries[responses[1]], entries[responses[0]]
        _rewrite(warc, entries)
    else:  # a status changed, the digest left as it was
        entries[responses[0]] = (*entries[responses[0]][:2], 404, *entries[responses[0]][3:])
        _rewrite(warc, entries, digest=member_index._DECODER.decode(
            index_path(warc).read_bytes()).entries_sha256)
    assert _heads(tmp_path) == want
    assert _entries(warc) == _scan_entries(warc)


def _scan_entries(warc: Path) -> list:
    return [tuple(e) for e in member_index._scan(warc)[1].entries]


def test_rebuild_with_a_stale_index_starts_again_without_it(tmp_path, caplog) -> None:
    """An index that reads well but names other records than the file holds where it says
    (written by hand, or a bug) is found out by the replay: the rebuild starts again from the
    archive and publishes the same."""
    _archive(tmp_path / "warc", records=6)
    [warc] = (tmp_path / "warc").glob("*.warc.gz")
    rebuild(tmp_path / "warc", tmp_path / "plain", Thresholds())  # indexes the file
    want = _tables(tmp_path / "plain")
    assert len(want["articles"]) == 6
    entries = _entries(warc)
    first, second = [i for i, e in enumerate(entries) if e[2] == 200][:2]
    entries[first], entries[second] = ((*entries[first][:2], *entries[second][2:]),
                                       (*entries[second][:2], *entries[first][2:]))
    _rewrite(warc, entries)  # each page's URL and date at the other's place
    with caplog.at_level(logging.WARNING):
        report = rebuild(tmp_path / "warc", tmp_path / "again", Thresholds())
    assert "does not match" in caplog.text
    got = _tables(tmp_path / "again")
    for name in TABLES:
        assert got[name].equals(want[name]), name
    assert report.counts == rebuild(tmp_path / "warc", tmp_path / "third", Thresholds()).counts
