"""Builds the one compiled module, the block walk (`gpscrape/extract/_walk.pyx`), against the
headers lxml ships; everything else is in pyproject.toml."""

import lxml
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(ext_modules=cythonize(
    [Extension("gpscrape.extract._walk", ["gpscrape/extract/_walk.pyx"],
               include_dirs=lxml.get_include())],
    language_level=3,
))
