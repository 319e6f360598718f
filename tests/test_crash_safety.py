"""SIGKILL `gpscrape crawl` while it fetches (the mirror holds its answers), while it appends to
its WARC file (then its last WARC record is cut, as a torn write) or while it publishes the
Parquet tables (at a publish step chosen from the seed, where it waits to be killed), then check
the dataset and resume. Every kill must land: the process ends by SIGKILL, mid-run (no run
report, and its WARC file still open or its publish begun).

Each seed plays two rounds over one mirror: a first crawl into an empty output, killed, then
resumed; new records appear on the site, and a second crawl is killed and resumed (in the long
runs, every other seed also kills that resume while it publishes, e.g. the records it recovered
from the archive). After each kill the published dataset must be readable and exactly what the
last publish left: nothing, the previous version unchanged, or a new version holding every
record of the previous one, each once and with its content. After each resume every record of
the site is in `articles` exactly once with its content, and nothing is quarantined.

`gpscrape reextract` gets the same treatment: killed at a publish step, the dataset is the
crawl's (before the swap) or the complete rebuild (after it), and running it again completes.
"""

from __future__ import annotations

import contextlib
import os
import random
from pathlib import Path

import pandas as pd
import pytest
from kills import (
    BEFORE_SWAP,
    PUBLISH_STEPS,
    HoldingMirror,
    kill_while_fetching,
    kill_while_publishing,
    open_warc_files,
    run_reports,
)
from run_command import QUICK_RETRIES, crawl_argv, crawl_settings, gpscrape, in_process, output_of
from test_dataset import frames

from gpscrape import exit_codes
from gpscrape.archive.members import complete_length, iter_members
from gpscrape.dataset import DatasetWriter, layout
from gpscrape.mirror import MirrorSite

# Field coverage is not what these tests are about: a resumed run's report covers only the
# records it fetched, and on some seeds too few of those have a date for the check's limit.
SETTINGS = crawl_settings(QUICK_RETRIES, DOWNLOAD_TIMEOUT=5, CONCURRENT_REQUESTS_PER_DOMAIN=2,
                          GPSCRAPE_MIN_COVERAGE=0)
FETCH, WARC, PUBLISH = "fetch", "warc", "publish"
PHASES = (FETCH, PUBLISH, WARC)  # seed s kills in PHASES[2s % 3], then PHASES[(2s + 1) % 3]
DEFAULT_SEEDS = [0, 1]
LONG_SEEDS = list(range(100, 124))
RECORDS, ADDED = 25, 6  # records of the site, and added before the second round


def kill_crawl(server: HoldingMirror, output: Path, phase: str, rng: random.Random,
               articles: int) -> str:
    """SIGKILL a crawl that has `articles` article pages to fetch, in `phase` at a point drawn
    from `rng`, and check that it died mid-run; returns where it was killed."""
    reports = run_reports(output)
    argv = crawl_argv(server.base_url, output, *SETTINGS)
    if phase == PUBLISH:
        step = rng.choice(PUBLISH_STEPS)
        kill_while_publishing(argv, step, output.parent)
        where = f"at publish step {step}"
    else:
        archived = warc_size(output)
        article = rng.randint(2, articles)  # one answered at least: the WARC file has grown
        grown = (lambda: warc_size(output) > archived) if phase == WARC \
            else (lambda: bool(open_warc_files(output)))
        kill_while_fetching(argv, server, article, ready=grown)
        assert open_warc_files(output), "a crawl killed mid-fetch leaves its WARC file open"
        where = f"waiting for article {article}"
    assert run_reports(output) == reports, "a killed crawl writes no run report"
    return where


def warc_size(output: Path) -> int:
    """Bytes in the WARC files a crawl is appending to."""
    total = 0
    for path in open_warc_files(output):
        with contextlib.suppress(FileNotFoundError):
            total += path.stat().st_size
    return total


