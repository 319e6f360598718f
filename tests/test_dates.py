"""Dates as printed: the fast path, the dateparser fallback, precision, odd dates."""

import subprocess
import sys
from datetime import date

import pytest

from gpscrape.extract.dates import find_date, parse_date


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("2 March 2023", date(2023, 3, 2), "day"),
        ("02 July 2023", date(2023, 7, 2), "day"),
        ("08 June 2023", date(2023, 6, 8), "day"),
        ("31 October, 2023", date(2023, 10, 31), "day"),
        ("19 October 2021.", date(2021, 10, 19), "day"),
        ("November 2021", date(2021, 11, 1), "month"),
        ("Nov 2018", date(2018, 11, 1), "month"),
        ("November 22, 2023", date(2023, 11, 22), "day"),
        ("2023", date(2023, 1, 1), "year"),
        ("Sept 5 2021", date(2021, 9, 5), "day"),
        ("2021-10-05", date(2021, 10, 5), "day"),  # not a site format: dateparser
    ],
)
def test_parse_date(text, value, precision):
    parsed = parse_date(text)
    assert parsed is not None
    assert (parsed.value, parsed.precision) == (value, precision)


def test_month_only_never_gets_todays_day():
    parsed = parse_date("March 2024")
    assert parsed.value == date(2024, 3, 1) and parsed.precision == "month"


def test_impossible_date_is_kept_raw():
    parsed = parse_date("31 February 2023")
    assert parsed is not None
    assert parsed.value is None and parsed.raw == "31 February 2023"


@pytest.mark.parametrize("text", ["", "GP Team", "What happened?", "Vol 2", "On 24 February"])
def test_not_dates(text):
    assert parse_date(text) is None


def test_find_date_in_line():
    parsed, match = find_date("Global Politics Team 25 January 2026")
    assert parsed.value == date(2026, 1, 25) and parsed.raw == "25 January 2026"
    assert match.start() == len("Global Politics Team ")


def test_dateparser_is_imported_only_when_a_date_needs_it():
    """The site's formats are read without dateparser, whose import costs every crawl worker
    and rebuild start-up; the first date outside them imports it and still parses."""
    script = (
        "import sys\n"
        "from gpscrape.extract.dates import parse_date\n"
        "from gpscrape.commands import reextract\n"
        "assert parse_date('2 March 2023').precision == 'day'\n"
        "print('dateparser' in sys.modules)\n"
        "print(parse_date('2021-10-05').value)\n"
        "print('dateparser' in sys.modules)\n")
    lines = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True).stdout.split()
    assert lines == ["False", "2021-10-05", "True"]
