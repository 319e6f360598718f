"""`python -m gpscrape` runs the command line."""

import sys

from gpscrape.cli import main

sys.exit(main())
