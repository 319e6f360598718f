"""WARC archive: round trip, standard headers, rollover by size, torn tails after a crash, and
the archive a mirror crawl leaves (one response per request the mirror served)."""

from __future__ import annotations

import gzip
import hashlib
import threading
import zlib
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from run_command import crawl_argv, crawl_settings, gpscrape, output_of
from warcio.archiveiterator import ArchiveIterator

from gpscrape.archive import WarcWriter, iter_responses, read_response, seal_open_files, warc_files
from gpscrape.archive.writer import Exchange
from gpscrape.mirror import MirrorServer, MirrorSite

T0 = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def exchange(n: int, body: bytes | None = None, headers=None) -> Exchange:
    body = body if body is not None else f"<html><body>page {n} {'x' * n}</body></html>".encode()
    return Exchange(
        url=f"http://127.0.0.1/view_cir_articles.php?recordNo={n}", method="GET",
        request_headers=[("Accept", "text/html")], request_body=b"", status=200,
        response_headers=headers or [("Content-Type", "text/html")], body=body,
        date=T0 + timedelta(seconds=n),
    )


def records(path: Path) -> list:
    with path.open("rb") as handle:
        return [(r.rec_type, r.rec_headers, r.content_stream().read())
                for r in ArchiveIterator(handle)]


def test_round_trip_with_standard_headers(tmp_path) -> None:
    with WarcWriter(tmp_path, "run1") as writer:
        for n in (1, 2, 3):
            writer.write(exchange(n))
    [path] = warc_files(tmp_path)
    assert path.name == "gpscrape-run1-00001.warc.gz"
    found = records(path)
    assert [kind for kind, _, _ in found] == ["warcinfo"] + ["request", "response"] * 3
    uris = [headers.get_header("WARC-Target-URI") for _, headers, _ in found[1:]]
    assert uris == [exchange(n).url for n in (1, 2, 3) for _ in range(2)]
    for _, headers, _ in found[1:]:
        assert headers.get_header("WARC-Date").startswith("2026-01-02T03:04:0")
        assert headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    assert found[2][2] == exchange(1).body
    responses = list(iter_responses(tmp_path))
    assert [r.body for r in responses] == [exchange(n).body for n in (1, 2, 3)]
    assert [r.date for r in responses] == [T0 + timedelta(seconds=n) for n in (1, 2, 3)]
    assert read_response(path, responses[1].offset).url == exchange(2).url


def test_each_record_is_its_own_gzip_member(tmp_path) -> None:
    with WarcWriter(tmp_path, "run1") as writer:
        writer.write(exchange(1))
    data = warc_files(tmp_path)[0].read_bytes()
    members = 0
    while data:
        inflater = zlib.decompressobj(wbits=31)
        inflater.decompress(data)
        assert inflater.eof
        data = inflater.unused_data
        members += 1
    assert members == 3  # warcinfo, request, response


def test_content_coded_body_is_archived_raw_and_read_decoded(tmp_path) -> None:
    page = b"<html>" + b"compressible " * 200 + b"</html>"
    raw = gzip.compress(page)
    with WarcWriter(tmp_path, "run1") as writer:
        writer.write(exchange(1, raw, [("Content-Encoding", "gzip")]))
    [(_, _, archived)] = [r for r in records(warc_files(tmp_path)[0]) if r[0] == "response"]
    [response] = iter_responses(tmp_path)
    assert response.body == page
    assert hashlib.sha1(raw).digest() != hashlib.sha1(page).digest()
    # the raw record block holds the compressed bytes as received
    with warc_files(tmp_path)[0].open("rb") as handle:
        block = [r.raw_stream.read() for r in ArchiveIterator(handle) if r.rec_type == "response"]
    assert block == [raw]


def test_rollover_by_size_starts_files_with_warcinfo(tmp_path) -> None:
    with WarcWriter(tmp_path, "run1", max_bytes=600) as writer:
        for n in range(1, 8):
            writer.write(exchange(n))
    paths = warc_files(tmp_path)
    assert len(paths) == 7
    assert [p.name for p in paths] == sorted(p.name for p in paths)
    for path in paths:
        assert records(path)[0][0] == "warcinfo"
    assert len(list(iter_responses(tmp_path))) == 7


def test_file_being_written_is_open_and_readable(tmp_path) -> None:
    writer = WarcWriter(tmp_path, "run1").open()
    writer.write(exchange(1))
    [path] = warc_files(tmp_path)
    assert path.name.endswith(".warc.gz.open")
    assert len(list(iter_responses(tmp_path))) == 1
    writer.close()
    assert [p.name for p in warc_files(tmp_path)] == ["gpscrape-run1-00001.warc.gz"]


