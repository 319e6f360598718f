"""SIGKILL a writer at each step of publishing: readers keep the previous complete dataset, and
the next run publishes the full new one."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from test_dataset import START, frames, page, write

from gpscrape.dataset import layout

WRITER_SCRIPT = """
import json, os, signal, sys
from datetime import datetime
from pathlib import Path
from gpscrape.dataset import DatasetWriter, writer
from gpscrape.extract.record import PageRecord
from gpscrape.items import PageItem

output, items_file, stop_at = sys.argv[1:4]
writer.BATCH_ROWS = 10  # several staged runs, so a kill can land between them

def checkpoint(name):
    if name == stop_at:
        os.kill(os.getpid(), signal.SIGKILL)

with DatasetWriter(Path(output), checkpoint=checkpoint) as w:
    for d in json.loads(Path(items_file).read_text()):
        w.add(PageItem(PageRecord.from_dict(d["record"]), datetime.fromisoformat(d["fetched_at"]),
                       d["sha"], d["version"]))
    w.publish()
"""

POINTS_BEFORE_SWAP = ["run_staged", "staged", "version_written", "links_ready"]
POINTS_AFTER_SWAP = ["swapped", "cleaned"]


def _new_items():
    later = START + timedelta(days=1)  # the records seen before get a second revision
    return [page(n, fetched=later, title=f"Second version of {n}") for n in range(100, 140)]


def _run_writer(tmp_path: Path, output: Path, stop_at: str) -> int:
    items_file = tmp_path / "items.json"
    items_file.write_text(json.dumps([
        {"record": i.record.to_dict(), "fetched_at": i.fetched_at.isoformat(),
         "sha": i.content_sha256, "version": i.extractor_version} for i in _new_items()]))
    done = subprocess.run([sys.executable, "-c", WRITER_SCRIPT, str(output), str(items_file),
                           stop_at], capture_output=True, text=True, timeout=120)
    return done.returncode


@pytest.fixture(scope="module")
def expected(tmp_path_factory):
    """The dataset before the new run, and after it."""
    root = tmp_path_factory.mktemp("expected")
    write(root, [page(n) for n in range(100, 120)])
    before = frames(root)
    write(root, _new_items())
    return before, frames(root)


def _assert_frames(actual, wanted):
    for name, frame in wanted.items():
        assert actual[name].equals(frame), name


@pytest.mark.parametrize("stop_at", POINTS_BEFORE_SWAP + POINTS_AFTER_SWAP)
def test_kill_during_publishing_keeps_a_complete_dataset(tmp_path, expected, stop_at):
    before, after = expected
    output = tmp_path / "out"
    write(output, [page(n) for n in range(100, 120)])
    assert _run_writer(tmp_path, output, stop_at) == -signal.SIGKILL
    _assert_frames(frames(output), before if stop_at in POINTS_BEFORE_SWAP else after)

    assert _run_writer(tmp_path, output, "never") == 0
    _assert_frames(frames(output), after)
    assert not layout.staging_dir(output).exists()
    names = [p.name for p in layout.versions_dir(output).iterdir()]
    assert len(names) == 2 and not any(n.endswith(layout.TMP_SUFFIX) for n in names)


def test_kill_before_the_first_publish_leaves_no_tables(tmp_path, expected):
    output = tmp_path / "out"
    assert _run_writer(tmp_path, output, "links_ready") == -signal.SIGKILL
    with pytest.raises(FileNotFoundError):
        frames(output)
    assert _run_writer(tmp_path, output, "never") == 0
    first_run = frames(output)
    assert len(first_run["articles"]) == 40
    assert list(first_run["articles"]["title"]) == [f"Second version of {n}"
                                                    for n in range(100, 140)]
