"""The item pipelines without a crawl, for any source of items such as an archive being
replayed (`gpscrape reextract`, the recovery of a killed crawl).

The steps and their order are the crawl's own: the classes of the `ITEM_PIPELINES` setting,
loaded and ordered by Scrapy's helpers as Scrapy orders them. Without a crawler, a class is
built with `from_output(output, checkpoint)` when it has one (the Parquet writer), else with
no arguments. Each item goes through every step's `process_item`; a step raising `DropItem`
drops it (logged). Earlier fetches and `304` answers, when given, only go into the records'
history: an earlier item goes through the steps too, but a step with `add_earlier` (the
writer) gets it there instead of in `process_item`, and the `(record_no, time)` sightings go
to the steps with `seen_unchanged`. Every step's `open_spider` is called first and its
`close_spider` (the writer publishes) at the end; on an error, `discard` instead.
"""

from __future__ import annotations

import logging
import numbers
import sys
from collections.abc import Iterable
from datetime import datetime
from importlib import import_module
from operator import itemgetter
from pathlib import Path
from typing import Any

from gpscrape.dataset import PublishResult
from gpscrape.dataset.writer import Checkpoint
from gpscrape.items import PageItem, QuarantineItem
from gpscrape.plain_settings import plain_settings

logger = logging.getLogger(__name__)

# Settings: Scrapy's, or `gpscrape.plain_settings.PlainSettings` (a rebuild imports no Scrapy).
Settings = Any


def pipeline_classes(settings: Settings) -> list[type]:
    """The `ITEM_PIPELINES` classes in the order Scrapy runs them (lowest priority first; one
    set to None is left out), as Scrapy's `build_component_list` and `load_object` give them."""
    order = settings.getwithbase("ITEM_PIPELINES")
    for path, priority in order.items():
        if priority is not None and not isinstance(priority, numbers.Real):
            raise ValueError(f"Invalid value {priority} for component {path}, please provide "
                             "a real number or None instead")
    ordered = sorted(((path, p) for path, p in order.items() if p is not None), key=itemgetter(1))
    return [_load(path) for path, _ in ordered]


def _load(path: Any) -> Any:
    """The object a dotted path names (a class given itself is returned as it is)."""
    if not isinstance(path, str):
        return path
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def offline_pipelines(settings: Settings, output: Path,
                      checkpoint: Checkpoint | None = None) -> list[Any]:
    """An instance of each `ITEM_PIPELINES` class, in order, built without a crawler."""
    return [cls.from_output(Path(output), checkpoint) if hasattr(cls, "from_output") else cls()
            for cls in pipeline_classes(settings)]


def process(items: Iterable[PageItem | QuarantineItem], output: Path,
            checkpoint: Checkpoint | None = None, *,
            earlier: Iterable[PageItem | QuarantineItem] = (),
            unchanged: Iterable[tuple[int, datetime]] = (),
            settings: Settings | None = None) -> PublishResult:
    """Run every item through the pipelines of `settings` (the project's by default) and
    publish the dataset under `output`; the `earlier` items (valid ones) and the `unchanged`
    (record_no, time) sightings only add to the records' history. What was published."""
    steps = offline_pipelines(settings if settings is not None else plain_settings(),
                              output, checkpoint)
    for step in steps:
        _call(step, "open_spider")
    try:
        for item in items:
            _run(steps, item, earlier=False)
        for item in earlier:
            _run(steps, item, earlier=True)
        for record_no, at in unchanged:
            for step in steps:
                _call(step, "seen_unchanged", record_no, at)
    except BaseException:
        for step in steps:
            _call(step, "discard")
        raise
    for step in steps:
        _call(step, "close_spider")
    results = [step.result for step in steps if getattr(step, "result", None) is not None]
    if not results:
        raise RuntimeError("ITEM_PIPELINES has no step that publishes the dataset")
    return results[-1]


def _run(steps: list[Any], item: Any, *, earlier: bool) -> None:
    for step in steps:
        if earlier and hasattr(step, "add_earlier"):
            step.add_earlier(item)
            return
        try:
            item = step.process_item(item)
        except Exception as error:
            if not _dropped(error):
                raise
            logger.info("%s dropped %r: %s", type(step).__name__, item, error)
            return


def _dropped(error: Exception) -> bool:
    """Whether a step dropped the item (Scrapy's `DropItem`; a step raising it imported Scrapy,
    so it is looked up only then)."""
    exceptions = sys.modules.get("scrapy.exceptions")
    return exceptions is not None and isinstance(error, exceptions.DropItem)


def _call(step: Any, method: str, *args: Any) -> None:
    if hasattr(step, method):
        getattr(step, method)(*args)