def tear_last_record(output: Path, rng: random.Random) -> None:
    """Cut the newest open WARC file inside its last record, as a write the kill interrupted
    (a real kill rarely lands inside one: each record is a few small writes)."""
    files = sorted(open_warc_files(output), key=lambda p: p.stat().st_mtime)
    if not files:
        return
    offsets = [offset for offset, _ in iter_members(files[-1])]
    size = files[-1].stat().st_size
    if offsets and size - offsets[-1] > 1:
        os.truncate(files[-1], rng.randrange(offsets[-1] + 1, size))


def torn_warc(output: Path) -> bool:
    """Whether a WARC file ends in a partly written record."""
    return any(complete_length(p) < p.stat().st_size
               for p in open_warc_files(output))


def published(output: Path) -> dict[str, pd.DataFrame] | None:
    """Every table of the published dataset, or None when nothing was ever published."""
    if layout.current_version(output) is None:
        assert not (output / "articles").exists()
        return None
    return frames(output)


def assert_consistent(server: HoldingMirror, tables: dict[str, pd.DataFrame],
                      before: dict[str, pd.DataFrame] | None) -> None:
    """Records of the site at most once, with the content the mirror rendered, and every
    record `before` held."""
    articles = tables["articles"]
    assert articles["record_no"].is_unique
    assert set(articles["record_no"]) <= set(server.site.record_nos())
    if before is not None:
        assert set(before["articles"]["record_no"]) <= set(articles["record_no"])
    for row in articles.itertuples():
        expected = server.expected(row.record_no)
        assert (row.title, row.body_text) == (expected.title, expected.body_text), row.record_no
    assert tables["quarantine"].empty
    assert tables["sections"].groupby(["record_no", "topic_index", "section_index"]).size().max() == 1


def assert_complete(server: HoldingMirror, tables: dict[str, pd.DataFrame]) -> None:
    """Every record of the site once, with the content the mirror rendered."""
    assert_consistent(server, tables, None)
    assert sorted(tables["articles"]["record_no"]) == server.site.record_nos()


def assert_same(actual: dict[str, pd.DataFrame], wanted: dict[str, pd.DataFrame]) -> None:
    for name, frame in wanted.items():
        pd.testing.assert_frame_equal(actual[name], frame, obj=name)


def killed_round(server: HoldingMirror, output: Path, phase: str, rng: random.Random,
                 before: dict[str, pd.DataFrame] | None, articles: int) -> str:
    """Kill a crawl in `phase`; check what is published against `before` (the last publish);
    returns what happened, e.g. `warc: killed waiting for article 7, torn WARC tail, previous
    version kept`."""
    version = layout.current_version(output)
    where = kill_crawl(server, output, phase, rng, articles)
    if phase == WARC:
        tear_last_record(output, rng)
    torn = torn_warc(output)
    after = published(output)
    if after is None:
        assert before is None
        kept = "nothing published"
    elif layout.current_version(output) == version:
        assert before is not None
        assert_same(after, before)
        kept = "previous version kept"
    else:  # the crawl's final publish, or the publish of records recovered from the archive
        assert not where.endswith(BEFORE_SWAP), f"killed {where}, yet a new version is published"
        assert_consistent(server, after, before)
        count, total = len(after["articles"]), len(server.site.record_nos())
        kept = f"new version with {count} of {total} records"
    return f"{phase}: killed {where}, {'torn' if torn else 'whole'} WARC tail, {kept}"


def resumed(server: HoldingMirror, output: Path) -> dict[str, pd.DataFrame]:
    """Run the crawl again to its end; the complete published tables."""
    done = gpscrape(*crawl_argv(server.base_url, output, *SETTINGS), timeout=180)
    assert done.returncode == exit_codes.OK, output_of(done)
    tables = published(output)
    assert tables is not None
    assert_complete(server, tables)
    return tables


