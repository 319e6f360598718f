"""`gpscrape wacz`: the WACZ of a demo crawl validates with py-wacz, every article reads back
out of it by URL through its CDXJ index, its pages list matches `articles`; clear errors, and
a failed run never leaves a partial file at the target."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_timestamp
from warcio.warcwriter import WARCWriter

from gpscrape import exit_codes
from gpscrape.cli import main
from gpscrape.dataset.read import read_arrow

wacz_main = pytest.importorskip("wacz.main", reason="gpscrape wacz needs the wacz extra").main


@pytest.fixture(scope="module")
def package(demo, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("wacz") / "demo.wacz"
    assert main(["wacz", "--dataset", str(demo), "--output", str(target)]) == exit_codes.OK
    return target


def validate(path: Path) -> int:
    """py-wacz's `wacz validate -f FILE`, in this process."""
    with contextlib.redirect_stdout(io.StringIO()):
        return wacz_main(["validate", "-f", str(path)])


def pages(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as archive:
        lines = archive.read("pages/pages.jsonl").decode("utf-8").splitlines()
    header, *entries = map(json.loads, lines)
    assert header["format"] == "json-pages-1.0"
    return entries


def cdxj(archive: zipfile.ZipFile) -> list[tuple[str, str, dict]]:
    """The CDXJ index lines as (SURT key, timestamp, fields)."""
    text = gzip.decompress(archive.read("indexes/index.cdx.gz")).decode("utf-8")
    rows = []
    for line in text.splitlines():
        key, timestamp, fields = line.split(" ", 2)
        rows.append((key, timestamp, json.loads(fields)))
    return rows


def response_body(archive: zipfile.ZipFile, index: list, url: str, ts: str) -> bytes:
    """The body of the response to `url` captured at `ts`: found in the CDXJ index, read
    from the WARC file inside the zip with warcio."""
    timestamp = iso_date_to_timestamp(ts)
    [fields] = [f for _, when, f in index
                if f["url"] == url and when == timestamp and f.get("status") == "200"]
    with archive.open(f"archive/{fields['filename']}") as warc:
        warc.seek(int(fields["offset"]))
        member = warc.read(int(fields["length"]))
    record = next(iter(ArchiveIterator(io.BytesIO(member))))
    assert record.rec_type == "response"
    assert record.rec_headers.get_header("WARC-Target-URI") == url
    return record.content_stream().read()


def test_the_wacz_validates_and_its_pages_are_the_articles(demo, package):
    assert validate(package) == 0
    articles = read_arrow(demo, "articles").to_pylist()
    entries = pages(package)
    assert [e["url"] for e in entries] == [a["url"] for a in articles]
    assert [e["title"] for e in entries] == [a["title"] or a["url"] for a in articles]
    assert [e.get("published") for e in entries] == [
        a["published"].isoformat() if a["published"] else None for a in articles]
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        package_json = json.loads(archive.read("datapackage.json"))
    warcs = sorted(p.name for p in (demo / "warc").glob("*.warc.gz"))
    assert {f"archive/{name}" for name in warcs} <= names
    assert package_json["wacz_version"] == "1.1.1"
    assert {r["path"] for r in package_json["resources"]} == names - {"datapackage.json",
                                                                       "datapackage-digest.json"}


def test_every_article_reads_back_by_url_through_the_index(demo, package):
    articles = {a["url"]: a for a in read_arrow(demo, "articles").to_pylist()}
    with zipfile.ZipFile(package) as archive:
        index = cdxj(archive)
        for entry in pages(package):
            body = response_body(archive, index, entry["url"], entry["ts"])
            article = articles[entry["url"]]
            assert hashlib.sha256(body).hexdigest() == article["content_sha256"], entry["url"]
            assert b"<html" in body.lower()


def test_no_published_dataset_is_a_clear_error(tmp_path, capsys):
    target = tmp_path / "x.wacz"
    code = main(["wacz", "--dataset", str(tmp_path / "empty"), "--output", str(target)])
    assert code == exit_codes.BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no published dataset" in err
    assert not target.exists()


def test_without_the_wacz_extra_the_command_says_what_to_install(monkeypatch, tmp_path, capsys):
    monkeypatch.delitem(sys.modules, "gpscrape.archive.wacz_export", raising=False)
    monkeypatch.setitem(sys.modules, "wacz.main", None)  # as if the package were absent
    assert main(["wacz", "--dataset", str(tmp_path)]) == exit_codes.USAGE
    assert "pip install 'gpscrape[wacz]'" in capsys.readouterr().err


def test_no_archive_is_a_clear_error(demo, tmp_path, capsys):
    target = tmp_path / "x.wacz"
    code = main(["wacz", "--dataset", str(demo), "--warc", str(tmp_path / "nowhere"),
                 "--output", str(target)])
    assert code == exit_codes.BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no WARC archive" in err
    assert not target.exists()


def test_a_failed_run_leaves_the_earlier_file_untouched(demo, tmp_path, capsys):
    warc = tmp_path / "warc"
    shutil.copytree(demo / "warc", warc)
    (warc / "gpscrape-20260101T000000Z-zzzzzz-00001.warc.gz").write_bytes(b"not a WARC file")
    target = tmp_path / "out" / "kept.wacz"
    target.parent.mkdir()
    target.write_bytes(b"the earlier package")
    code = main(["wacz", "--dataset", str(demo), "--warc", str(warc), "--output", str(target)])
    assert code == exit_codes.BAD_INPUT
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "zzzzzz" in err and "damaged" in err
    assert target.read_bytes() == b"the earlier package"
    assert [p.name for p in target.parent.iterdir()] == ["kept.wacz"]


def test_the_wacz_library_failing_midway_leaves_no_partial_file(demo, tmp_path, monkeypatch):
    def fail_midway(arguments):
        output = Path(arguments[arguments.index("--output") + 1])
        output.write_bytes(b"PK half a zip")
        raise OSError("No space left on device")

    monkeypatch.setattr("gpscrape.archive.wacz_export.wacz_main", fail_midway)
    target = tmp_path / "x.wacz"
    code = main(["wacz", "--dataset", str(demo), "--output", str(target)])
    assert code == exit_codes.BAD_INPUT
    assert list(tmp_path.iterdir()) == []


def test_articles_without_an_archived_response_are_reported(demo, tmp_path, capsys):
    articles = read_arrow(demo, "articles").to_pylist()
    dropped = {a["url"] for a in articles[:3]}
    warc = tmp_path / "warc"
    warc.mkdir()
    with (warc / "gpscrape-20260101T000000Z-xxxxxx-00001.warc.gz").open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for path in sorted((demo / "warc").glob("*.warc.gz")):
            with path.open("rb") as stream:
                for record in ArchiveIterator(stream):
                    if record.rec_headers.get_header("WARC-Target-URI") not in dropped:
                        writer.write_record(record)
    open_file = warc / "gpscrape-20260101T000000Z-yyyyyy-00001.warc.gz.open"
    open_file.write_bytes(b"")
    target = tmp_path / "x.wacz"
    code = main(["wacz", "--dataset", str(demo), "--warc", str(warc), "--output", str(target)])
    assert code == exit_codes.OK
    captured = capsys.readouterr()
    assert open_file.name in captured.err
    assert "3 article(s) have no archived 200 response" in captured.err
    assert all(url in captured.err for url in dropped)
    assert [e["url"] for e in pages(target)] == [a["url"] for a in articles[3:]]
    assert validate(target) == 0
