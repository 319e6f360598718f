"""Builds the compiled modules against the headers lxml ships: the block walk
(`gpscrape/extract/_walk.pyx`), the byte scan (`gpscrape/extract/_scan.pyx`) and the reading
of a sidebar's entries (`gpscrape/extract/_listing.pyx`); everything else is in pyproject.toml.
Each module carries the SHA-256 of the source it was built from (`SOURCE_SHA256`), so a test
can tell a stale build."""

import hashlib
from pathlib import Path

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

# module name -> (source, the C macro that carries its SHA-256)
COMPILED = {
    "gpscrape.extract._walk": ("gpscrape/extract/_walk.pyx", "WALK_SOURCE_SHA256"),
    "gpscrape.extract._scan": ("gpscrape/extract/_scan.pyx", "SCAN_SOURCE_SHA256"),
    "gpscrape.extract._listing": ("gpscrape/extract/_listing.pyx", "LISTING_SOURCE_SHA256"),
}


def extension(name: str, source: str, macro: str) -> Extension:
    digest = hashlib.sha256((Path(__file__).parent / source).read_bytes()).hexdigest()
    return Extension(name, [source], include_dirs=lxml.get_include(),
                     define_macros=[(macro, f'"{digest}"')])


setup(ext_modules=cythonize(
    [extension(name, source, macro) for name, (source, macro) in COMPILED.items()],
    language_level=3,
))