def kill_and_resume(seed: int, tmp_path: Path, kill_twice: bool = False) -> list[str]:
    """Two kill-and-resume rounds over one mirror; what happened in each. With `kill_twice`,
    the first resume of the second round is killed too, while it publishes."""
    rng = random.Random(seed)
    phases = [PHASES[2 * seed % 3], PHASES[(2 * seed + 1) % 3]]
    site = MirrorSite.generate(records=RECORDS, seed=seed, missing_rate=0.05)
    output = tmp_path / "out"
    with HoldingMirror(site) as server:
        story = [killed_round(server, output, phases[0], rng, None, RECORDS)]
        first = resumed(server, output)
        site.add_records(ADDED)
        story.append(killed_round(server, output, phases[1], rng, first, ADDED))
        if kill_twice:
            story.append(killed_round(server, output, PUBLISH, rng, published(output), ADDED))
        final = resumed(server, output)
    old = final["articles"][final["articles"]["record_no"].isin(first["articles"]["record_no"])]
    pd.testing.assert_frame_equal(old.reset_index(drop=True),
                                  first["articles"].reset_index(drop=True), obj="old rows")
    return story


@pytest.mark.parametrize("seed", DEFAULT_SEEDS)
def test_kill_during_a_crawl_then_resume(seed: int, tmp_path: Path) -> None:
    story = kill_and_resume(seed, tmp_path)
    assert len(story) == 2 and all(": killed " in line for line in story), story


@pytest.mark.long
@pytest.mark.parametrize("seed", LONG_SEEDS)
def test_kill_during_a_crawl_then_resume_many_seeds(seed: int, tmp_path: Path) -> None:
    story = kill_and_resume(seed, tmp_path, kill_twice=seed % 2 == 1)
    assert all(": killed " in line for line in story), story
    print(f"seed {seed}: " + "; ".join(story))  # shown with -s


def test_a_second_run_on_an_output_in_use_stops_before_fetching(tmp_path: Path) -> None:
    output = tmp_path / "out"
    with DatasetWriter(output):  # another run, writing there
        done = in_process(*crawl_argv("http://127.0.0.1:9/", output, *SETTINGS))
    assert done.returncode == exit_codes.BAD_INPUT, done.stdout + done.stderr
    assert done.stderr.strip() == f"gpscrape crawl: another writer is using {output}"
    assert published(output) is None


def kill_and_rerun_reextract(seed: int, tmp_path: Path) -> str:
    """Crawl once, then SIGKILL `gpscrape reextract` at a publish step drawn from the seed and
    run it again."""
    step = random.Random(seed).choice(PUBLISH_STEPS)
    site = MirrorSite.generate(records=20, seed=seed, missing_rate=0.05)
    output = tmp_path / "out"
    rebuild = ["reextract", "--output", str(output)]
    with HoldingMirror(site) as server:
        crawled = resumed(server, output)
        version, reports = layout.current_version(output), run_reports(output)
        kill_while_publishing(rebuild, step, tmp_path)
        assert run_reports(output) == reports, "a killed rebuild writes no run report"
        after = published(output)
        assert after is not None
        kept = layout.current_version(output) == version
        assert kept == (step in BEFORE_SWAP), step
        if kept:
            assert_same(after, crawled)
        else:
            assert_complete(server, after)
        done = gpscrape(*rebuild)
        assert done.returncode == exit_codes.OK, output_of(done)
        final = published(output)
        assert final is not None
        assert_complete(server, final)
    return f"reextract killed at publish step {step}, " \
           f"{'previous version kept' if kept else 'rebuilt version complete'}"


def test_kill_during_reextract_then_run_it_again(tmp_path: Path) -> None:
    assert "killed" in kill_and_rerun_reextract(0, tmp_path)


@pytest.mark.long
@pytest.mark.parametrize("seed", range(200, 210))
def test_kill_during_reextract_many_seeds(seed: int, tmp_path: Path) -> None:
    print(f"seed {seed}: {kill_and_rerun_reextract(seed, tmp_path)}")  # shown with -s


@pytest.mark.parametrize("make", ["a file", "a folder named like a table"])
def test_an_output_that_cannot_be_written_stops_before_fetching(make: str, tmp_path: Path) -> None:
    output = tmp_path / "out"
    if make == "a file":
        output.write_text("not a folder")
    else:
        (output / "articles").mkdir(parents=True)
    done = in_process(*crawl_argv("http://127.0.0.1:9/", output, *SETTINGS))
    assert done.returncode == exit_codes.BAD_INPUT, done.stdout + done.stderr
    assert done.stderr.startswith(f"gpscrape crawl: cannot write to {output}: ")
    assert "Traceback" not in done.stderr
