"""SIGKILL `gpscrape crawl` at moments chosen from a seed, while it fetches, while it appends
to its WARC file (then its last WARC record is cut, as a torn write) or while it publishes the
Parquet tables, then check the dataset and resume.

Each seed plays two rounds over one mirror: a first crawl into an empty output, killed, then
resumed; new records appear on the site, and a second crawl is killed and resumed (in the long
runs, every other seed also kills that resume while it publishes, e.g. the records it recovered
from the archive). After each kill the published dataset must be readable and exactly what the
last publish left: nothing, the previous version unchanged, or a new version holding every
record of the previous one, each once and with its content. After each resume every record of
the site is in `articles` exactly once with its content, and nothing is quarantined.

`gpscrape reextract` gets the same treatment: killed while it publishes, the dataset is the
crawl's or the complete rebuild, and running it again completes.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from test_dataset import frames

from gpscrape import exit_codes
from gpscrape.archive.members import complete_length, iter_members
from gpscrape.archive.writer import OPEN_SUFFIX
from gpscrape.dataset import DatasetWriter, layout
from gpscrape.mirror import MirrorServer, MirrorSite

ROOT = Path(__file__).resolve().parents[1]
LATENCY = 0.08  # seconds per request, so that a crawl takes a few seconds
SETTINGS = [
    "-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "DOWNLOAD_TIMEOUT=5",
    "-s", "RETRY_TIMES=2", "-s", "GPSCRAPE_RETRY_BACKOFF_BASE=0", "-s", "LOG_LEVEL=WARNING",
    "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "GPSCRAPE_SEEDS=",
]  # fmt: skip
FETCH, WARC, PUBLISH = "fetch", "warc", "publish"
PHASES = (FETCH, PUBLISH, WARC)  # seed s kills in PHASES[2s % 3], then PHASES[(2s + 1) % 3]
DEFAULT_SEEDS = [0, 1]
LONG_SEEDS = list(range(100, 124))


def crawl_argv(server: MirrorServer, output: Path) -> list[str]:
    return [sys.executable, "-m", "gpscrape", "crawl", "--base-url", server.base_url,
            "--output", str(output), *SETTINGS]


def resume(server: MirrorServer, output: Path) -> subprocess.CompletedProcess:
    return subprocess.run(crawl_argv(server, output), cwd=ROOT, capture_output=True, text=True,
                          timeout=180)


def kill_crawl(server: MirrorServer, output: Path, phase: str, rng: random.Random) -> bool:
    """Start a crawl and SIGKILL it in `phase` after a delay drawn from `rng`; True if it was
    killed (False when it finished first)."""
    return kill_command(crawl_argv(server, output), output, phase, rng, server)


def kill_command(argv: list[str], output: Path, phase: str, rng: random.Random,
                 server: MirrorServer | None = None, window: float = 0.25) -> bool:
    """Start `argv` writing to `output` and SIGKILL it in `phase` (FETCH needs the `server`
    it fetches from; PUBLISH waits up to `window` seconds once a version is being written);
    True if it was killed (False when it finished first)."""
    versions = layout.versions_dir(output)
    before = set(os.listdir(versions)) if versions.is_dir() else set()
    archived = warc_size(output)
    seen = len(server.requests) if server is not None else 0
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if phase == FETCH and server is not None and len(server.requests) > seen:
                time.sleep(rng.uniform(0.0, 2.5))
                break
            if phase == PUBLISH and versions.is_dir() and set(os.listdir(versions)) - before:
                time.sleep(rng.uniform(0.0, window))
                break
            if phase == WARC and warc_size(output) > archived + rng.randrange(0, 20_000):
                break  # right after an append: often mid-way through the next one
            time.sleep(0.002)
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
        return process.wait(timeout=60) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def warc_size(output: Path) -> int:
    """Bytes in the WARC files a crawl is appending to."""
    total = 0
    for path in (output / "warc").glob(f"*{OPEN_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            total += path.stat().st_size
    return total


def tear_last_record(output: Path, rng: random.Random) -> None:
    """Cut the newest open WARC file inside its last record, as a write the kill interrupted
    (a real kill rarely lands inside one: each record is a few small writes)."""
    files = sorted((output / "warc").glob(f"*{OPEN_SUFFIX}"), key=lambda p: p.stat().st_mtime)
    if not files:
        return
    offsets = [offset for offset, _ in iter_members(files[-1])]
    size = files[-1].stat().st_size
    if offsets and size - offsets[-1] > 1:
        os.truncate(files[-1], rng.randrange(offsets[-1] + 1, size))


def torn_warc(output: Path) -> bool:
    """Whether a WARC file ends in a partly written record."""
    return any(complete_length(p) < p.stat().st_size
               for p in (output / "warc").glob(f"*{OPEN_SUFFIX}"))


def published(output: Path) -> dict[str, pd.DataFrame] | None:
    """Every table of the published dataset, or None when nothing was ever published."""
    if layout.current_version(output) is None:
        assert not (output / "articles").exists()
        return None
    return frames(output)


def assert_consistent(server: MirrorServer, tables: dict[str, pd.DataFrame],
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


def assert_complete(server: MirrorServer, tables: dict[str, pd.DataFrame]) -> None:
    """Every record of the site once, with the content the mirror rendered."""
    assert_consistent(server, tables, None)
    assert sorted(tables["articles"]["record_no"]) == server.site.record_nos()


def assert_same(actual: dict[str, pd.DataFrame], wanted: dict[str, pd.DataFrame]) -> None:
    for name, frame in wanted.items():
        pd.testing.assert_frame_equal(actual[name], frame, obj=name)


def killed_round(server: MirrorServer, output: Path, phase: str, rng: random.Random,
                 before: dict[str, pd.DataFrame] | None) -> str:
    """Kill a crawl in `phase`; check what is published against `before` (the last publish);
    returns what happened, e.g. `warc: killed, torn WARC tail, previous version kept`."""
    version = layout.current_version(output)
    killed = kill_crawl(server, output, phase, rng)
    if killed and phase == WARC:
        tear_last_record(output, rng)
    torn = killed and torn_warc(output)
    after = published(output)
    if after is None:
        assert before is None
        kept = "nothing published"
    elif layout.current_version(output) == version:
        assert before is not None
        assert_same(after, before)
        kept = "previous version kept"
    else:  # the crawl's final publish, or the publish of records recovered from the archive
        assert_consistent(server, after, before)
        count, total = len(after["articles"]), len(server.site.record_nos())
        kept = f"new version with {count} of {total} records"
    return f"{phase}: {'killed' if killed else 'finished first'}, " \
           f"{'torn' if torn else 'whole'} WARC tail, {kept}"


def resumed(server: MirrorServer, output: Path) -> dict[str, pd.DataFrame]:
    """Run the crawl again to its end; the complete published tables."""
    done = resume(server, output)
    assert done.returncode == exit_codes.OK, done.stdout + done.stderr[-3000:]
    tables = published(output)
    assert tables is not None
    assert_complete(server, tables)
    return tables


def kill_and_resume(seed: int, tmp_path: Path, kill_twice: bool = False) -> list[str]:
    """Two kill-and-resume rounds over one mirror; what happened in each. With `kill_twice`,
    the first resume of the second round is killed too, while it publishes."""
    rng = random.Random(seed)
    phases = [PHASES[2 * seed % 3], PHASES[(2 * seed + 1) % 3]]
    site = MirrorSite.generate(records=25, seed=seed, missing_rate=0.05)
    output = tmp_path / "out"
    with MirrorServer(site, latency=LATENCY) as server:
        story = [killed_round(server, output, phases[0], rng, None)]
        first = resumed(server, output)
        site.add_records(6)
        story.append(killed_round(server, output, phases[1], rng, first))
        if kill_twice:
            story.append(killed_round(server, output, PUBLISH, rng, published(output)))
        final = resumed(server, output)
    old = final["articles"][final["articles"]["record_no"].isin(first["articles"]["record_no"])]
    pd.testing.assert_frame_equal(old.reset_index(drop=True),
                                  first["articles"].reset_index(drop=True), obj="old rows")
    return story


@pytest.mark.parametrize("seed", DEFAULT_SEEDS)
def test_kill_during_a_crawl_then_resume(seed: int, tmp_path: Path) -> None:
    story = kill_and_resume(seed, tmp_path)
    assert any(": killed" in line for line in story), story


@pytest.mark.long
@pytest.mark.parametrize("seed", LONG_SEEDS)
def test_kill_during_a_crawl_then_resume_many_seeds(seed: int, tmp_path: Path) -> None:
    story = kill_and_resume(seed, tmp_path, kill_twice=seed % 2 == 1)
    print(f"seed {seed}: " + "; ".join(story))  # shown with -s


def test_a_second_run_on_an_output_in_use_stops_before_fetching(tmp_path: Path) -> None:
    site = MirrorSite.generate(records=5, seed=9)
    output = tmp_path / "out"
    with MirrorServer(site) as server, DatasetWriter(output):  # another run, writing there
        done = resume(server, output)
        assert server.requests == []
    assert done.returncode == exit_codes.BAD_INPUT, done.stdout + done.stderr
    assert done.stderr.strip() == f"gpscrape crawl: another writer is using {output}"
    assert published(output) is None


def kill_and_rerun_reextract(seed: int, tmp_path: Path) -> str:
    """Crawl once, then SIGKILL `gpscrape reextract` while it publishes and run it again."""
    rng = random.Random(seed)
    site = MirrorSite.generate(records=20, seed=seed, missing_rate=0.05)
    output = tmp_path / "out"
    rebuild = [sys.executable, "-m", "gpscrape", "reextract", "--output", str(output)]
    with MirrorServer(site) as server:
        crawled = resumed(server, output)
        version = layout.current_version(output)
        killed = kill_command(rebuild, output, PUBLISH, rng, window=0.03)
        after = published(output)
        assert after is not None
        kept = layout.current_version(output) == version
        if kept:
            assert_same(after, crawled)
        else:
            assert_complete(server, after)
        done = subprocess.run(rebuild, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == exit_codes.OK, done.stdout + done.stderr[-3000:]
        final = published(output)
        assert final is not None
        assert_complete(server, final)
    return (f"reextract {'killed' if killed else 'finished first'}, "
            f"{'previous version kept' if kept else 'rebuilt version complete'}")


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
    with MirrorServer(MirrorSite.generate(records=5, seed=9)) as server:
        done = resume(server, output)
        assert server.requests == []
    assert done.returncode == exit_codes.BAD_INPUT, done.stdout + done.stderr
    assert done.stderr.startswith(f"gpscrape crawl: cannot write to {output}: ")
    assert "Traceback" not in done.stderr
