"""Date parsing: gpscrape's fast path vs dateparser configured as in the extractor.

Over the date strings the site prints (issue lines, bylines, listing month lines), in one run:
- per-string time of `gpscrape.extract.dates.parse_date` vs `dateparser.parse(s,
  languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})` (goal: >= 50x faster);
- whether both give the same dates (goal: all equal);
- how often default-settings `dateparser.parse(s)` gets them wrong (it fills a month-only
  date with today's day). Informs, never asserts.

    .venv/bin/python benchmarks/date_parsing.py [--rounds 5] [--json]
"""

from __future__ import annotations

import argparse
import statistics
import time

import dateparser
from _results import emit, figure, ratio

from gpscrape.extract.dates import parse_date

DAYS = ["2 March 2023", "02 July 2023", "08 June 2023", "31 October, 2023", "19 October 2021.",
        "14 September 2019", "28 March 2020", "4 April 2020", "01 November 2020", "10 July 2022",
        "25 September 2022", "13 October 2024", "9 December 2024", "26 January 2025",
        "25 May 2025", "31 December 2025", "25 January 2026", "5 October 2021", "27 May 2020",
        "16 December 2018"]
MONTHS = ["November 2021", "December 2025", "May 2025", "August 2021", "March 2024",
          "September 2019", "December 2018", "July 2023", "October 2023", "February 2024",
          "Nov 2018", "June 2025"]
STRINGS = DAYS + MONTHS
CONFIGURED = {"PREFER_DAY_OF_MONTH": "first"}


def _ours(text: str):
    parsed = parse_date(text)
    return parsed.value if parsed else None


def _theirs(text: str):
    value = dateparser.parse(text, languages=["en"], settings=CONFIGURED)
    return value.date() if value else None


def per_string(func, rounds: int, repeat: int) -> list[float]:
    """Seconds per string, one figure per round."""
    figures = []
    for _ in range(rounds):
        started = time.perf_counter()
        for _ in range(repeat):
            for text in STRINGS:
                func(text)
        figures.append((time.perf_counter() - started) / (repeat * len(STRINGS)))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="also print a JSON result line")
    args = parser.parse_args()
    _theirs(STRINGS[0])  # load dateparser's language data outside the timing
    ours = per_string(_ours, args.rounds, 200)
    theirs = per_string(_theirs, args.rounds, 3)
    same = sum(_ours(s) == _theirs(s) for s in STRINGS)
    default_wrong = [s for s in STRINGS
                     if (d := dateparser.parse(s)) is None or d.date() != _ours(s)]
    speedup = statistics.median(theirs) / statistics.median(ours)
    print(f"{len(STRINGS)} date strings as the site prints them, {args.rounds} rounds")
    for name, values in (("gpscrape parse_date", ours), ("dateparser (configured)", theirs)):
        print(f"  {name:26s} {statistics.median(values) * 1e3:8.4f} ms/string "
              f"(min {min(values) * 1e3:.4f}, max {max(values) * 1e3:.4f})")
    print(f"speed-up: {speedup:.0f}x (goal >= 50x: {'met' if speedup >= 50 else 'MISSED'})")
    print(f"same dates as configured dateparser: {same}/{len(STRINGS)} "
          f"({'met' if same == len(STRINGS) else 'MISSED'})")
    print(f"default-settings dateparser wrong on {len(default_wrong)}/{len(STRINGS)} "
          f"(e.g. {default_wrong[:2]})")
    if args.json:
        emit("date_parsing",
             {"gpscrape parse_date": figure(ours, "ms/string", 1e3),
              "dateparser (configured)": figure(theirs, "ms/string", 1e3)},
             [ratio("dateparser / parse_date speed-up", speedup, ">= 50"),
              ratio("dates differing from configured dateparser", len(STRINGS) - same, "== 0"),
              ratio("dates default-settings dateparser gets wrong", len(default_wrong))],
             [f"{len(STRINGS)} date strings as the site prints them"])


if __name__ == "__main__":
    main()