def test_torn_last_member_is_dropped_and_sealed(tmp_path) -> None:
    live = tmp_path / "live"
    writer = WarcWriter(live, "run1").open()
    for n in (1, 2, 3):
        writer.write(exchange(n))
    [written] = warc_files(live)
    path = tmp_path / written.name  # what a crash in the middle of the last record leaves
    path.write_bytes(written.read_bytes()[:-25])
    writer.close()
    assert [r.body for r in iter_responses(tmp_path)] == [exchange(n).body for n in (1, 2)]
    [sealed] = seal_open_files(tmp_path)
    assert sealed.name == "gpscrape-run1-00001.warc.gz"
    assert [kind for kind, _, _ in records(sealed)] == ["warcinfo"] + ["request", "response"] * 2 + ["request"]
    with WarcWriter(tmp_path, "run2") as next_run:  # opening seals too; new files never clash
        next_run.write(exchange(4))
    assert len(list(iter_responses(tmp_path))) == 3


def test_a_live_writers_file_is_not_sealed(tmp_path) -> None:
    live = WarcWriter(tmp_path, "live").open()
    live.write(exchange(1))
    with WarcWriter(tmp_path, "other") as other:  # another crawl starting on the same folder
        other.write(exchange(2))
    live.write(exchange(3))
    live.close()
    assert sorted(p.name for p in warc_files(tmp_path)) == [
        "gpscrape-live-00001.warc.gz", "gpscrape-other-00001.warc.gz"]
    assert sorted(r.body for r in iter_responses(tmp_path)) == sorted(
        exchange(n).body for n in (1, 2, 3))


def test_garbage_after_members_is_not_read_as_records(tmp_path) -> None:
    with WarcWriter(tmp_path, "run1") as writer:
        writer.write(exchange(1))
    path = warc_files(tmp_path)[0]
    with path.open("ab") as handle:
        handle.write(b"\x1f\x8b\x08\x00 not really gzip")
    assert len(list(iter_responses(tmp_path))) == 1


def test_crawl_archives_every_response_the_mirror_sent(tmp_path) -> None:
    site = MirrorSite.generate(records=30, seed=8, missing_rate=0.1)
    with MirrorServer(site) as server:
        done = gpscrape(*crawl_argv(server.base_url, tmp_path / "out", *crawl_settings()))
        served = sorted((server.url(r.target), r.status) for r in server.requests)
    assert done.returncode == 0, output_of(done)
    responses = list(iter_responses(tmp_path / "out" / "warc"))
    assert sorted((r.url, r.status) for r in responses) == served
    for response in responses:
        target = "/" + response.url.split("/", 3)[3]
        assert response.body == site.respond(target, server.base_url).body, target
    assert not list((tmp_path / "out" / "warc").glob("*.open"))


def test_crawl_archives_a_compressed_body_as_received(tmp_path) -> None:
    page = b"<html><body><p>" + b"A page the server compressed. " * 50 + b"</p></body></html>"
    sent = gzip.compress(page)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            gzipped = self.path == "/" and "gzip" in self.headers.get("Accept-Encoding", "")
            body = sent if gzipped else b"not here"
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "text/html")
            if gzipped:
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        gpscrape(*crawl_argv(f"http://127.0.0.1:{server.server_port}/", tmp_path / "out",
                             *crawl_settings(GPSCRAPE_START_PATHS="")))
    finally:
        server.shutdown()
    [path] = warc_files(tmp_path / "out" / "warc")
    with path.open("rb") as handle:
        blocks = {r.rec_headers.get_header("WARC-Target-URI"): r.raw_stream.read()
                  for r in ArchiveIterator(handle) if r.rec_type == "response"}
    home = f"http://127.0.0.1:{server.server_port}/"
    assert blocks[home] == sent
    [response] = [r for r in iter_responses(tmp_path / "out" / "warc") if r.url == home]
    assert response.body == page and response.header("Content-Encoding") == "gzip"


def test_an_unreadable_record_is_skipped_not_fatal(tmp_path, caplog):
    bad = (b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Date: not-a-date\r\n"
           b"Content-Length: 5\r\n\r\nhello\r\n\r\n")
    path = tmp_path / "gpscrape-20260101T000000Z-abc123-00001.warc.gz"
    path.write_bytes(gzip.compress(bad) + gzip.compress(b"no WARC at all\r\n\r\n"))
    assert list(iter_responses(tmp_path, with_body=False)) == []
    assert "unreadable WARC record" in caplog.text
