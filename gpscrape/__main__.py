"""`python -m gpscrape` runs the command line."""

from gpscrape.cli import run

run()
