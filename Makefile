# gpscrape developer commands. Every target does its own set-up from nothing.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.bench-installed

.PHONY: setup browser test test-long demo docs fixtures lint bench clean

$(STAMP): pyproject.toml setup.py gpscrape/extract/_walk.pyx gpscrape/extract/_scan.pyx \
		gpscrape/extract/_listing.pyx
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,report,wacz]'
	touch $(STAMP)

setup: $(STAMP)

# The report test renders the page in headless Chromium; without it that test skips.
browser:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium) \
		|| echo "chromium could not be installed: the browser test will skip"

# On every core (pytest-xdist); the groups are set in tests/conftest.py.
test: $(STAMP) browser
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q -n auto --dist loadgroup

test-long: $(STAMP)
	$(PY) -m pytest -q -m long -n auto --dist loadgroup

demo: $(STAMP)
	$(VENV)/bin/gpscrape demo

# Regenerate the docs made from code (tests fail while they are stale).
docs: $(STAMP)
	$(VENV)/bin/gpscrape schema --write docs/data-dictionary.md
	$(VENV)/bin/gpscrape docs --write docs/configuration.md

fixtures: $(STAMP)
	$(VENV)/bin/gpscrape fixtures --update

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Every script in benchmarks/, figures against their goals, into BENCHMARKS.md (time: see README).
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install -q -e '.[bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
