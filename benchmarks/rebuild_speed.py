"""Offline rebuild speed: pages per second of `gpscrape reextract` on one core.

Crawls a local mirror of `--records` records once (the mirror in its own process) to build a
WARC archive, then runs `gpscrape reextract` from that archive into a fresh output folder,
pinned to one CPU, and prints pages/s: the wall time of the whole command, from process
start to published tables (interpreter start-up and imports included), which the goal of at
least 400 pages/s is judged on, and the run report's own timing (WARC reading, extraction, the
pipelines and Parquet writing, without start-up). The crawl saves each WARC file's member
index (`gpscrape.archive.member_index`) when it closes the file, so every round reads it; a
round that finds none builds it, and each round says which. Before each round, a process
pinned to the same CPU times the lxml parse of the mirror's article pages: the goal is in
pages per second, not a ratio, and a shared machine's speed varies from one hour to the next,
so the rebuild's time per page is also given as a multiple of that parse (informs only). It
prints the figures and never fails on them.

    python benchmarks/rebuild_speed.py [--records 2000] [--seed 0] [--cpu 0] [--rounds 3]
        [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _results
from _pages import size_note

from gpscrape.archive.member_index import index_path
from gpscrape.archive.reader import warc_files
from gpscrape.mirror import MirrorSite

ROOT = Path(__file__).resolve().parents[1]
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
GOAL = 400.0
PROBE_PAGES = 300

# Milliseconds of CPU per page of the lxml parse (as `extract_speed`'s floor) of the mirror's
# first PROBE_PAGES article pages, the second of two passes; run pinned, before a round.
_PARSE_PROBE = """
import sys, time
sys.path.insert(0, {here!r})
from lxml import etree
from _pages import article_pages
from gpscrape.mirror import MirrorSite
pages = article_pages(MirrorSite.generate(records={records}, seed={seed}), {count})
parser = etree.HTMLParser()
for _ in range(2):
    started = time.process_time()
    for body, _ in pages:
        etree.fromstring(body, parser)
print((time.process_time() - started) / len(pages) * 1000)
"""


def build_archive(records: int, seed: int, output: Path) -> None:
    """Crawl a fresh mirror of `records` records into `output` (tables and WARC files)."""
    mirror = subprocess.Popen(
        [sys.executable, "-m", "gpscrape", "mirror", "--records", str(records),
         "--seed", str(seed)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base_url = mirror.stdout.readline().strip()
        subprocess.run([sys.executable, "-m", "gpscrape", "crawl", "--base-url", base_url,
                        "--output", str(output), *FAST], cwd=ROOT, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
    finally:
        mirror.terminate()
        mirror.wait()


def rebuild(warc: Path, output: Path, cpu: int) -> tuple[dict, float]:
    """(run report, wall seconds) of `gpscrape reextract` pinned to `cpu`."""
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "gpscrape", "reextract", "--warc", str(warc),
                    "--output", str(output)], cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, preexec_fn=lambda: os.sched_setaffinity(0, {cpu}),
                   check=False)
    wall = time.monotonic() - started
    return json.loads(max((output / "runs").glob("*.json")).read_text()), wall


def parse_probe(args: argparse.Namespace) -> float:
    """ms of CPU per page of the lxml parse of mirror article pages, pinned to `args.cpu`."""
    script = _PARSE_PROBE.format(here=str(Path(__file__).resolve().parent),
                                 records=args.records, seed=args.seed,
                                 count=min(PROBE_PAGES, args.records))
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                          text=True, check=True,
                          preexec_fn=lambda: os.sched_setaffinity(0, {args.cpu}))
    return float(done.stdout.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cpu", type=int, default=0, help="CPU to pin the rebuild to")
    parser.add_argument("--rounds", type=int, default=3, help="rebuilds from the one archive")
    parser.add_argument("--json", action="store_true", help="also print a JSON result line")
    args = parser.parse_args()
    rates, walls, probes, multiples, built = [], [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        crawled = Path(tmp) / "crawled"
        build_archive(args.records, args.seed, crawled)
        warc = crawled / "warc"
        size = sum(p.stat().st_size for p in warc_files(warc)) / 2**20
        for round_no in range(args.rounds):
            indexed = all(index_path(p).exists() for p in warc_files(warc))
            if not indexed:
                built.append(round_no + 1)
            probes.append(parse_probe(args))
            report, wall = rebuild(warc, Path(tmp) / f"rebuilt-{round_no}", args.cpu)
            pages = report["counts"]["pages_replayed"]
            rate = pages / report["seconds"] if report["seconds"] else 0.0
            rates.append(rate)
            walls.append(pages / wall)
            multiples.append(wall / pages * 1000 / probes[-1])
            print(f"archive: {pages} pages replayed ({report['counts']['records']} records), "
                  f"{size:.1f} MiB of WARC; member index "
                  f"{'read' if indexed else 'built by this round'}")
            print(f"rebuild on one core: {report['seconds']:.2f} s, {rate:.0f} pages/s "
                  f"(goal {GOAL:.0f}); whole command {wall:.2f} s, {pages / wall:.0f} pages/s, "
                  f"{multiples[-1]:.2f}x the lxml parse of a page on that core just before "
                  f"({probes[-1]:.3f} ms)", flush=True)
    if args.json:
        _results.emit(
            "rebuild_speed",
            {"rebuild on one core": _results.figure(rates, "pages/s"),
             "whole command on one core": _results.figure(walls, "pages/s"),
             "lxml parse of an article page, same core, before the round":
                 _results.figure(probes, "ms/page")},
            [_results.ratio("rebuild pages/s on one core, whole command",
                            statistics.median(walls), f">= {GOAL:.0f}", runs=walls),
             _results.ratio("whole command's time per page / lxml parse of a page",
                            statistics.median(multiples), runs=multiples)],
            [f"{pages} pages replayed from {size:.1f} MiB of WARC ({args.records}-record "
             f"mirror, {size_note(MirrorSite.generate(records=args.records, seed=args.seed))}),"
             f" pinned to CPU {args.cpu}; member index built by the rounds: "
             f"{', '.join(str(n) for n in built) or 'none (the crawl saved it)'}"])


if __name__ == "__main__":
    main()
