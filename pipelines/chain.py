"""The pipelines without Scrapy: normalise -> validate -> write (the writer keeps the latest
item per key), for any source of items such as an archive being replayed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from gpscrape.dataset import DatasetWriter, PublishResult
from gpscrape.dataset.writer import Checkpoint
from gpscrape.items import PageItem, QuarantineItem
from pipelines.normalise import normalise_item
from pipelines.validate import validate_item


def process(items: Iterable[PageItem | QuarantineItem], output: Path,
            checkpoint: Checkpoint | None = None) -> PublishResult:
    """Run every item through the pipelines and publish the dataset under `output`."""
    with DatasetWriter(Path(output), checkpoint=checkpoint) as writer:
        for item in items:
            writer.add(validate_item(normalise_item(item)))
        return writer.publish()
