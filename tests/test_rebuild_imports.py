"""`gpscrape reextract` loads its own command's modules only: a rebuild pays no import of the
crawl's (Twisted's reactor machinery, the spider, the mirror) at every start."""

from __future__ import annotations

import subprocess
import sys

from gpscrape.exit_codes import BAD_INPUT

SCRIPT = """
import sys
from gpscrape.cli import main
code = main(["reextract", "--warc", sys.argv[1], "--output", sys.argv[2]])
print(code, sorted(m for m in sys.modules if m.startswith("gpscrape.commands.")))
"""


def test_reextract_imports_no_other_command(tmp_path):
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "no-warc"),
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=60)
    code, modules = done.stdout.split(None, 1)
    assert int(code) == BAD_INPUT, done.stderr  # no WARC folder: it stops there
    assert modules.strip() == "['gpscrape.commands.reextract']"
