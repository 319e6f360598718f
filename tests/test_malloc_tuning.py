"""The `gpscrape` script tunes glibc's allocator by re-executing itself once
(`gpscrape.malloc_tuning`)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from gpscrape import __version__, malloc_tuning
from gpscrape.malloc_tuning import TCACHE_COUNT, TUNABLE, tuned_environment

SETTING = f"{TUNABLE}={TCACHE_COUNT}"
pytestmark = pytest.mark.skipif(not malloc_tuning._on_glibc(), reason="glibc only")

# Run through `tune_and_reexec`: prints the pid, the tunables and the arguments it ran with.
_SHOW = """
import os, sys
from gpscrape.malloc_tuning import tune_and_reexec
print("before", os.getpid(), flush=True)
tune_and_reexec()
print("after", os.getpid(), os.environ.get("GLIBC_TUNABLES"), sys.argv[1:])
"""


def _show(tunables: str | None) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
    if tunables is not None:
        env["GLIBC_TUNABLES"] = tunables
    run = subprocess.run([sys.executable, "-c", _SHOW, "reextract", "--warc", "a b"], env=env,
                         capture_output=True, text=True, timeout=60, check=True)
    return run.stdout.splitlines()


def test_the_environment_gains_the_count_and_keeps_other_tunables():
    assert tuned_environment({"A": "1"}) == {"A": "1", "GLIBC_TUNABLES": SETTING}
    assert tuned_environment({"GLIBC_TUNABLES": "glibc.malloc.mxfast=64"}) == {
        "GLIBC_TUNABLES": f"glibc.malloc.mxfast=64:{SETTING}"}


def test_a_count_already_set_is_left_as_it_is():
    assert tuned_environment({"GLIBC_TUNABLES": f"{TUNABLE}=7"}) is None
    assert tuned_environment({"GLIBC_TUNABLES": f"glibc.malloc.mxfast=64:{TUNABLE}=9"}) is None


def test_the_command_runs_again_once_in_the_same_process_with_the_setting():
    first, second, after = _show("glibc.malloc.mxfast=64")
    pid = first.split()[1]
    assert first == f"before {pid}" and second == f"before {pid}"  # the same process, twice
    assert after == f"after {pid} glibc.malloc.mxfast=64:{SETTING} ['reextract', '--warc', 'a b']"


def test_a_user_setting_runs_the_command_once_untouched():
    first, after = _show(f"{TUNABLE}=7")
    assert after == f"after {first.split()[1]} {TUNABLE}=7 ['reextract', '--warc', 'a b']"


def test_the_script_runs_its_command_tuned():
    """`gpscrape.cli.run`, the script's entry point, re-executes before its command runs."""
    env = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
    code = ("import os, sys; from gpscrape.cli import run; "
            "sys.argv = ['gpscrape', '--version']; print(os.environ.get('GLIBC_TUNABLES')); run()")
    shown = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                           text=True, timeout=120, check=True).stdout.splitlines()
    assert shown == ["None", SETTING, f"gpscrape {__version__}"]
