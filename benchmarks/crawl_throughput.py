"""Crawl throughput: the full gpscrape pipeline against a bare Scrapy spider, same URLs.

A local mirror (in this process) is crawled by `gpscrape crawl` (discovery, extraction,
pipelines, Parquet output) in a subprocess; then a bare spider, also in a subprocess, fetches
exactly the URLs that crawl fetched and does nothing with them. Both use the same
CONCURRENT_REQUESTS and CONCURRENT_REQUESTS_PER_DOMAIN, with delays off, once with the
mirror's per-response latency and once without. Each ratio full/bare comes from one pair of
runs, one right after the other; the median is over `--repeats` pairs. Goals, both limits at
16: >= 0.9 with 50 ms latency, >= 0.6 without. It prints pages/s, the ratios and the mean size
of the mirror's article pages, and the CPU time per page of each side from its engine's start
to its end: the full crawl's own process (and its reactor thread alone) and its extraction
workers (`GPSCRAPE_EXTRACT_WORKERS`, their start included), and the bare spider's process; it
never fails on them.

    python benchmarks/crawl_throughput.py [--records 1000] [--latency 0.05] [--concurrency 16]
        [--per-domain 16] [--repeats 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _results
from _pages import size_note

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def scrapy_settings(args: argparse.Namespace) -> list[str]:
    pairs = {
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS": str(args.concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(args.per_domain),
        "LOG_LEVEL": "WARNING",
    }
    return [part for name, value in pairs.items() for part in ("-s", f"{name}={value}")]


# `python -m gpscrape`, printing at its exit the CPU seconds of the process (all its threads),
# of its reactor thread alone and of its children (the extraction workers) since the engine
# started.
_COUNTED_GPSCRAPE = """
import atexit, json, resource, runpy, sys, time
from pydispatch import dispatcher
from scrapy import signals

def _cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime

started = {}

def _engine_started(**_):
    started.update(main=_cpu(resource.RUSAGE_SELF), workers=_cpu(resource.RUSAGE_CHILDREN),
                   reactor=time.thread_time())

def _report():
    if started:
        print(CPU_MARK + json.dumps({"main": _cpu(resource.RUSAGE_SELF) - started["main"],
              "reactor": time.thread_time() - started["reactor"],
              "workers": _cpu(resource.RUSAGE_CHILDREN) - started["workers"]}), file=sys.stderr)

