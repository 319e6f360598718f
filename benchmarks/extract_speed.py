"""Extraction speed: `extract_page` vs the floor (lxml parsing alone) vs trafilatura.

All three run in one process over the same local-mirror pages, interleaved CHUNK pages at a
time (a few hundredths of a second each, so that the shared machine's speed, which drifts over
seconds, is the same for all three, while each keeps its code warm over its chunk), timed in
CPU time of this process (`time.process_time`), so that other work on the machine does not
count. Prints per-page medians (min-max over
rounds) and the ratios (each taken within one round; their median over rounds) against the goals
(<= 4x the lxml floor; >= 12x faster than `trafilatura.extract`). Informs, never asserts.
Each round reads pages no earlier round read, so the extractor's bounded per-line caches help
only as much as on a crawl (where the sidebar and the labels repeat from page to page), not as
on the same pages read again.
trafilatura comes with the optional `bench` extra; without it that column is skipped.
`--stages` also times `parse_tree` and `parse_blocks` alone, and reports extract_page's three
stages (each a difference within one round): the parse, the walk, the text rules.

    .venv/bin/python benchmarks/extract_speed.py [--pages 300] [--rounds 5] [--stages] [--json]
"""

from __future__ import annotations

import argparse
import statistics
import time

import _results
from _pages import article_pages
from lxml import etree

from gpscrape.extract import extract_page
from gpscrape.extract.blocks import parse_blocks, parse_tree
from gpscrape.mirror import MirrorSite


def mirror_pages(count: int) -> list[tuple[bytes, str]]:
    """The canonical article pages of a generated mirror, as (body, url)."""
    return article_pages(MirrorSite.generate(records=count, seed=1), count)


CHUNK = 10  # pages each contender reads in turn


def per_page(contenders: dict, pages: list[tuple[bytes, str]]) -> dict[str, float]:
    """CPU seconds per page of each contender over every page, the contenders taking turns
    CHUNK pages at a time."""
    spent = dict.fromkeys(contenders, 0.0)
    for start in range(0, len(pages), CHUNK):
        chunk = pages[start:start + CHUNK]
        for name, func in contenders.items():
            started = time.process_time()
            for body, url in chunk:
                func(body, url)
            spent[name] += time.process_time() - started
    return {name: seconds / len(pages) for name, seconds in spent.items()}


def print_stages(timings: dict[str, list[float]]) -> None:
    """extract_page's stages, each the median over rounds of a difference within one round,
    and its ratio to the floor."""
    rounds = range(len(timings["parse_tree"]))
    stages = {
        "parse (parse_tree)": [timings["parse_tree"][i] for i in rounds],
        "walk (parse_blocks - parse_tree)": [timings["parse_blocks"][i] - timings["parse_tree"][i]
                                             for i in rounds],
        "text rules (extract - parse_blocks)": [timings["gpscrape extract_page"][i]
                                                - timings["parse_blocks"][i] for i in rounds],
    }
    floor = timings["lxml parse (floor)"]
    for name, values in stages.items():
        ratio = statistics.median(v / f for v, f in zip(values, floor, strict=True))
        print(f"  stage: {name:36s} {statistics.median(values) * 1e3:7.3f} ms/page "
              f"({ratio:.2f}x the floor)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="also print a JSON result line")
    parser.add_argument("--stages", action="store_true",
                        help="also time the parse and the walk alone (stages by difference)")
    args = parser.parse_args()
    every_page = mirror_pages(args.pages * args.rounds)
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
    if args.stages:
        contenders["parse_tree"] = lambda body, url: parse_tree(body)
        contenders["parse_blocks"] = lambda body, url: parse_blocks(body)
    timings: dict[str, list[float]] = {name: [] for name in contenders}
    ratios: dict[str, list[float]] = {"floor": [], "trafilatura": []}
    for round_no in range(args.rounds):
        pages = every_page[round_no * args.pages:(round_no + 1) * args.pages]
        for name, seconds in per_page(contenders, pages).items():
            timings[name].append(seconds)
        ours = timings["gpscrape extract_page"][-1]  # each ratio within one round
        ratios["floor"].append(ours / timings["lxml parse (floor)"][-1])
        if "trafilatura.extract" in timings:
            ratios["trafilatura"].append(timings["trafilatura.extract"][-1] / ours)
    size = statistics.mean(len(body) for body, _ in every_page) / 1000
    print(f"{args.pages} mirror pages a round, new ones each round, mean {size:.1f} KB, "
          f"{args.rounds} rounds")
    for name, values in timings.items():
        print(f"  {name:24s} {statistics.median(values) * 1e3:7.3f} ms/page "
              f"(min {min(values) * 1e3:.3f}, max {max(values) * 1e3:.3f})")
    if args.stages:
        print_stages(timings)
    ratio = statistics.median(ratios["floor"])
    print(f"extract / lxml floor: {ratio:.2f}x (goal <= 4x: {'met' if ratio <= 4 else 'MISSED'})")
    if "trafilatura.extract" in timings:
        speedup = statistics.median(ratios["trafilatura"])
        print(f"trafilatura / extract: {speedup:.1f}x faster "
              f"(goal >= 12x: {'met' if speedup >= 12 else 'MISSED'})")
    if args.json:
        goals = [_results.ratio("extract / lxml floor", ratio, "<= 4", runs=ratios["floor"])]
        if "trafilatura.extract" in timings:
            goals.append(_results.ratio("trafilatura / extract speed-up", speedup, ">= 12",
                                        runs=ratios["trafilatura"]))
        _results.emit("extract_speed",
                      {name: _results.figure(values, "ms/page", 1e3)
                       for name, values in timings.items()},
                      goals, [f"{args.pages} new mirror pages a round, mean {size:.1f} KB; "
                              "each ratio within one round, median over rounds"])


if __name__ == "__main__":
    main()
