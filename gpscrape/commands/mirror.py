"""`gpscrape mirror`: serve (or dump) the generated local mirror of globalpolitics.in."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from gpscrape import exit_codes
from gpscrape.mirror import FaultPlan, MirrorServer, MirrorSite
from gpscrape.mirror.faults import KINDS

HELP = "Serve a generated local mirror of the site on 127.0.0.1 (tests, demo, benchmarks)."
DUMP_BASE = "https://globalpolitics.in/"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--records", type=int, default=2000, help="number of records (2000)")
    parser.add_argument("--seed", type=int, default=0, help="generator seed (0)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--no-index", action="store_true",
                        help="no home, archive or /europe/ pages (discovery via links only)")
    parser.add_argument("--missing-rate", type=float, default=0.03,
                        help="share of recordNos in the range that answer 404 (0.03)")
    parser.add_argument("--styles", default="legacy,pipe,modern",
                        help="markup styles to draw from (legacy,pipe,modern; font is opt-in)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per response")
    parser.add_argument("--fault-rate", type=float, default=0.0,
                        help="share of article pages that misbehave (0)")
    parser.add_argument("--faults", default=",".join(KINDS),
                        help=f"fault kinds sharing the rate (default: all of {','.join(KINDS)})")
    parser.add_argument("--fault-seed", type=int, default=0, help="seed choosing faulty pages")
    parser.add_argument("--permanent", action="store_true",
                        help="transient faults strike every attempt (default: the first ones)")
    parser.add_argument("--fault-attempts", type=int, default=1,
                        help="how many first attempts at a URL a transient fault hits (1)")
    parser.add_argument("--slow-seconds", type=float, default=5.0,
                        help="how long a slow response waits (5)")
    parser.add_argument("--disallow", action="append", metavar="PATH",
                        help="a robots.txt Disallow path (repeatable; default /admin/)")
    parser.add_argument("--dump", type=Path, metavar="DIR",
                        help="write every page and expected/<recordNo>.json to DIR, then exit")


def run(args: argparse.Namespace) -> int:
    try:
        site = MirrorSite.generate(
            records=args.records, seed=args.seed, index_pages=not args.no_index,
            missing_rate=args.missing_rate,
            styles=tuple(s.strip() for s in args.styles.split(",") if s.strip()),
            disallow=tuple(args.disallow) if args.disallow else ("/admin/",),
        )
        kinds = [k.strip() for k in args.faults.split(",") if k.strip()]
        faults = FaultPlan.uniform(
            args.fault_rate, kinds, seed=args.fault_seed, permanent=args.permanent,
            attempts=args.fault_attempts, slow_seconds=args.slow_seconds,
        ) if args.fault_rate else FaultPlan()
        if args.dump:
            count = dump(site, args.dump)
            print(f"wrote {count} pages to {args.dump}", flush=True)
            return exit_codes.OK
        server = MirrorServer(site, port=args.port, host=args.host, latency=args.latency,
                              faults=faults)
    except (ValueError, OSError) as error:
        print(f"gpscrape mirror: {error}", file=sys.stderr)
        return exit_codes.USAGE
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    with server:
        print(server.base_url, flush=True)
        print(f"{len(site.record_nos())} records, recordNo {site.record_nos()[0]}.."
              f"{site.record_nos()[-1]}", file=sys.stderr, flush=True)
        stop.wait()
    return exit_codes.OK


def dump(site: MirrorSite, root: Path, base_url: str = DUMP_BASE) -> int:
    """Write every linked page under `root/pages/` (`<recordNo>_<k>.html` for the k-th URL of a
    record), `index.tsv` (file, URL, status), and `expected/<recordNo>.json`; return the count."""
    pages, expected = root / "pages", root / "expected"
    pages.mkdir(parents=True, exist_ok=True)
    expected.mkdir(parents=True, exist_ok=True)
    named = {"/robots.txt": "robots.txt"}
    if site.index_pages:
        named.update({"/": "index.html", "/europe/": "europe.html"})
    for number in site.record_nos():
        for k, target in enumerate(site.article_targets(number)):
            named[target] = f"{number}_{k}.html"
        record = site.expected(number, base_url)
        (expected / f"{number}.json").write_text(
            json.dumps(record.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n",
            encoding="utf-8")
    rows = []
    for target, name in named.items():
        answer = site.respond(target, base_url)
        (pages / name).write_bytes(answer.body)
        rows.append(f"{name}\t{base_url.rstrip('/')}{target}\t{answer.status}")
    (root / "index.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)
