"""The rebuild's quick paths read what the general ones read: WARC records parsed without
warcio's stream reads give warcio's fields, members read in one sequential pass give the
members read one at a time, and staged runs give back the rows staged."""

from __future__ import annotations

import gzip
import re
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gpscrape.archive import WarcWriter
from gpscrape.archive.members import complete_length, iter_members, read_member
from gpscrape.archive.reader import (
    IRREGULAR,
    _plain_record,
    _warcio_record,
    iter_responses,
    read_response,
)
from gpscrape.archive.writer import Exchange
from gpscrape.dataset.runs import read_run, temporal_columns, write_run
from gpscrape.schema import LISTINGS

AT = datetime(2026, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
PAGE = "<html><body><p>Caf\u00e9 \u2014 a page</p></body></html>".encode()
EXCHANGES = [
    Exchange("https://globalpolitics.in/view_cir_articles.php?recordNo=7", "GET", [], b"", 200,
             [("Content-Type", "text/html; charset=utf-8"), ("ETag", '"abc"')], PAGE, AT),
    Exchange("https://globalpolitics.in/view_cir_articles.php?recordNo=8", "GET", [], b"", 200,
             [("Content-Encoding", "gzip"), ("Last-Modified", "Tue, 03 Mar 2026 00:00:00 GMT")],
             gzip.compress(PAGE), AT, guess="probe"),
    Exchange("https://globalpolitics.in/view_cir_articles.php?recordNo=9", "GET", [], b"", 404,
             [("Server", "caf\u00e9"), ("X-Empty", "")], b"", AT, guess="backfill"),
    Exchange("https://globalpolitics.in/view_cir_articles.php?recordNo=7", "GET", [], b"", 304,
             [], b"", AT),
    Exchange("http://127.0.0.1:8000/robots.txt", "GET", [], b"", 200,
             [("Content-Type", "text/plain")], b"User-agent: *\n", AT),
]


def _used(record: object) -> object:
    """The parts of a parsed record the reader uses."""
    if record is None:
        return None
    fields, status, headers, body = record
    return ({name: fields.get(name) for name in ("warc-target-uri", "warc-date",
                                                  "gpscrape-guess")}, status, headers, body)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    with WarcWriter(tmp_path, "reading", sync_interval=0) as writer:
        for exchange in EXCHANGES:
            writer.write(exchange)
    [path] = tmp_path.glob("*.warc.gz")
    return path


def test_records_the_writer_writes_are_read_as_warcio_reads_them(archive: Path) -> None:
    members = list(iter_members(archive))
    assert len(members) == 1 + 2 * len(EXCHANGES)
    responses = 0
    for _, data in members:
        plain = _plain_record(data)
        assert plain is not IRREGULAR  # the quick path reads every record the crawl writes
        assert _used(plain) == _used(_warcio_record(data))
        responses += plain is not None
    assert responses == len(EXCHANGES)
    read = list(iter_responses(archive.parent))
    assert [(r.url, r.status, r.guess, r.body) for r in read] == [
        (e.url, e.status, e.guess, PAGE if e.status == 200 and "recordNo" in e.url else e.body)
        for e in EXCHANGES]
    assert read[0].header("etag") == '"abc"' and read[2].header("x-empty") == ""


@pytest.mark.parametrize("change", [
    (b"\r\nContent-Type: text/html", b"\r\nContent-Type:\r\n  text/html"),  # a folded header
    (b"\r\nContent-Type: text/html", b"\nContent-Type: text/html"),  # a bare LF
    (b"HTTP/1.1 200", b"http/1.1 200"),  # lower-case protocol
    (b"\r\nWARC-Target-URI: https://", b"\r\nWARC-Target-URI: <https://"),  # wget's brackets
])
def test_an_irregular_record_is_read_by_warcio(archive: Path, change: tuple[bytes, bytes]
                                                ) -> None:
    data = next(d for _, d in iter_members(archive) if PAGE in d)
    edited = data.replace(*change, 1)
    if change[1].startswith(b"\r\nWARC-Target-URI: <"):
        edited = edited.replace(b"recordNo=7\r\n", b"recordNo=7>\r\n", 1)
    else:  # the record's block grew or shrank: its length follows
        length = int(re.search(rb"Content-Length: (\d+)", data)[1])
        edited = edited.replace(b"Content-Length: %d" % length,
                                b"Content-Length: %d" % (length + len(edited) - len(data)), 1)
    assert edited != data
    assert _plain_record(edited) is IRREGULAR
    path = archive.with_name("edited.warc.gz")
    path.write_bytes(gzip.compress(edited))
    response = read_response(path, 0)
    assert (response.url, response.status, response.body) == (EXCHANGES[0].url, 200, PAGE)


def test_members_read_in_one_pass_are_the_members_read_one_by_one(archive: Path) -> None:
    torn = archive.with_name("torn.warc.gz")
    whole = archive.read_bytes()
    torn.write_bytes(whole + zlib.compress(b"x" * 100)[:20])  # a member cut short at the end
    members = list(iter_members(torn))
    assert b"".join(data for _, data in members) == gzip.decompress(whole)
    with torn.open("rb") as handle:
        for offset, data in members:
            assert read_member(handle, offset)[0] == data
    assert complete_length(torn) == len(whole) == complete_length(archive)


def test_staged_rows_come_back_as_staged(tmp_path: Path) -> None:
    rows = [{"cwa_no": n, "month": date(2025, 1 + n % 12, 1) if n % 2 else None, "title": f"T\u00e9 {n}",
             "authors": ["A", "B\ud800"][: n % 3], "author_bio": None, "url": None,
             "record_no": None, "seen_on_record_no": n, "seen_on_url": "u",
             "fetched_at": AT, "_seq": n} for n in range(1, 200)]
    path = tmp_path / "run.json"
    write_run(path, rows)
    assert list(read_run(path, temporal_columns(LISTINGS.schema))) == rows
