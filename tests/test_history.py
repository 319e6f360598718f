"""Each record's history: a changed fetch adds a revision, an unchanged one (or a 304) only
moves `last_seen_at`; the writer merges with the published history; on the mirror a refresh
after k pages change adds exactly k revisions and reports them, and a rebuild from the WARC
archive reproduces the revisions."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from run_command import gpscrape
from test_dataset import START, page, write
from test_incremental import crawl, first_crawl

from gpscrape import exit_codes
from gpscrape.content_version import version_of
from gpscrape.dataset import DatasetWriter, layout
from gpscrape.dataset.history import Span, merge_revisions
from gpscrape.dataset.read import read_frame
from gpscrape.mirror import MirrorServer, MirrorSite

DAY = timedelta(days=1)


def revisions(output: Path) -> pd.DataFrame:
    return read_frame(output, "revisions").set_index(["record_no", "revision"])


def test_an_unchanged_fetch_only_moves_last_seen(tmp_path) -> None:
    write(tmp_path, [page(101), page(102)])
    # another URL (whose label line the site echoes) and another sidebar: the same content
    again = page(101, fetched=START + DAY, url="https://example.test/other.php?recordNo=101",
                 series_raw="NIAS CONFLICT WEEKLY",
                 listing=[{"cwa_no": 7, "authors": ["Someone"]}])
    result = write(tmp_path, [again])
    assert result.changed == 0
    history = revisions(tmp_path)
    assert len(history) == 2
    assert history.loc[(101, 1), "first_seen_at"] == START
    assert history.loc[(101, 1), "last_seen_at"] == START + DAY
    assert list(history.loc[(101, 1), "changed_fields"]) == []
    article = read_frame(tmp_path, "articles").set_index("record_no").loc[101]
    assert (article["revision"], article["first_seen_at"], article["last_seen_at"]) == (
        1, START, START + DAY)
    assert pd.isna(article["changed_at"])


def test_a_changed_fetch_adds_a_revision_naming_the_changed_fields(tmp_path) -> None:
    write(tmp_path, [page(101), page(102)])
    result = write(tmp_path, [page(101, fetched=START + DAY, title="Corrected"),
                              page(102, fetched=START + DAY)])
    assert result.changed == 1
    history = revisions(tmp_path)
    assert list(history.loc[101].index) == [1, 2] and list(history.loc[102].index) == [1]
    assert list(history.loc[(101, 2), "changed_fields"]) == ["title"]
    assert history.loc[(101, 2), "record_sha256"] == version_of(
        page(101, title="Corrected").record).sha256
    articles = read_frame(tmp_path, "articles").set_index("record_no")
    assert articles.loc[101, "revision"] == 2
    assert articles.loc[101, "changed_at"] == START + DAY
    assert articles.loc[101, "first_seen_at"] == START


def test_a_not_modified_answer_moves_last_seen_and_nothing_else(tmp_path) -> None:
    write(tmp_path, [page(101), page(102)])
    before = read_frame(tmp_path, "articles")
    with DatasetWriter(tmp_path) as writer:
        writer.seen_unchanged(101, START + 2 * DAY)
        writer.seen_unchanged(999, START + 2 * DAY)  # unknown: nothing to extend
        result = writer.publish()
    assert result.changed == 0
    assert revisions(tmp_path).loc[(101, 1), "last_seen_at"] == START + 2 * DAY
    after = read_frame(tmp_path, "articles")
    assert list(after["last_seen_at"]) == [START + 2 * DAY, START]
    pd.testing.assert_frame_equal(after.drop(columns="last_seen_at"),
                                  before.drop(columns="last_seen_at"))


def test_history_from_one_replay_equals_history_run_by_run(tmp_path) -> None:
    """What a rebuild does: every fetch of a record in one run gives the revisions that the
    runs gave one by one (a revert to earlier content is a new revision)."""
    runs = [[page(101), page(102)],
            [page(101, fetched=START + DAY, title="B"), page(102, fetched=START + DAY)],
            [page(101, fetched=START + 2 * DAY)]]
    for items in runs:
        write(tmp_path / "runs", items)
    with DatasetWriter(tmp_path / "replay") as writer:
        for item in reversed([item for items in runs[:-1] for item in items]):
            writer.add_earlier(item)
        for item in runs[-1]:
            writer.add(item)
        writer.add(page(102, fetched=START + DAY))
        writer.publish()
    history = revisions(tmp_path / "runs")
    assert list(history.loc[101, "record_sha256"]) == [
        version_of(page(101).record).sha256, version_of(page(101, title="B").record).sha256,
        version_of(page(101).record).sha256]
    pd.testing.assert_frame_equal(revisions(tmp_path / "replay"), history)
    write(tmp_path / "runs", runs[-1])  # the same sightings again change nothing
    pd.testing.assert_frame_equal(revisions(tmp_path / "runs"), history)


def test_refresh_after_k_pages_change_adds_k_revisions_and_a_rebuild_reproduces_them(
        tmp_path) -> None:
    site = MirrorSite.generate(records=20, seed=31, index_pages=False)
    output = tmp_path / "out"
    with MirrorServer(site) as server:
        first_crawl(server, site, output)
        seen = revisions(output)

        # nothing changed: every known record answers 304
        report = crawl(server, output, "--revalidate", "--seed", str(site.record_nos()[-1]))
        assert report["counts"]["unchanged"] == len(site.record_nos())
        assert report["counts"]["changed"] == 0
        unchanged = revisions(output)
        assert list(unchanged.index) == list(seen.index)
        assert (unchanged["last_seen_at"] > seen["last_seen_at"]).all()

        revised = site.record_nos()[3:6]
        site.revise_records(revised)
        report = crawl(server, output, "--refresh")
    assert report["counts"]["changed"] == len(revised)
    history = revisions(output)
    assert len(history) == len(seen) + len(revised)
    assert sorted(n for n, revision in history.index if revision == 2) == revised
    assert all("title" in list(history.loc[(n, 2), "changed_fields"]) for n in revised)
    articles = read_frame(output, "articles").set_index("record_no")
    assert set(articles.index[articles["revision"] == 2]) == set(revised)

    rebuilt = tmp_path / "rebuilt"
    done = gpscrape("reextract", "--warc", str(output / "warc"), "--output", str(rebuilt))
    assert done.returncode == exit_codes.OK, done.stdout + done.stderr
    again = revisions(rebuilt)
    assert list(again.index) == list(history.index)
    assert list(again["record_sha256"]) == list(history["record_sha256"])
    assert list(again["changed_fields"].map(list)) == list(history["changed_fields"].map(list))
    # Seen times are fetch times: the archived WARC-Date, in the crawl and in the rebuild.
    for column in ("first_seen_at", "last_seen_at"):
        assert list(again[column]) == list(history[column]), column


def test_report_shows_the_changed_records(tmp_path) -> None:
    pytest.importorskip("matplotlib", reason="gpscrape report needs the report extra")
    from lxml import html as lxml_html

    from gpscrape.report.build import write_report
    from gpscrape.report.summary import text_summary

    write(tmp_path, [page(101), page(102), page(103)])
    write(tmp_path, [page(101, fetched=START + DAY, title="Corrected"),
                     page(103, fetched=START + 2 * DAY, body_text="Rewritten.")])
    path, data = write_report(tmp_path)
    tree = lxml_html.fromstring(path.read_bytes())
    rows = [[cell.text_content() for cell in row.xpath("td")]
            for row in tree.xpath("//table[@class='changes']/tr[td]")]
    assert rows == [["103", "2", "2026-01-04 00:00", "body_text", "Issue about item 103"],
                    ["101", "2", "2026-01-03 00:00", "title", "Corrected"]]
    assert "history: 2 of 3 records changed since first seen" in text_summary(data)


def test_a_dataset_published_before_history_was_kept_gains_it(tmp_path) -> None:
    write(tmp_path, [page(101), page(102)])
    version = layout.versions_dir(tmp_path) / layout.current_version(tmp_path)
    old = pq.read_table(layout.table_file(version, "articles"))
    pq.write_table(old.drop_columns(["revision", "first_seen_at", "last_seen_at", "changed_at"]),
                   layout.table_file(version, "articles"))
    shutil.rmtree(version / "revisions")
    write(tmp_path, [page(101, fetched=START + DAY)])
    assert list(revisions(tmp_path).index) == [(101, 1)]
    articles = read_frame(tmp_path, "articles").set_index("record_no")
    assert articles.loc[101, "first_seen_at"] == START + DAY
    assert articles[["revision", "first_seen_at", "last_seen_at"]].loc[102].isna().all()


def test_a_revision_hashed_with_a_field_since_left_out_stays_current() -> None:
    """A published revision whose digests name a field that is no longer content (as
    `series_raw` was) and a new sighting agreeing on every content field are one version."""
    version = version_of(page(101).record)
    older = [*version.digests, "series_raw:0123456789abcdef"]
    published = [{"record_no": 101, "revision": 1, "record_sha256": "0" * 64,
                  "first_seen_at": START, "last_seen_at": START, "changed_fields": [],
                  "field_digests": sorted(older)}]
    rows = merge_revisions(101, published, [Span(START + DAY, START + DAY, version)])
    assert [(r["revision"], r["last_seen_at"]) for r in rows] == [(1, START + DAY)]
    changed = version_of(page(101, title="Another").record)
    rows = merge_revisions(101, published, [Span(START + DAY, START + DAY, changed)])
    assert [r["changed_fields"] for r in rows] == [[], ["title"]]
