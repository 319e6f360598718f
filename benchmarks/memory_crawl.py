"""Peak memory of a fresh crawl of a 20,000-record mirror against a 2,000-record one.

Each crawl runs `gpscrape crawl` in its own process against a local mirror served by another
process, into a fresh output folder. The crawl's peak RSS is the larger of its process's own
peak (from `wait4`) and the peak of the summed RSS of its process and every process it started
(extraction workers), sampled every 0.1 s from /proc; the crawl's own peak and its workers'
are reported too, to tell which grows. So is the peak of that sum less its file-backed pages
(`statm`'s shared pages: the libraries mapped from disk, up to about 110 MiB, which the kernel
may drop and read back as it needs memory): the memory the crawl allocates itself, whose ratio
tells growth apart from that baseline. Each repeat crawls both sizes, one right after
the other, and gives one ratio; the goal is a ratio of at most 1.2 (memory does not grow with
the number of pages) in every repeat, so the worst ratio is the one checked. It prints the
figures and never fails on them.

    python benchmarks/memory_crawl.py [--small 2000] [--large 20000] [--seed 0] [--repeats 3]
                                      [--json] [--without-pipelines]

`--without-pipelines` crawls with no item pipelines (nothing written): the spider's own share.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import _results
import pyarrow.parquet as pq
from _pages import size_note

from gpscrape.mirror import MirrorSite

ROOT = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]


@dataclass(frozen=True)
class Crawled:
    """One fresh crawl: peak RSS in MiB (all its processes; its own; its workers'; all its
    processes' anonymous pages), article rows written (None when none were), seconds."""

    peak: float
    own: float
    workers: float
    anonymous: float
    rows: int | None
    seconds: float


def crawl_peak(records: int, seed: int, extra: list[str]) -> Crawled:
    """Peak memory, rows and time of one fresh crawl of a `records` mirror."""
    mirror = subprocess.Popen(
        [sys.executable, "-m", "gpscrape", "mirror", "--records", str(records),
         "--seed", str(seed)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        base_url = mirror.stdout.readline().strip()
        with tempfile.TemporaryDirectory() as tmp:
            output = Path(tmp) / "out"
            started = time.monotonic()
            crawl = subprocess.Popen(
                [sys.executable, "-m", "gpscrape", "crawl", "--base-url", base_url,
                 "--output", str(output), *FAST, *extra],
                cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            tree_peak = workers_peak = anonymous_peak = 0
            usage = None
            while usage is None:
                own, workers, anonymous = tree_rss(crawl.pid)
                tree_peak = max(tree_peak, own + workers)
                workers_peak = max(workers_peak, workers)
                anonymous_peak = max(anonymous_peak, anonymous)
                pid, _, rusage = os.wait4(crawl.pid, os.WNOHANG)
                if pid:
                    usage = rusage
                else:
                    time.sleep(0.1)
            elapsed = time.monotonic() - started
            articles = output / "articles" / "part-0.parquet"
            rows = pq.ParquetFile(articles).metadata.num_rows if articles.exists() else None
    finally:
        mirror.terminate()
        mirror.wait()
    own = usage.ru_maxrss * 1024
    return Crawled(max(own, tree_peak) / 2**20, own / 2**20, workers_peak / 2**20,
                   anonymous_peak / 2**20, rows, elapsed)


def tree_rss(pid: int) -> tuple[int, int, int]:
    """Bytes resident now in process `pid`, in all its descendants, and in all of them less
    their file-backed pages (0 once gone)."""
    own = descendants = anonymous = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            resident, shared = Path(f"/proc/{current}/statm").read_text().split()[1:3]
            size = int(resident) * PAGE
            anonymous += size - int(shared) * PAGE
        except (OSError, ValueError):
            continue  # the process ended meanwhile
        if current == pid:
            own = size
        else:
            descendants += size
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending += [int(child) for child in task.read_text().split()]
            except (OSError, ValueError):
                continue
    return own, descendants, anonymous


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000, help="records of the small mirror")
    parser.add_argument("--large", type=int, default=20000, help="records of the large mirror")
    parser.add_argument("--seed", type=int, default=0, help="mirror seed")
    parser.add_argument("--repeats", type=int, default=3, help="pairs of crawls")
    parser.add_argument("--json", action="store_true", help="also print a JSON result line")
    parser.add_argument("--without-pipelines", action="store_true",
                        help="crawl with no item pipelines (the spider's own memory)")
    args = parser.parse_args()
    extra = ["-s", "ITEM_PIPELINES={}"] if args.without_pipelines else []
    peaks: dict[int, list[float]] = {args.small: [], args.large: []}
    own: dict[int, list[float]] = {args.small: [], args.large: []}
    anonymous: dict[int, list[float]] = {args.small: [], args.large: []}
    workers: dict[int, list[float]] = {args.small: [], args.large: []}
    times: dict[int, list[float]] = {args.small: [], args.large: []}
    ratios, anonymous_ratios = [], []
    for _ in range(args.repeats):
        for records in (args.small, args.large):
            crawled = crawl_peak(records, args.seed, extra)
            peaks[records].append(crawled.peak)
            own[records].append(crawled.own)
            workers[records].append(crawled.workers)
            anonymous[records].append(crawled.anonymous)
            times[records].append(crawled.seconds)
            print(f"{records:>6} records: peak RSS {crawled.peak:7.1f} MiB (crawl process "
                  f"{crawled.own:.0f}, workers {crawled.workers:.0f}; anonymous "
                  f"{crawled.anonymous:.0f}), {crawled.rows} article rows, "
                  f"{crawled.seconds:.0f} s", flush=True)
        ratios.append(peaks[args.large][-1] / peaks[args.small][-1])
        anonymous_ratios.append(anonymous[args.large][-1] / anonymous[args.small][-1])
        print(f"ratio {args.large}/{args.small}: {ratios[-1]:.2f} (goal <= 1.2); anonymous "
              f"pages only: {anonymous_ratios[-1]:.2f}", flush=True)
    worst = max(ratios)
    print(f"worst ratio of {len(ratios)}: {worst:.2f} (goal <= 1.2 in every run)")
    if args.json:
        figures = {}
        for records in (args.small, args.large):
            figures[f"peak RSS, {records} records"] = _results.figure(peaks[records], "MiB")
            figures[f"crawl process's own peak RSS, {records} records"] = _results.figure(
                own[records], "MiB")
            figures[f"extraction workers' peak RSS, {records} records"] = _results.figure(
                workers[records], "MiB")
            figures[f"peak anonymous RSS (less file-backed pages), {records} records"] = (
                _results.figure(anonymous[records], "MiB"))
            figures[f"crawl time, {records} records"] = _results.figure(times[records], "s")
        size = size_note(MirrorSite.generate(records=args.small, seed=args.seed))
        _results.emit("memory_crawl", figures,
                      [_results.ratio(f"peak RSS {args.large} / {args.small} records, worst run",
                                      worst, "<= 1.2", runs=ratios),
                       _results.ratio(f"peak anonymous RSS {args.large} / {args.small} records, "
                                      "worst run", max(anonymous_ratios),
                                      runs=anonymous_ratios)],
                      [f"{args.repeats} pairs of fresh crawls, {size}"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
