"""Publishing a run's history holds no object per record: the articles rows' history columns
are read back from the written `revisions` table, and the records `merge` summarised are kept
a bit each."""

from __future__ import annotations

import tracemalloc
from datetime import timedelta

from test_dataset import START, page

from gpscrape.dataset.history import History, summaries

RECORDS = 3000


def test_merging_a_runs_history_keeps_a_bit_per_record_not_a_summary(tmp_path) -> None:
    history = History(tmp_path / "sightings")
    for n in range(1, RECORDS + 1):
        history.see(n, START + timedelta(seconds=n), page(n).record)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        rows = sum(1 for _ in history.merge(iter(())))
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert rows == RECORDS and len(history.summarised) == RECORDS
    assert held < 20 * RECORDS  # a summary object a record held some 170 bytes each


def test_summaries_are_read_from_revisions_rows_of_the_summarised_records_only() -> None:
    t = [START + timedelta(days=d) for d in range(4)]
    revisions = [
        {"record_no": 5, "revision": 1, "first_seen_at": t[0], "last_seen_at": t[1]},
        {"record_no": 5, "revision": 2, "first_seen_at": t[2], "last_seen_at": t[3]},
        {"record_no": 6, "revision": 1, "first_seen_at": t[0], "last_seen_at": t[0]},
        {"record_no": 7, "revision": 1, "first_seen_at": t[1], "last_seen_at": t[2]},
    ]
    assert list(summaries(revisions, {5, 7})) == [
        (5, {"revision": 2, "first_seen_at": t[0], "last_seen_at": t[3], "changed_at": t[2]}),
        (7, {"revision": 1, "first_seen_at": t[1], "last_seen_at": t[2], "changed_at": None}),
    ]
