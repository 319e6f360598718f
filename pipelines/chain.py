"""The pipelines without Scrapy: normalise -> validate -> write (the writer keeps the latest
item per key), for any source of items such as an archive being replayed. Earlier fetches and
`304` answers, when given, only go into the records' history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from gpscrape.dataset import DatasetWriter, PublishResult
from gpscrape.dataset.writer import Checkpoint
from gpscrape.items import PageItem, QuarantineItem
from pipelines.normalise import normalise_item
from pipelines.validate import validate_item


def process(items: Iterable[PageItem | QuarantineItem], output: Path,
            checkpoint: Checkpoint | None = None, *,
            earlier: Iterable[PageItem | QuarantineItem] = (),
            unchanged: Iterable[tuple[int, datetime]] = ()) -> PublishResult:
    """Run every item through the pipelines and publish the dataset under `output`; the
    `earlier` items (valid ones) and the `unchanged` (record_no, time) sightings only add to
    the records' history."""
    with DatasetWriter(Path(output), checkpoint=checkpoint) as writer:
        for item in items:
            writer.add(validate_item(normalise_item(item)))
        for item in earlier:
            if isinstance(item := validate_item(normalise_item(item)), PageItem):
                writer.add_earlier(item)
        for record_no, at in unchanged:
            writer.seen_unchanged(record_no, at)
        return writer.publish()
