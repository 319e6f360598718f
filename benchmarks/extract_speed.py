"""Extraction speed: `extract_page` vs the floor (lxml parsing alone) vs trafilatura.

All three run in one process over the same local-mirror pages, interleaved round by round so
that machine noise hits them alike. Prints per-page medians (min-max over rounds) and the ratios
against the goals (<= 4x the lxml floor; >= 12x faster than `trafilatura.extract`). Informs,
never asserts. trafilatura comes with the optional `bench` extra; without it that column is
skipped.

    .venv/bin/python benchmarks/extract_speed.py [--pages 300] [--rounds 5] [--json]
"""

from __future__ import annotations

import argparse
import statistics
import time

import _results
from lxml import etree

from gpscrape.extract import extract_page
from gpscrape.mirror import MirrorSite

BASE = "http://127.0.0.1:8000/"


def mirror_pages(count: int) -> list[tuple[bytes, str]]:
    """The canonical article pages of a generated mirror, as (body, url)."""
    site = MirrorSite.generate(records=count, seed=1)
    pages = []
    for record_no in site.record_nos()[:count]:
        url = site.article_urls(record_no, BASE)[0]
        pages.append((site.respond(url[len(BASE) - 1:], BASE).body, url))
    return pages


def per_page(func, pages) -> float:
    """Seconds per page for one pass of `func` over every page."""
    started = time.perf_counter()
    for body, url in pages:
        func(body, url)
    return (time.perf_counter() - started) / len(pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="also print a JSON result line")
    args = parser.parse_args()
    pages = mirror_pages(args.pages)
    html_parser = etree.HTMLParser()
    contenders = {
        "lxml parse (floor)": lambda body, url: etree.fromstring(body, html_parser),
        "gpscrape extract_page": extract_page,
    }
    try:
        import trafilatura

        contenders["trafilatura.extract"] = lambda body, url: trafilatura.extract(body, url=url)
    except ImportError:
        print("trafilatura not installed (pip install -e '.[bench]'): its column is skipped")
    timings: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(args.rounds):
        for name, func in contenders.items():
            timings[name].append(per_page(func, pages))
    size = statistics.mean(len(body) for body, _ in pages) / 1024
    print(f"{len(pages)} mirror pages, mean {size:.1f} KiB, {args.rounds} rounds")
    for name, values in timings.items():
        print(f"  {name:24s} {statistics.median(values) * 1e3:7.3f} ms/page "
              f"(min {min(values) * 1e3:.3f}, max {max(values) * 1e3:.3f})")
    ours = statistics.median(timings["gpscrape extract_page"])
    floor = statistics.median(timings["lxml parse (floor)"])
    ratio = ours / floor
    print(f"extract / lxml floor: {ratio:.2f}x (goal <= 4x: {'met' if ratio <= 4 else 'MISSED'})")
    if "trafilatura.extract" in timings:
        speedup = statistics.median(timings["trafilatura.extract"]) / ours
        print(f"trafilatura / extract: {speedup:.1f}x faster "
              f"(goal >= 12x: {'met' if speedup >= 12 else 'MISSED'})")
    if args.json:
        ratios = [_results.ratio("extract / lxml floor", ratio, "<= 4")]
        if "trafilatura.extract" in timings:
            ratios.append(_results.ratio("trafilatura / extract speed-up", speedup, ">= 12"))
        _results.emit("extract_speed",
                      {name: _results.figure(values, "ms/page", 1e3)
                       for name, values in timings.items()},
                      ratios, [f"{len(pages)} mirror pages, mean {size:.1f} KiB"])


if __name__ == "__main__":
    main()
