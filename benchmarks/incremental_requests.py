"""Incremental run: how many article pages a crawl fetches again when nothing is new.

A local mirror (in this process) is crawled once by `gpscrape crawl` into a fresh output
folder; then the same crawl runs again over the same folder, `--rounds` times, with the mirror
unchanged. Each second run's requests are read from the mirror's log: requests for articles the
dataset already holds (goal: 0), probes above the highest recordNo (expected: the probe
budget, all answering 404) and all requests. Informs, never asserts.

    .venv/bin/python benchmarks/incremental_requests.py [--records 300] [--rounds 3] [--json]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _results

from gpscrape.mirror import MirrorServer, MirrorSite

ROOT = Path(__file__).resolve().parents[1]
FAST = ["-s", "AUTOTHROTTLE_ENABLED=False", "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8", "-s", "GPSCRAPE_SEEDS="]


def crawl(base_url: str, output: Path) -> tuple[int, float]:
    """(exit code, seconds) of one `gpscrape crawl` into `output`."""
    command = [sys.executable, "-m", "gpscrape", "crawl", "--base-url", base_url,
               "--output", str(output), *FAST]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return done.returncode, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=300, help="records in the mirror")
    parser.add_argument("--rounds", type=int, default=3, help="second runs")
    parser.add_argument("--seed", type=int, default=0, help="mirror seed")
    parser.add_argument("--json", action="store_true", help="also print a JSON result line")
    args = parser.parse_args()
    site = MirrorSite.generate(records=args.records, seed=args.seed)
    known = set(site.record_nos())
    again: list[int] = []
    probes: list[int] = []
    total: list[int] = []
    seconds: list[float] = []
    codes: list[int] = []
    with MirrorServer(site) as server, tempfile.TemporaryDirectory() as tmp:
        output = Path(tmp) / "out"
        first_code, first_seconds = crawl(server.base_url, output)
        first_articles = len({n for n, _ in server.article_requests()})
        print(f"first run: {first_articles} recordNos requested in {first_seconds:.1f} s "
              f"(exit {first_code})")
        for _ in range(args.rounds):
            server.clear_log()
            code, elapsed = crawl(server.base_url, output)
            numbers = [n for n, _ in server.article_requests()]
            again.append(sum(n in known for n in numbers))
            probes.append(sum(n not in known for n in numbers))
            total.append(len(server.requests))
            seconds.append(elapsed)
            codes.append(code)
            print(f"second run: {again[-1]} known article pages fetched again, {probes[-1]} "
                  f"probes, {total[-1]} requests in all, {elapsed:.1f} s (exit {code})")
    worst = max(again)
    print(f"known article requests when nothing is new: {statistics.median(again):.0f} "
          f"(max {worst}; goal 0: {'met' if worst == 0 else 'MISSED'})")
    if args.json:
        _results.emit(
            "incremental_requests",
            {"second run: known article requests": _results.figure(again, "requests"),
             "second run: probes above the highest recordNo": _results.figure(probes, "requests"),
             "second run: all requests": _results.figure(total, "requests"),
             "second run: duration": _results.figure(seconds, "s")},
            [_results.ratio("known article requests when nothing is new (worst run)", worst,
                            "== 0", runs=again)],
            [f"mirror of {args.records} records, {first_articles} recordNos requested on the first "
             f"run; crawl exit codes: first {first_code}, second {sorted(set(codes))}"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
