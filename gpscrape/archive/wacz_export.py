"""The WARC archive packaged as a WACZ (Web Archive Collection Zipped 1.1.1), for replay tools.

The package is built by the `wacz` library (py-wacz, which indexes with `cdxj-indexer`): the
closed WARC files under `archive/`, the CDXJ index under `indexes/`, `pages/pages.jsonl` and
`datapackage.json` with every file's SHA-256. The pages list is made here, from the published
`articles` table: one page per article whose URL has an archived `200` response, with its
title and publication date, at the time of its latest such response (the one ReplayWeb.page
then shows). The file is written beside the target and renamed onto it when complete.
"""

from __future__ import annotations

import contextlib
import io
import json
import logging
import os
import tempfile
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from wacz.main import main as wacz_main
from warcio.exceptions import ArchiveLoadFailed

from gpscrape import __version__
from gpscrape.archive.members import complete_length
from gpscrape.archive.reader import iter_responses
from gpscrape.archive.writer import OPEN_SUFFIX, SUFFIX
from gpscrape.dataset.layout import current_version, fsync_dir, fsync_file
from gpscrape.dataset.read import read_arrow

logger = logging.getLogger(__name__)

PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Articles"}
TITLE = "NIAS Global Politics, archived by gpscrape"
_EPOCH = datetime.min.replace(tzinfo=UTC)


class WaczError(Exception):
    """The WACZ cannot be made (no dataset, no archive, a damaged WARC file); one line."""


@dataclass(frozen=True, slots=True)
class Page:
    """One entry of `pages/pages.jsonl`: an article at the time of its archived response."""

    record_no: int
    url: str
    captured: datetime
    title: str | None
    published: date | None

    def entry(self) -> dict[str, str]:
        entry = {"id": f"record-{self.record_no}", "url": self.url,
                 "ts": self.captured.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "title": self.title or self.url}
        if self.published is not None:
            entry["published"] = self.published.isoformat()
        return entry


@dataclass(slots=True)
class WaczResult:
    """What went into the package."""

    path: Path
    warc_files: list[Path]
    pages: list[Page]
    not_archived: list[str] = field(default_factory=list)  # article URLs without a capture
    left_open: list[Path] = field(default_factory=list)  # WARC files still being written


def write_wacz(output: Path, warc: Path, target: Path) -> WaczResult:
    """Package the closed WARC files under `warc` with the pages of the dataset published
    under `output` as the WACZ file `target` (replaced only once the new one is complete)."""
    if current_version(Path(output)) is None:
        raise WaczError(f"no published dataset under {output}: run gpscrape crawl first")
    files = sorted(Path(warc).glob(f"*{SUFFIX}"))
    if not files:
        raise WaczError(f"no WARC archive in {warc}: crawl with the archive on "
                        "(GPSCRAPE_WARC_ENABLED) or pass --warc")
    for path in files:
        if complete_length(path) < path.stat().st_size:
            raise WaczError(f"WARC file {path} is damaged (not whole gzip members); "
                            "move it out of the folder")
    pages, not_archived = article_pages(output, latest_captures(warc, files))
    target = Path(target)
    with tempfile.TemporaryDirectory(prefix="gpscrape-wacz-") as scratch:
        pages_file = Path(scratch) / "pages.jsonl"
        pages_file.write_text(pages_jsonl(pages), encoding="utf-8")
        _build_atomically(target, pages_file, files, len(pages))
    return WaczResult(target, files, pages, not_archived,
                      sorted(Path(warc).glob(f"*{SUFFIX}{OPEN_SUFFIX}")))


def latest_captures(warc: Path, files: list[Path]) -> dict[str, datetime]:
    """For each URL with a `200` response in `files` (of folder `warc`), the WARC-Date of
    its latest one."""
    latest: dict[str, datetime] = {}
    for response in iter_responses(warc, with_body=False, files=files):
        if response.status == 200 and response.date > latest.get(response.url, _EPOCH):
            latest[response.url] = response.date
    return latest


def article_pages(output: Path, captured: dict[str, datetime]) -> tuple[list[Page], list[str]]:
    """The pages of the published articles (in `record_no` order) that have a capture, and
    the URLs of those that have none."""
    table = read_arrow(Path(output), "articles").select(["record_no", "url", "title",
                                                         "published"])
    pages, missing = [], []
    for row in table.to_pylist():
        when = captured.get(row["url"])
        if when is None:
            missing.append(row["url"])
        else:
            pages.append(Page(row["record_no"], row["url"], when, row["title"], row["published"]))
    return pages, missing


def pages_jsonl(pages: Iterable[Page]) -> str:
    """The text of `pages/pages.jsonl`: the header line, then one line per page."""
    lines = [PAGES_HEADER, *(page.entry() for page in pages)]
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


def _build_atomically(target: Path, pages_file: Path, files: list[Path], count: int) -> None:
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        _create(partial, pages_file, files, count)
        fsync_file(partial)
        os.replace(partial, target)
        fsync_dir(target.parent)
    finally:
        partial.unlink(missing_ok=True)


def _create(path: Path, pages_file: Path, files: list[Path], count: int) -> None:
    """Run py-wacz's `create` in this process (its chatter kept for the debug log)."""
    chatter = io.StringIO()
    arguments = ["create", "--output", str(path), "--pages", str(pages_file), "--copy-pages",
                 "--title", TITLE, "--desc", f"{count} articles; gpscrape {__version__}",
                 *map(str, files)]
    try:
        with contextlib.redirect_stdout(chatter):
            code = wacz_main(arguments)
    except (ArchiveLoadFailed, OSError, ValueError, EOFError, zlib.error,
            zipfile.BadZipFile) as error:
        raise WaczError(f"the wacz package failed: {type(error).__name__}: "
                        f"{str(error)[:200]}") from error
    finally:
        logger.debug("wacz create: %s", chatter.getvalue())
    if code != 0:
        last = chatter.getvalue().strip().splitlines()[-1:] or ["no message"]
        raise WaczError(f"the wacz package failed: {last[0]}")

