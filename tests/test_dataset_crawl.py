"""End to end: `gpscrape crawl` over a small local mirror publishes the Parquet tables."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from run_command import crawl_argv, crawl_settings, gpscrape, output_of
from test_dataset import frames

from gpscrape.schema import TABLES

mirror = pytest.importorskip("gpscrape.mirror")

# One request at a time: which of a record's several links is followed first (and so the
# link-dependent `url`, `series_raw`, body hash) depends on crawl order under concurrency.
FAST = crawl_settings(CONCURRENT_REQUESTS=1)


@pytest.fixture(scope="module")
def server():
    site = mirror.MirrorSite.generate(records=30, seed=11)
    with mirror.MirrorServer(site) as running:
        yield running


def crawl(server, output: Path):
    return gpscrape(*crawl_argv(server.base_url, output, *FAST), timeout=300)


@pytest.fixture(scope="module")
def crawled(server, tmp_path_factory):
    output = tmp_path_factory.mktemp("crawl") / "out"
    done = crawl(server, output)
    assert done.returncode == 0, output_of(done)
    return output


def test_one_article_row_per_served_record(server, crawled):
    articles = pd.read_parquet(crawled / "articles")
    assert sorted(articles["record_no"]) == server.site.record_nos()
    assert articles["record_no"].is_unique
    assert len(pd.read_parquet(crawled / "quarantine")) == 0


def test_sections_match_the_expected_records(server, crawled):
    sections = pd.read_parquet(crawled / "sections")
    counts = Counter(sections["record_no"])
    for record_no in server.site.record_nos():
        expected = server.expected(record_no)
        assert counts[record_no] == sum(len(t.sections) for t in expected.topics), record_no


def test_every_table_is_published(crawled):
    for name in TABLES:
        assert (crawled / name).is_dir(), name
    assert len(pd.read_parquet(crawled / "authors")) > 0
    assert len(pd.read_parquet(crawled / "listings")) > 0


def test_crawling_again_leaves_the_tables_identical(server, crawled):
    before = frames(crawled)
    done = crawl(server, crawled)
    assert done.returncode == 0, done.stdout + done.stderr
    after = frames(crawled)
    for name in TABLES:
        pd.testing.assert_frame_equal(before[name], after[name], obj=name)


FAILING_PUBLISH = """
import sys
from gpscrape.dataset import writer
def fail(self):
    raise OSError("disk full (simulated)")
writer.DatasetWriter.publish = fail
from gpscrape.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_failed_publish_fails_the_run_and_the_next_run_recovers_it(server, tmp_path):
    output = tmp_path / "out"
    failed = gpscrape(*crawl_argv(server.base_url, output, *FAST), script=FAILING_PUBLISH,
                      timeout=300)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "publishing the dataset failed" in failed.stderr
    assert not (output / "runs").exists() or not list((output / "runs").glob("*.json"))
    assert not (output / "articles").exists()
    again = crawl(server, output)
    assert again.returncode == 0, again.stdout + again.stderr
    articles = pd.read_parquet(output / "articles")
    assert sorted(articles["record_no"]) == server.site.record_nos()
