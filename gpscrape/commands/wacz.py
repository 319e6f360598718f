"""`gpscrape wacz`: package the WARC archive as a WACZ file that ReplayWeb.page opens.

The WACZ holds the archive's closed WARC files, a CDXJ index, one page per published article
(URL, title, publication date) and `datapackage.json` with every file's hash; it is written
beside the target and renamed onto it, so a failed run leaves any earlier file as it was.
Exits 3 when there is no published dataset or no archive, or a WARC file is damaged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gpscrape import exit_codes
from gpscrape.config import add_settings_argument, command_settings
from gpscrape.locations import Locations

HELP = "Package the WARC archive and the articles' page list as a WACZ file (ReplayWeb.page)."
DEFAULT_NAME = "gpscrape.wacz"
SHOWN = 5  # article URLs named when some have no archived response


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, metavar="FILE",
                        help=f"the WACZ file to write (default: {DEFAULT_NAME} in the dataset "
                             "folder)")
    parser.add_argument("--dataset", type=Path, metavar="DIR",
                        help="output root of the published tables (default: setting "
                             "GPSCRAPE_OUTPUT, else output)")
    parser.add_argument("--warc", type=Path, metavar="DIR",
                        help="folder of WARC files (default: setting GPSCRAPE_WARC_DIR, else "
                             "DATASET/warc)")
    add_settings_argument(parser)


def run(args: argparse.Namespace) -> int:
    locations = Locations.of(command_settings(
        args.settings, {"GPSCRAPE_OUTPUT": args.dataset, "GPSCRAPE_WARC_DIR": args.warc}))
    dataset, warc = locations.output, locations.warc
    target = args.output or dataset / DEFAULT_NAME
    try:  # the wacz packages are an optional extra: imported here to say so when missing
        from gpscrape.archive.wacz_export import WaczError, write_wacz  # noqa: PLC0415
    except ImportError as error:
        if (error.name or "").partition(".")[0] != "wacz":
            raise
        print("gpscrape wacz: the wacz package is missing; install the extra: "
              "pip install 'gpscrape[wacz]'", file=sys.stderr)
        return exit_codes.USAGE
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        result = write_wacz(dataset, warc, target)
    except WaczError as error:
        print(f"gpscrape wacz: {error}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    except OSError as error:
        print(f"gpscrape wacz: cannot write {target}: {error}", file=sys.stderr)
        return exit_codes.BAD_INPUT
    if result.left_open:
        print(f"gpscrape wacz: left out {len(result.left_open)} WARC file(s) still open (a "
              "crawl at work, or a killed one the next crawl seals): "
              f"{', '.join(p.name for p in result.left_open)}", file=sys.stderr)
    if result.not_archived:
        shown = ", ".join(result.not_archived[:SHOWN])
        more = f" and {len(result.not_archived) - SHOWN} more" if len(
            result.not_archived) > SHOWN else ""
        print(f"gpscrape wacz: {len(result.not_archived)} article(s) have no archived 200 "
              f"response in {warc}, so no page entry: {shown}{more}", file=sys.stderr)
    print(f"gpscrape wacz: {len(result.pages)} pages, {len(result.warc_files)} WARC file(s) "
          f"-> {target} ({target.stat().st_size:,} bytes)")
    return exit_codes.OK
