"""Warnings on the generated mirror: the share of pages whose record carries any warning.

The mirror's pages all extract right, so a warning there is a false alarm: the goal is at most
1% of pages warned (issue 12). Generates the mirror, runs `extract_page` on every URL of every
record (canonical and alias URLs), and prints the warned share against the goal, a count per
warning code, and how many pages read otherwise than the mirror expects (with how many of
those warn: a wrong page should carry a warning). Informs, never asserts.

    .venv/bin/python benchmarks/warnings_mirror.py [--records 1000] [--seed 7] [--json]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

import _results

from gpscrape.extract import extract_page
from gpscrape.extract.warnings import WARNINGS
from gpscrape.mirror import MirrorSite

BASE = "http://127.0.0.1:8000/"
GOAL = "<= 1"  # percent of pages carrying any warning


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1000, help="mirror records (1000)")
    parser.add_argument("--seed", type=int, default=7, help="mirror generator seed (7)")
    parser.add_argument("--json", action="store_true", help="also print a JSON result line")
    args = parser.parse_args()
    site = MirrorSite.generate(records=args.records, seed=args.seed)
    pages = warned = wrong = wrong_warned = 0
    codes: Counter[str] = Counter()
    started = time.perf_counter()
    for number in site.record_nos():
        for url, target in zip(site.article_urls(number, BASE), site.article_targets(number),
                               strict=True):
            got = extract_page(site.respond(target, BASE).body, url)
            pages += 1
            warned += bool(got.warnings)
            codes.update(dict.fromkeys(got.warnings))
            want = site.expected(number, BASE, url).to_dict()
            misread = any(got.to_dict().get(key) != value for key, value in want.items()
                          if key != "warnings")
            wrong += misread
            wrong_warned += misread and bool(got.warnings)
    seconds = time.perf_counter() - started
    share = 100 * warned / pages
    print(f"{pages} pages of {args.records} mirror records (seed {args.seed}), {seconds:.1f} s")
    print(f"pages carrying a warning: {warned} ({share:.2f}%; goal {GOAL}%: "
          f"{'met' if _results.goal_met(share, GOAL) else 'MISSED'})")
    names = [*WARNINGS, *sorted(set(codes) - set(WARNINGS))]
    for code in names:
        print(f"  {code:24s} {codes[code]:5d}")
    print(f"pages read otherwise than the mirror expects: {wrong}, of them warned: "
          f"{wrong_warned}")
    if args.json:
        ratios = [_results.ratio("pages with any warning (%)", round(share, 3), GOAL),
                  _results.ratio("pages read otherwise than expected", wrong),
                  *(_results.ratio(f"pages warned {code}", codes[code]) for code in names)]
        _results.emit("warnings_mirror", {"extract and compare": _results.figure(
            [seconds / pages], "ms/page", 1e3)}, ratios,
            [f"{pages} pages of a {args.records}-record mirror (seed {args.seed}), "
             f"{warned} warned, {wrong} read otherwise than expected ({wrong_warned} warned)"])


if __name__ == "__main__":
    main()
