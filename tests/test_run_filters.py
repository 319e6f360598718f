"""A run's filters (`--series`, `--since`, `--limit`): recorded with its archive and applied when
a killed run is recovered; the records they leave out are remembered, so a repeated filtered
run does not request them, while an unfiltered run still fetches them."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path

from run_command import crawl_argv, crawl_settings, gpscrape, newest_report, output_of

from gpscrape import exit_codes
from gpscrape.archive import WarcWriter
from gpscrape.archive.reader import warc_files, warcinfo
from gpscrape.archive.writer import Exchange
from gpscrape.dataset.read import read_frame
from gpscrape.incremental.filters import LEFT_OUT_FILE, RecordFilter, load_left_out
from gpscrape.incremental.resume import recover
from gpscrape.mirror import MirrorServer, MirrorSite

FAST = crawl_settings(CONCURRENT_REQUESTS_PER_DOMAIN=8, GPSCRAPE_PROBE_MISSES=3,
                      GPSCRAPE_MIN_COVERAGE=0)
BASE = "http://127.0.0.1:9/"


def _archive(warc: Path, run_id: str, site: MirrorSite, record_nos: list[int],
             record_filter: RecordFilter) -> None:
    """What a killed run with `record_filter` left: its pages archived, no report."""
    with WarcWriter(warc, run_id, info=record_filter.info()) as writer:
        for n in record_nos:
            writer.write(Exchange(site.article_urls(n, BASE)[0], "GET", [], b"", 200, [],
                                  site.render(n, BASE).encode(), datetime.now(UTC)))


def test_recovery_applies_the_killed_runs_filters(tmp_path) -> None:
    site = MirrorSite.generate(records=30, seed=81)
    expected = {n: site.expected(n) for n in site.record_nos()}
    series = Counter(r.series for r in expected.values()).most_common(1)[0][0]
    in_series = [n for n, r in expected.items() if r.series == series]
    others = [n for n in site.record_nos() if n not in in_series]
    dated = sorted(r.published for r in expected.values() if r.published)
    since = dated[len(dated) // 2]
    output = tmp_path / "out"
    warc = output / "warc"
    _archive(warc, "20260102T000000Z-aaaaaa", site, [*in_series, *others[:3]],
             RecordFilter(series=series.casefold(), limit=len(in_series) - 1))
    later = site.record_nos()[-6:]
    _archive(warc, "20260103T000000Z-bbbbbb", site, later, RecordFilter(since=since))

    recovery = recover(output, warc)

    kept_since = [n for n in later if expected[n].published and expected[n].published >= since]
    published = set(read_frame(output, "articles")["record_no"])
    assert published == {*in_series[:-1], *kept_since}  # the limit kept the first ones
    left_out = set(load_left_out(output))
    assert left_out == {*others[:3], *(n for n in later if n not in kept_since)} - published
    assert recovery.records == len(published)
    assert recover(output, warc).files == 0  # marked recovered


def crawl(server: MirrorServer, output: Path, *extra: str) -> dict:
    done = gpscrape(*crawl_argv(server.base_url, output, *FAST, *extra))
    assert done.returncode == exit_codes.OK, output_of(done)
    return newest_report(output)


def test_records_a_filter_left_out_are_not_requested_again_until_a_run_keeps_them(tmp_path):
    site = MirrorSite.generate(records=16, seed=82, missing_rate=0.0)
    expected = {n: site.expected(n) for n in site.record_nos()}
    series = Counter(r.series for r in expected.values()).most_common(1)[0][0]
    left_out = {n for n, r in expected.items() if r.series != series}
    output = tmp_path / "out"
    with MirrorServer(site) as server:
        crawl(server, output, "--series", series)
        assert set(load_left_out(output)) == left_out  # all fetched once, remembered
        (first_warc,) = warc_files(output / "warc")
        assert RecordFilter.from_info(warcinfo(first_warc)) == RecordFilter(series.casefold())

        server.clear_log()
        crawl(server, output, "--series", series)
        again = {n for n, _ in server.article_requests()}
        assert not again & left_out

        server.clear_log()
        crawl(server, output)  # unfiltered: the left-out records are fetched, once each
        fetched = Counter(n for n, _ in server.article_requests())
    assert left_out <= set(fetched) and max(fetched[n] for n in left_out) == 1
    assert sorted(read_frame(output, "articles")["record_no"]) == site.record_nos()
    assert load_left_out(output) == {} and (output / LEFT_OUT_FILE).exists()


def test_a_record_filter_keeps_the_spiders_records() -> None:
    record_filter = RecordFilter(series="conflict weekly", since=date(2024, 1, 1), limit=3)
    assert record_filter.keeps("Conflict Weekly", date(2024, 1, 1))
    assert not record_filter.keeps("Conflict Weekly", None)
    assert not record_filter.keeps("The World This Week", date(2025, 1, 1))
    assert RecordFilter.from_info(record_filter.info()) == record_filter
    assert RecordFilter.from_info({}) == RecordFilter()
