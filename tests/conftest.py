"""Fixtures shared by the test modules: the demo crawl and hand-made loopback sites. Plain
helpers live in `run_command` (running `gpscrape`), `kills` (killing it
mid-work) and `loopback_site`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from loopback_site import Reply, Site
from run_command import gpscrape, output_of

from gpscrape import exit_codes

DEMO_RECORDS = 40


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Groups for pytest-xdist's `--dist loadgroup` (`make test`): a module's tests run on one
    worker, so its module-scoped crawls run once; the tests that read the demo crawl share one
    worker, so it runs once."""
    for item in items:
        group = "demo" if "demo" in item.fixturenames else item.module.__name__
        item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output root of one `gpscrape demo` crawl of a 40-record mirror, made once per
    session (once per worker under xdist). Shared by several modules: a test that changes it
    works on a copy."""
    output = tmp_path_factory.mktemp("demo") / "out"
    done = gpscrape("demo", "--records", str(DEMO_RECORDS), "--output", str(output),
                    timeout=300)
    assert done.returncode == exit_codes.OK, output_of(done)
    assert (output / "articles").is_dir(), output_of(done)
    return output


@pytest.fixture
def make_site() -> Iterator[Callable[..., Site]]:
    """Starts hand-made loopback sites (`make_site(routes, host="127.0.0.1")`); stops them
    after the test. Another loopback address (127.0.0.2) is another host to the crawler."""
    sites: list[Site] = []

    def make(routes: dict[str, Reply], host: str = "127.0.0.1") -> Site:
        sites.append(Site(routes, host))
        return sites[-1]

    yield make
    for site in sites:
        site.close()
