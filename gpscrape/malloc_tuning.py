"""glibc's allocator tuned for parsing pages: a larger cache of freed blocks per thread.

Each page's lxml tree is thousands of small blocks that are freed together once the page is
read, and the next page's tree asks for as many again. glibc keeps only 7 freed blocks of
each size in its per-thread cache (tcache); the rest go back to its bins, to be merged and
sorted again. With `TCACHE_COUNT` of each size kept, freeing a tree and building the next
stay in the cache: about 5% less CPU per page for `extract_page` and 3 to 4% for a whole
rebuild (benchmarks/rebuild_speed.py), for some 20 MiB more of resident memory.

glibc reads that setting at start-up only (`GLIBC_TUNABLES`), so the `gpscrape` script calls
`tune_and_reexec` first of all: it re-executes the same command once, in the same process
(same pid, files and signals), with the setting added; child processes, such as the
extraction workers, inherit it. Nothing is done on another C library, or when
`GLIBC_TUNABLES` already sets the count (`glibc.malloc.tcache_count=7` is glibc's default).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

TCACHE_COUNT = 5000
TUNABLE = "glibc.malloc.tcache_count"


def tuned_environment(environ: Mapping[str, str]) -> dict[str, str] | None:
    """`environ` with the tcache count added to its `GLIBC_TUNABLES` (keeping the others);
    None when glibc is not the C library or the count is already set."""
    tunables = environ.get("GLIBC_TUNABLES", "")
    if not _on_glibc() or any(item.partition("=")[0] == TUNABLE
                              for item in tunables.split(":")):
        return None
    setting = f"{TUNABLE}={TCACHE_COUNT}"
    return {**environ, "GLIBC_TUNABLES": f"{tunables}:{setting}" if tunables else setting}


def tune_and_reexec() -> None:
    """Re-execute this interpreter's command with `tuned_environment` (never returns then);
    return when there is nothing to tune or the re-execution fails."""
    environ = tuned_environment(os.environ)
    if environ is None:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        os.execve(sys.executable, [sys.executable, *sys.orig_argv[1:]], environ)
    except OSError:
        return  # run untuned rather than not at all


def _on_glibc() -> bool:
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (AttributeError, ValueError, OSError):  # no confstr, or no such name here
        return False
