"""`gpscrape reextract` resolves its settings without Scrapy (`gpscrape.plain_settings`): the
values it reads and the pipeline chain are those `gpscrape.config.command_settings` gives, and
a rebuild imports no Scrapy at all."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

import gpscrape.settings
from gpscrape.config import command_settings
from gpscrape.locations import Locations
from gpscrape.plain_settings import plain_settings
from gpscrape.run_report import Thresholds
from pipelines import chain

CHAIN = {**gpscrape.settings.ITEM_PIPELINES, "pipelines.normalise.NormalisePipeline": None,
         "pipelines.validate.ValidatePipeline": 950}

CASES = [
    ([], {}, {}),
    ([("GPSCRAPE_MAX_QUARANTINED", "3"), ("DOWNLOAD_MAXSIZE", "1000")],
     {"GPSCRAPE_OUTPUT": Path("flagged"), "GPSCRAPE_WARC_DIR": None},
     {"GPSCRAPE_OUTPUT": "from-env", "GPSCRAPE_MIN_COVERAGE": "{\"title\": 0.5}"}),
    ([("ITEM_PIPELINES", json.dumps(CHAIN)), ("GPSCRAPE_OUTPUT", "given")],
     {"GPSCRAPE_WARC_DIR": Path("archive"), "GPSCRAPE_MAX_ERROR_RATE": 0.5},
     {"GPSCRAPE_WARC_DIR": "env-warc", "GPSCRAPE_MAX_WARNED": "0.2"}),
]


@pytest.mark.parametrize(("overrides", "flags", "environ"), CASES)
def test_plain_settings_are_the_command_settings(overrides, flags, environ, monkeypatch):
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    plain, scrapy = plain_settings(overrides, flags), command_settings(overrides, flags)
    assert Locations.of(plain) == Locations.of(scrapy)
    assert Thresholds.from_settings(plain) == Thresholds.from_settings(scrapy)
    expected = [load_object(p) for p in build_component_list(scrapy.getwithbase("ITEM_PIPELINES"))]
    assert chain.pipeline_classes(plain) == chain.pipeline_classes(scrapy) == expected
    for name in ("GPSCRAPE_OUTPUT", "GPSCRAPE_WARC_DIR", "DOWNLOAD_MAXSIZE", "GPSCRAPE_MAX_WARNED"):
        assert plain.get(name) == scrapy.get(name)


def test_a_pipeline_priority_that_is_no_number_is_refused():
    with pytest.raises(ValueError, match="real number"):
        chain.pipeline_classes(plain_settings([("ITEM_PIPELINES", '{"a.B": "high"}')]))


def test_a_step_may_still_drop_an_item_the_scrapy_way():
    class Dropper:
        def process_item(self, item, spider=None):
            raise DropItem("not wanted")

    class After:
        seen = []

        def process_item(self, item, spider=None):
            self.seen.append(item)
            return item

    chain._run([Dropper(), After()], object(), earlier=False)
    assert After.seen == []
    with pytest.raises(KeyError):
        chain._run([type("Broken", (), {"process_item": lambda self, item: {}[1]})()], object(),
                   earlier=False)


def test_a_rebuild_imports_no_scrapy(tmp_path):
    (tmp_path / "warc").mkdir()
    code = ("import sys; from gpscrape.cli import main; "
            f"code = main(['reextract', '--warc', {str(tmp_path / 'warc')!r}, "
            f"'--output', {str(tmp_path / 'out')!r}]); "
            "print(code, sorted(m for m in sys.modules if m.split('.')[0] in "
            "('scrapy', 'twisted')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.splitlines()[-1] == "0 []"
    assert (tmp_path / "out" / "articles").exists()
