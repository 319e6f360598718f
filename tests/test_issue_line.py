"""The issue-line grammar: one row per format listed in site-notes section 4."""

from datetime import date

import pytest

from gpscrape.extract.issue_line import (
    number_list,
    parse_counter_line,
    parse_issue_line,
)

TWTW, CW, AW, STIR = "The World This Week", "Conflict Weekly", "NIAS Africa Weekly", "STIR"

# line, series, issue numbers, volume, numbers, date (or None), raw (None: the line trimmed)
ISSUE_LINES = [
    ("The World This Week #60, 28 March 2020, Vol 2, No 13", TWTW, [60], 2, [13], date(2020, 3, 28), None),
    ("The World This Week # 61, 4 April 2020, Vol 2 No 14", TWTW, [61], 2, [14], date(2020, 4, 4), None),
    ("The World This Week # 91, 01 November 2020, Vol 2, No 43", TWTW, [91], 2, [43], date(2020, 11, 1), None),
    ("The World This Week #138, Vol. 3, No. 39", TWTW, [138], 3, [39], None, None),
    ("The World This Week #173, Vol. 4, No. 22 10 July 2022", TWTW, [173], 4, [22], date(2022, 7, 10), None),
    ("TWTW#183, 25 September 2022, Vol. 4, No. 32", TWTW, [183], 4, [32], date(2022, 9, 25), None),
    ("TWTW#187, 23 October 2022, Vol. 4, No. 36", TWTW, [187], 4, [36], date(2022, 10, 23), None),
    ("The World This Week #220, Vol. 5, No.24", TWTW, [220], 5, [24], None, None),
    ("The World This Week #279-281, Vol. 6 No. 33-35, 13 October 2024", TWTW, [279, 280, 281], 6,
     [33, 34, 35], date(2024, 10, 13), None),
    ("The World This Week #285 and 286, Vol. 6 No. 39 and 40, 18 November 2024         ", TWTW,
     [285, 286], 6, [39, 40], date(2024, 11, 18),
     "The World This Week #285 and 286, Vol. 6 No. 39 and 40, 18 November 2024"),
    ("The World This Week #287-289 Vol. 6 Nos. 41-43, 9 December 2024", TWTW, [287, 288, 289], 6,
     [41, 42, 43], date(2024, 12, 9), None),
    ("The World This Week #294 & 295 Vol. 6 Nos. 48 & 49, 26 January 2025", TWTW, [294, 295], 6,
     [48, 49], date(2025, 1, 26), None),
    ("The World This Week #312 Vol 7, No 21, 25 May 2025", TWTW, [312], 7, [21], date(2025, 5, 25), None),
    ("The World This Week #312", TWTW, [312], None, [], None, None),
    ("The World This Week #338, Vol 7, No 52, 31 December 2025", TWTW, [338], 7, [52], date(2025, 12, 31), None),
    ("The World This Week #341, Vol 8, No 03, 25 January 2026", TWTW, [341], 8, [3], date(2026, 1, 25), None),
    ("IPRI Conflict Weekly, 03 June 2020, Vol.1, No. 20", CW, [], 1, [20], date(2020, 6, 3), None),
    ("Conflict Weekly #65, 7 April 2021, Vol.2, No.1", CW, [65], 2, [1], date(2021, 4, 7), None),
    ("Conflict Weekly #164 & 165, 2 March 2023, Vol.4, No.8 & 9", CW, [164, 165], 4, [8, 9],
     date(2023, 3, 2), None),
    ("Conflict Weekly #147, 27 October 2022, Vol.3, No.30 An initiative by NIAS-IPRI and KAS-India Office",
     CW, [147], 3, [30], date(2022, 10, 27), "Conflict Weekly #147, 27 October 2022, Vol.3, No.30"),
    ("Africa Weekly #07, Vol. 1, No. 7", AW, [7], 1, [7], None, None),
    ("Africa Weekly #47 & 48, Vol. 2, No. 4 & 5", AW, [47, 48], 2, [4, 5], None, None),
    ("Africa Weekly #67, Vol. 2, No.22 13 May 2023", AW, [67], 2, [22], date(2023, 5, 13), None),
    ("Africa Weekly #85&86 Vol. 2, No.39 & 40 31 October, 2023", AW, [85, 86], 2, [39, 40],
     date(2023, 10, 31), None),
    ("NIAS Fortnightly on Science, Technology & International Relations (STIR), Vol 1, Issue 10, 5 October 2021",
     STIR, [], 1, [10], date(2021, 10, 5), None),
    ("NIAS Fortnightly on Science, Technology & International Relations (STIR), Vol 1, No 11, 19 October 2021.",
     STIR, [], 1, [11], date(2021, 10, 19), None),
    ("The World This Week #60,28 March 2020,Vol.2,No.13", TWTW, [60], 2, [13], date(2020, 3, 28), None),
]


@pytest.mark.parametrize(("line", "series", "issues", "volume", "numbers", "day", "raw"), ISSUE_LINES)
def test_issue_line_formats(line, series, issues, volume, numbers, day, raw):
    issue = parse_issue_line(line)
    assert issue is not None, line
    assert issue.series == series
    assert issue.issue_numbers == issues
    assert issue.volume == volume
    assert issue.numbers == numbers
    assert (issue.date.value if issue.date else None) == day
    assert issue.raw == (raw or line.strip())


@pytest.mark.parametrize(
    "line",
    [
        "CWA # 67, 16 December 2018",
        "IPRI # 69, 27 May 2020",
        "Conflict Weekly 20",  # a label with its number, not an issue line
        "The World This Week looks at the elections in Romania and the summit in London.",
        "On 2 March 2023, the council met in Addis Ababa.",
        "GP Team 14 September 2019",
        "",
    ],
)
def test_not_issue_lines(line):
    assert parse_issue_line(line) is None


@pytest.mark.parametrize(
    ("line", "kind", "number", "day"),
    [
        ("CWA # 67, 16 December 2018", "CWA", 67, date(2018, 12, 16)),
        ("CWA # 166, 28 September 2019", "CWA", 166, date(2019, 9, 28)),
        ("IPRI # 69, 27 May 2020", "IPRI", 69, date(2020, 5, 27)),
        ("CWA #1012", "CWA", 1012, None),
    ],
)
def test_counter_lines(line, kind, number, day):
    counter = parse_counter_line(line)
    assert counter is not None
    assert (counter.kind, counter.number) == (kind, number)
    assert (counter.date.value if counter.date else None) == day


def test_counter_line_rejects_sentences():
    assert parse_counter_line("CWA # 67 was published on the day the talks collapsed in Doha") is None
    assert parse_counter_line("The World This Week #60, 28 March 2020") is None


@pytest.mark.parametrize(
    ("text", "numbers"),
    [("294 & 295", [294, 295]), ("279-281", [279, 280, 281]), ("39 and 40", [39, 40]),
     ("8&9", [8, 9]), ("33 – 35", [33, 34, 35]), ("03", [3]), ("5-2", [5, 2])],
)
def test_number_lists(text, numbers):
    assert number_list(text) == numbers
