"""Where a dataset lives under its output root, and durable file-system steps.

    OUTPUT/.lock                       held by the one writer at work
    OUTPUT/.staging/<run>/             sorted runs of new rows (deleted after publishing)
    OUTPUT/.versions/<version>/<table>/part-0.parquet
    OUTPUT/.current -> .versions/<version>     swapped atomically to publish
    OUTPUT/<table> -> .current/<table>         what readers open

Version names sort in creation order; a name ending in `.tmp` is incomplete.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from gpscrape.schema import TABLES

PART = "part-0.parquet"
TMP_SUFFIX = ".tmp"


def table_path(output: Path, name: str) -> Path:
    """The folder readers open for table `name` (e.g. `output/articles`)."""
    if name not in TABLES:
        raise KeyError(f"unknown table {name!r}; tables: {', '.join(TABLES)}")
    return Path(output) / name


def versions_dir(output: Path) -> Path:
    return output / ".versions"


def staging_dir(output: Path) -> Path:
    return output / ".staging"


def current_link(output: Path) -> Path:
    return output / ".current"


def lock_path(output: Path) -> Path:
    return output / ".lock"


def new_version_name() -> str:
    """A unique name that sorts after every earlier one."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{os.getpid()}"


def current_version(output: Path) -> str | None:
    """The published version's name, or None before the first publish."""
    link = current_link(output)
    if not link.is_symlink():
        return None
    return Path(os.readlink(link)).name


def table_file(version_dir: Path, table: str) -> Path:
    return version_dir / table / PART


def fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_symlink(link: Path, target: str) -> None:
    """Point `link` at `target` in one atomic step (a new link renamed over the old one)."""
    tmp = link.with_name(f"{link.name}{TMP_SUFFIX}")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    os.replace(tmp, link)
    fsync_dir(link.parent)
