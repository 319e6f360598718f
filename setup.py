"""Builds the one compiled module, the block walk (`gpscrape/extract/_walk.pyx`), against the
headers lxml ships; everything else is in pyproject.toml. The module carries the SHA-256 of the
source it was built from (`_walk.SOURCE_SHA256`), so a test can tell a stale build."""

import hashlib
from pathlib import Path

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

WALK = "gpscrape/extract/_walk.pyx"
SOURCE_SHA256 = hashlib.sha256((Path(__file__).parent / WALK).read_bytes()).hexdigest()

setup(ext_modules=cythonize(
    [Extension("gpscrape.extract._walk", [WALK], include_dirs=lxml.get_include(),
               define_macros=[("WALK_SOURCE_SHA256", f'"{SOURCE_SHA256}"')])],
    language_level=3,
))
