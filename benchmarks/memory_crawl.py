"""Peak memory of a fresh crawl of a 20,000-record mirror against a 2,000-record one.

Each crawl runs `gpscrape crawl` in its own process against a local mirror served by another
process, into a fresh output folder; the crawl's peak RSS is read from `wait4`. The goal is a
ratio of at most 1.2 (memory does not grow with the number of pages). It prints the figures
and never fails on them.

    python benchmarks/memory_crawl.py [--small 2000] [--large 20000] [--seed 0] [--json]
                                      [--without-pipelines]

`--without-pipelines` crawls with no item pipelines (nothing written): the spider's own share.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _results
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]


def crawl_peak(records: int, seed: int, extra: list[str]) -> tuple[float, int | None, float]:
    """(peak RSS in MiB, article rows written or None, seconds) of one fresh crawl."""
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
            _, _, usage = os.wait4(crawl.pid, 0)
            elapsed = time.monotonic() - started
            articles = output / "articles" / "part-0.parquet"
            rows = pq.ParquetFile(articles).metadata.num_rows if articles.exists() else None
    finally:
        mirror.terminate()
        mirror.wait()
    return usage.ru_maxrss / 1024, rows, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=2000, help="records of the small mirror")
    parser.add_argument("--large", type=int, default=20000, help="records of the large mirror")
    parser.add_argument("--seed", type=int, default=0, help="mirror seed")
    parser.add_argument("--json", action="store_true", help="also print a JSON result line")
    parser.add_argument("--without-pipelines", action="store_true",
                        help="crawl with no item pipelines (the spider's own memory)")
    args = parser.parse_args()
    extra = ["-s", "ITEM_PIPELINES={}"] if args.without_pipelines else []
    results, figures = {}, {}
    for records in (args.small, args.large):
        peak, rows, elapsed = crawl_peak(records, args.seed, extra)
        results[records] = peak
        figures[f"peak RSS, {records} records"] = _results.figure([peak], "MiB")
        figures[f"crawl time, {records} records"] = _results.figure([elapsed], "s")
        print(f"{records:>6} records: peak RSS {peak:7.1f} MiB, {rows} article rows, "
              f"{elapsed:.0f} s", flush=True)
    ratio = results[args.large] / results[args.small]
    print(f"ratio {args.large}/{args.small}: {ratio:.2f} (goal <= 1.2)")
    if args.json:
        _results.emit("memory_crawl", figures,
                      [_results.ratio(f"peak RSS {args.large} / {args.small} records", ratio,
                                      "<= 1.2")],
                      ["one fresh crawl per size (single runs)"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