dispatcher.connect(_engine_started, signal=signals.engine_started, weak=False)
atexit.register(_report)
sys.argv[0] = "gpscrape"
runpy.run_module("gpscrape", run_name="__main__")
"""
CPU_MARK = "crawl-cpu "


def full_crawl(base_url: str, args: argparse.Namespace, output: Path) -> tuple[float, dict]:
    """Seconds inside the crawl of `gpscrape crawl` (from its summary) and the CPU seconds
    of its process, its reactor thread and its workers from the engine's start (`main`,
    `reactor`, `workers`)."""
    script = f"CPU_MARK = {CPU_MARK!r}\n{_COUNTED_GPSCRAPE}"
    command = [sys.executable, "-c", script, "crawl", "--base-url", base_url,
               "--output", str(output), "-s", "GPSCRAPE_SEEDS=", *scrapy_settings(args)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    match = re.search(r"pages fetched.*; ([\d.]+) s", done.stdout)
    cpu = re.search(re.escape(CPU_MARK) + r"(.*)", done.stderr)
    if not match or not cpu:
        raise SystemExit(f"crawl printed no summary:\n{done.stdout}\n{done.stderr[-2000:]}")
    return float(match.group(1)), json.loads(cpu.group(1))


def bare_crawl(url_file: Path, args: argparse.Namespace) -> tuple[float, float]:
    """Seconds inside the crawl of the bare spider over `url_file`, and its CPU seconds from
    the engine's start."""
    command = [sys.executable, __file__, "--bare", str(url_file), *scrapy_settings(args)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["seconds"], result["cpu"]


def pages_served(server) -> list[str]:
    """URLs the mirror answered since its log was last cleared (robots.txt aside): the pages
    fetched, counted the same way for both crawls."""
    return [server.url(r.target) for r in server.requests if r.target != "/robots.txt"]


def run_bare(url_file: Path, overrides: list[str]) -> None:
    """The bare side, in its own process: fetch every URL of `url_file`, print its seconds."""
    from scrapy import Request, Spider, signals
    from scrapy.crawler import CrawlerProcess

    urls = url_file.read_text().split()

    class BareSpider(Spider):
        name = "bare"

        async def start(self):
            for url in urls:
                yield Request(url, callback=self.parse, errback=self.parse)

        def parse(self, response):
            return None

    settings = {
        "ROBOTSTXT_OBEY": True,
        "TELNETCONSOLE_ENABLED": False,
        "RETRY_ENABLED": False,
        # The project's add-on, so that the per-domain limit holds alike on both sides.
        "ADDONS": {"gpscrape.concurrency.SiteConcurrency": 0},
    }
    settings.update(pair.split("=", 1) for pair in overrides)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    cpu_started: list[float] = []

    def engine_started() -> None:
        cpu_started.append(time.process_time())

    crawler.signals.connect(engine_started, signal=signals.engine_started)
    started = time.monotonic()
    process.crawl(crawler)
    process.start()
    seconds = time.monotonic() - started
    print(json.dumps({"seconds": seconds, "cpu": time.process_time() - cpu_started[0]}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000, help="records in the mirror")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per response")
    parser.add_argument("--concurrency", type=int, default=16, help="CONCURRENT_REQUESTS")
    parser.add_argument(
        "--per-domain", type=int, default=16, help="CONCURRENT_REQUESTS_PER_DOMAIN"
    )
    parser.add_argument("--seed", type=int, default=0, help="mirror seed")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each pair per latency")
    parser.add_argument("--json", action="store_true", help="also print a JSON result line")
    parser.add_argument("--bare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("-s", dest="settings", action="append", default=[], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare:
        run_bare(args.bare, args.settings)
        return 0

    from gpscrape.mirror import MirrorServer, MirrorSite

    site = MirrorSite.generate(records=args.records, seed=args.seed)
    setup = (f"mirror of {args.records} records, {size_note(site)}; CONCURRENT_REQUESTS="
             f"{args.concurrency}, per domain {args.per_domain}, delays off")
    print(setup)
    figures, ratios = {}, []
    for latency in (args.latency, 0.0):
        rates: dict[str, list[float]] = {"full": [], "bare": [], "ratio": []}
        cpu: dict[str, list[float]] = {"main": [], "reactor": [], "workers": [], "bare": []}
        for _ in range(args.repeats):
            with (MirrorServer(site, latency=latency) as server,
                  tempfile.TemporaryDirectory() as tmp):
                full_seconds, full_cpu = full_crawl(server.base_url, args, Path(tmp) / "out")
                fetched = pages_served(server)
                url_file = Path(tmp) / "urls.txt"
                url_file.write_text("\n".join(fetched))
                server.clear_log()
                bare_seconds, bare_cpu = bare_crawl(url_file, args)
                full_pages, bare_pages = len(fetched), len(pages_served(server))
            full_rate, bare_rate = full_pages / full_seconds, bare_pages / bare_seconds
            rates["full"].append(full_rate)
            rates["bare"].append(bare_rate)
            rates["ratio"].append(full_rate / bare_rate)
            cpu["main"].append(full_cpu["main"] / full_pages * 1000)
            cpu["reactor"].append(full_cpu["reactor"] / full_pages * 1000)
            cpu["workers"].append(full_cpu["workers"] / full_pages * 1000)
            cpu["bare"].append(bare_cpu / bare_pages * 1000)
            print(f"latency {latency * 1000:.0f} ms: full {full_pages} pages in "
                  f"{full_seconds:.1f} s = {full_rate:.1f} pages/s; bare {bare_pages} pages in "
                  f"{bare_seconds:.1f} s = {bare_rate:.1f} pages/s; "
                  f"ratio {full_rate / bare_rate:.2f}; CPU per page: full "
                  f"{cpu['main'][-1]:.2f} ms (reactor thread {cpu['reactor'][-1]:.2f}) + "
                  f"workers {cpu['workers'][-1]:.2f} ms, bare {cpu['bare'][-1]:.2f} ms",
                  flush=True)
        label = f"{latency * 1000:.0f} ms latency"
        figures[f"full pipeline, {label}"] = _results.figure(rates["full"], "pages/s")
        figures[f"bare Scrapy spider, {label}"] = _results.figure(rates["bare"], "pages/s")
        figures[f"full crawl's process CPU per page, {label}"] = _results.figure(cpu["main"], "ms")
        figures[f"full crawl's reactor thread CPU per page, {label}"] = _results.figure(
            cpu["reactor"], "ms")
        figures[f"extraction workers' CPU per page, {label}"] = _results.figure(
            cpu["workers"], "ms")
        figures[f"bare spider's CPU per page, {label}"] = _results.figure(cpu["bare"], "ms")
        ratios.append(_results.ratio(f"full / bare pages/s, {label}",
                                     statistics.median(rates["ratio"]),
                                     ">= 0.9" if latency else ">= 0.6", runs=rates["ratio"]))
    if args.json:
        _results.emit("crawl_throughput", figures, ratios,
                      [f"{setup}; each ratio from one pair of runs"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
