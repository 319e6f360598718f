"""Incremental runs against the mirror: known article pages are not fetched again, new records
are found by probing above the highest recordNo (with and without index pages), `--refresh`
refetches everything and `--revalidate` sends conditional requests (304 keeps the row)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from run_command import crawl_argv, crawl_settings, gpscrape, newest_report, output_of

from gpscrape import exit_codes
from gpscrape.dataset.read import read_frame
from gpscrape.mirror import MirrorServer, MirrorSite
from gpscrape.urls import record_no_of

PROBES = 5
FAST = crawl_settings(CONCURRENT_REQUESTS_PER_DOMAIN=8, GPSCRAPE_PROBE_MISSES=PROBES)


def crawl(server: MirrorServer, output: Path, *extra: str) -> dict:
    """Run `gpscrape crawl` and return its run report (the newest under output/runs)."""
    done = gpscrape(*crawl_argv(server.base_url, output, *FAST, *extra))
    assert done.returncode == exit_codes.OK, output_of(done)
    return newest_report(output)


def requested(server: MirrorServer) -> Counter:
    return Counter(n for n, _ in server.article_requests())


def first_crawl(server: MirrorServer, site: MirrorSite, output: Path) -> None:
    seed = [] if site.index_pages else ["--seed", str(site.record_nos()[-1])]
    report = crawl(server, output, *seed)
    assert report["counts"]["new_records"] == len(site.record_nos())
    server.clear_log()


@pytest.mark.parametrize("index_pages", [True, False])
def test_next_runs_fetch_only_new_records_and_probes(tmp_path, index_pages) -> None:
    site = MirrorSite.generate(records=30, seed=21, index_pages=index_pages, missing_rate=0.1)
    output = tmp_path / "out"
    with MirrorServer(site) as server:
        first_crawl(server, site, output)
        highest = site.record_nos()[-1]

        report = crawl(server, output)
        assert requested(server) == Counter(range(highest + 1, highest + PROBES + 1))
        assert report["counts"]["new_records"] == 0

        server.clear_log()
        new = site.add_records(3)
        report = crawl(server, output)
        probes = range(new[-1] + 1, new[-1] + PROBES + 1)
        assert requested(server) == Counter([*new, *probes])
        assert report["counts"]["new_records"] == 3
    articles = read_frame(output, "articles")
    assert sorted(articles["record_no"]) == site.record_nos()


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """A mirror, the output of a first full crawl of it and the port it was served on (pages
    link absolute URLs, so their ETags change with the port)."""
    site = MirrorSite.generate(records=25, seed=22, index_pages=False)
    output = tmp_path_factory.mktemp("first") / "out"
    with MirrorServer(site) as server:
        first_crawl(server, site, output)
        port = int(server.base_url.rsplit(":", 1)[1].strip("/"))
    return site, output, port


def copy_output(output: Path, tmp_path: Path) -> Path:
    target = tmp_path / "out"
    shutil.copytree(output, target, symlinks=True)
    return target


@pytest.mark.long
def test_refresh_fetches_every_known_record_again(crawled, tmp_path) -> None:
    site, first, _ = crawled
    output = copy_output(first, tmp_path)
    with MirrorServer(site) as server:
        report = crawl(server, output, "--refresh", "--seed", str(site.record_nos()[-1]))
        counts = requested(server)
    assert set(site.record_nos()) <= set(counts) and max(counts.values()) == 1
    assert report["counts"]["refreshed"] == len(site.record_nos())
    assert report["counts"]["new_records"] == 0


def test_revalidate_keeps_unchanged_rows_and_refetches_changed_ones(crawled, tmp_path) -> None:
    site, first, port = crawled
    output = copy_output(first, tmp_path)
    before = read_frame(output, "articles")
    with MirrorServer(site, port=port) as server:
        report = crawl(server, output, "--revalidate", "--seed", str(site.record_nos()[-1]))
        statuses = Counter(r.status for r in server.requests if "recordNo=" in r.target)
    assert statuses[304] == len(site.record_nos())
    assert report["counts"]["unchanged"] == len(site.record_nos())
    after = read_frame(output, "articles")
    assert after.drop(columns="last_seen_at").equals(before.drop(columns="last_seen_at"))
    assert (after["last_seen_at"] > before["last_seen_at"]).all()  # a 304 is a sighting

    newest = site.record_nos()[-1]
    site = MirrorSite.generate(records=25, seed=22, index_pages=False)
    added = site.add_records(1)  # the old newest record's sidebar gains a link
    with MirrorServer(site, port=port) as server:
        report = crawl(server, output, "--revalidate")
        by_record = {n: r.status for r in server.requests
                     if (n := record_no_of(r.target)) is not None and r.status != 404}
    assert {n for n, status in by_record.items() if status == 200} == {newest, added[0]}
    assert {n for n, status in by_record.items() if status == 304} == set(site.record_nos()[:-2])
    assert report["counts"]["refreshed"] == 1 and report["counts"]["new_records"] == 1


def test_backfill_skips_known_records_and_does_not_probe(crawled, tmp_path) -> None:
    site, first, _ = crawled
    output = copy_output(first, tmp_path)
    known = site.record_nos()
    low, high = known[0] - 2, known[-1] + 2
    with MirrorServer(site) as server:
        done = gpscrape(*crawl_argv(server.base_url, output, "--from", str(low), "--to",
                                    str(high), *FAST, command="backfill"))
        counts = requested(server)
    assert done.returncode == exit_codes.OK, output_of(done)
    assert counts == Counter(n for n in range(low, high + 1) if n not in set(known))
