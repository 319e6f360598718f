"""The site's vocabularies as named data: series, labels, headings, chrome lines, teams.

Every text rule the extractor keys on lives here, once; the logic modules only consult it.
"""

from __future__ import annotations

import re
from functools import lru_cache

TWTW = "The World This Week"
CONFLICT_WEEKLY = "Conflict Weekly"
AFRICA_WEEKLY = "NIAS Africa Weekly"
EUROPE_MONITOR = "NIAS Europe Monitor"
EUROPE_STUDIES = "NIAS Europe Studies"
STIR = "STIR"
CWA_COMMENTARY = "CWA Commentary"

# How each series is printed (case-insensitive), and whether its label can carry the issue
# number (`Conflict Weekly 89`) and whether an issue line can open with it.
_SERIES_NAMES: tuple[tuple[str, str, bool, bool], ...] = (
    (r"(?:NIAS\s+)?(?:The\s+)?World\s+This\s+Week|TWTW", TWTW, True, True),
    (r"(?:NIAS[\s-]+)?(?:IPRI\s+)?Conflict\s+Weekly", CONFLICT_WEEKLY, True, True),
    (r"(?:NIAS\s+)?Africa\s+Weekly", AFRICA_WEEKLY, True, True),
    (r"(?:NIAS\s+)?Fortnightly\s+on\s+Science,?\s+Technology\s*(?:&|and)\s*International"
     r"\s+Relations\s*(?:\(STIR\))?|STIR", STIR, False, True),
    (r"NIAS\s+Europe\s+Monitor", EUROPE_MONITOR, False, True),
    (r"NIAS\s+Europe\s+Studies", EUROPE_STUDIES, False, False),
    (r"CWA\s+Commentary", CWA_COMMENTARY, False, False),
)
# Each expression below holds every series as an alternative `s<i>` (`i` its place in
# `_SERIES_NAMES`), tried in that order: one call finds what a loop over the series would.
# Printed series labels (full line); `n<i>` is a number in the label.
_LABEL = re.compile("|".join(
    f"(?P<s{i}>(?:{name})" + (rf"(?:\s+(?P<n{i}>\d+))?" if numbered else "") + ")"
    for i, (name, _, numbered, _) in enumerate(_SERIES_NAMES)
), re.I)
# Series names that open an issue line.
ISSUE_LINE_SERIES = re.compile("|".join(
    f"(?P<s{i}>{name})" for i, (name, _, _, opens) in enumerate(_SERIES_NAMES) if opens
), re.I)


def matched_series(match: re.Match[str]) -> str:
    """The canonical series whose alternative matched (in `_LABEL` or `ISSUE_LINE_SERIES`)."""
    assert match.lastgroup is not None
    return _SERIES_NAMES[int(match.lastgroup[1:])][1]

# Section kinds: the analytic kinds in the order a topic prints them (a kind that does not come
# later than the previous one starts a new topic), and `other` for every other heading and for
# text before the first heading. `SECTION_KINDS` is the record's vocabulary of `Section.kind`.
KIND_ORDER = {
    "what_happened": 0, "background": 1, "what_it_means": 2,
    "in_the_news": 0, "issues_at_large": 1, "in_perspective": 2,
}
OTHER = "other"
SECTION_KINDS: tuple[str, ...] = (*KIND_ORDER, OTHER)

# Analytic headings -> kind (one of `KIND_ORDER`). Keys are normalised with `heading_key`.
HEADING_KINDS: dict[str, str] = {
    "what happened": "what_happened",
    "what has happened": "what_happened",
    "what is the background": "background",
    "what's the background": "background",
    "what does it mean": "what_it_means",
    "what does this mean": "what_it_means",
    "in the news": "in_the_news",
    "issues at large": "issues_at_large",
    "in perspective": "in_perspective",
}
_LONGEST_HEADING = 2 * max(map(len, HEADING_KINDS))
# Headings that are not analytic but are always headings (kind `other`).
KNOWN_HEADINGS = frozenset(
    {"introduction", "a brief background", "background", "conclusion", "conclusions",
     "the background", "analysis", "key takeaways", "takeaways"}
)
# Labels above topics that are not content.
TOPIC_LABELS = frozenset({"in focus", "report review", "cover story", "cwa commentary"})
ABOUT_AUTHOR = re.compile(r"^about\s+the\s+authors?\b\s*[:.\-–]?\s*", re.I)
PREVIOUS_COMMENTS = re.compile(r"^previous\s+comments\s*:?$", re.I)
PHOTO_SOURCE = re.compile(r"^photo\s*source\s*:?\s*", re.I)
# The characters a line must open with for `ABOUT_AUTHOR` or `PHOTO_SOURCE` to match it (what
# their first letter matches, ignoring case; a test checks every character): most lines are
# told by their first character, without a call of the expression.
ABOUT_AUTHOR_FIRST = "aA"
PHOTO_SOURCE_FIRST = "pP"

# Chrome lines: dropped wherever they occur (matched against the whole line).
_SUBSCRIBE_LINE = r".{0,40}subscribe\s+to\s+(?:GP|Conflict\s+Weekly|IPRI)?\s*alerts.*"
_CHROME_LINES = (
    r"NIAS\s+Course\s+on\s+Global\s+Politics",
    r"National\s+Institute\s+of\s+Advanced\s+Studies(?:\s*\(NIAS\))?,?",
    r"Indian\s+Institute\s+of\s+Science\s+Campus,?\s*Bangal(?:o|u)re\.?",
    _SUBSCRIBE_LINE,
    r"For\s+any\s+further\s+information.*",
    r"Print(?:\s*\|?\s*Bookmark)?",
    r"Bookmark",
    r"Share",
    r"An\s+initiative\s+(?:by|of)\s+NIAS.*",
    r"IPRI\s+Comments",
    r"International\s+Peace\s+Research\s+Initiative(?:\s*\(IPRI\))?",
    r"Conflict\s+Resolution\s+and\s+Peace\s+Research\s+Programme",
    r"!\[\]\(\)\s*\|?",
    r"(?:©|\(c\)|Copyright\b|All\s+rights\s+reserved|Best\s+viewed\b).{0,200}",
    r"[|\s]+",
)
CHROME = re.compile(f"^(?:{'|'.join(_CHROME_LINES)})$", re.I)
# The other chrome lines: the line asking to subscribe costs most of `CHROME`'s tries (at each
# of its first 41 characters), and few lines can be it (`is_chrome`).
_CHROME_BUT_SUBSCRIBE = re.compile(
    f"^(?:{'|'.join(line for line in _CHROME_LINES if line != _SUBSCRIBE_LINE)})$", re.I)


def is_chrome(text: str) -> bool:
    """Whether `CHROME` matches the line. The line asking to subscribe holds `ub` (of
    `subscribe`; `u` and `b` match no other character ignoring case) within its first 43
    characters: without it, the other chrome lines are tried alone."""
    return (_CHROME_BUT_SUBSCRIBE.match(text) is not None
            or ("ub" in text[:43].lower() and CHROME.match(text) is not None))


FOOTER = re.compile(r"^(?:©|\(c\)|Copyright\b|All\s+rights\s+reserved|Best\s+viewed\b)", re.I)
# Initiative text glued onto an issue line (the lookahead only spares the search a try of `\s*`
# at every character).
GLUED_INITIATIVE = re.compile(r"(?=[\sa])\s*An\s+initiative\s+(?:by|of)\s+.*$", re.I)

# Programme lines printed in the header: `International Strategic and Security Studies
# Programme (ISSSP), NIAS`.
PROGRAMME = re.compile(
    r"^[^.?!]{0,150}\bProgram(?:me)?\b[^.?!]{0,80}$", re.I)
_INSTITUTION_MARK = re.compile(r"\([A-Z]{2,}\)|\bNIAS\s*\.?$")
# Subtitle lines that continue the title above them (`An interview with …`,
# `Four key takeaways from …`).
SUBTITLE = re.compile(
    r"^(?:an?\s+(?:interview|conversation|dialogue)\s+with\b"
    r"|(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(?:\w+\s+){0,2}?"
    r"(?:takeaways|lessons|questions|things|reasons|points|trends|issues)\b)",
    re.I,
)

TEAM = re.compile(r"^(?:GP|IPRI|STIR|NIAS(?:\s+\w+)?|Global\s+Politics|CWA|[A-Z][\w-]*)\s+Team$",
                  re.I)

# The rules ask these questions of the same lines many times over a page, and consecutive
# pages share their sidebar and chrome lines: each answer is computed once per distinct short
# line (long lines, mostly paragraphs, are answered at once and never kept).
_CACHED_KEY_MAX = 200


def heading_key(text: str) -> str:
    """Case, spacing and punctuation folded (`What is the background ?` -> `what is the …`)."""
    return _short_heading_key(text) if len(text) <= _CACHED_KEY_MAX else _heading_key(text)


def _heading_key(text: str) -> str:
    # three `replace`s: `str.translate` with a table is several times slower on such lines
    return " ".join(text.lower().replace("?", " ").replace(":", " ").replace(".", " ").split())


_short_heading_key = lru_cache(maxsize=2048)(_heading_key)


def heading_kind(text: str) -> str | None:
    """The analytic kind of a heading line, or None when it is not an analytic heading."""
    if len(text) > _LONGEST_HEADING:
        return None
    return _heading_kind(text)


@lru_cache(maxsize=2048)
def _heading_kind(text: str) -> str | None:
    return HEADING_KINDS.get(heading_key(text))


def label_series(text: str) -> tuple[str, int | None] | None:
    """A printed label -> (canonical series, issue number in the label); None if unknown."""
    if len(text) > 120:
        return None
    return _label_series(text)


@lru_cache(maxsize=2048)
def _label_series(text: str) -> tuple[str, int | None] | None:
    match = _LABEL.fullmatch(text.strip())
    if match is None:
        return None
    assert match.lastgroup is not None
    number = match.groupdict().get(f"n{match.lastgroup[1:]}")
    return matched_series(match), int(number) if number else None


@lru_cache(maxsize=2048)
def is_team(name: str) -> bool:
    """`GP Team`, `NIAS Africa Team`, `Global Politics Team`: teams are not people."""
    return bool(TEAM.match(name.strip()))


def is_programme(text: str) -> bool:
    """`International Strategic and Security Studies Programme (ISSSP), NIAS`."""
    return (len(text) < 200 and PROGRAMME.match(text) is not None
            and _INSTITUTION_MARK.search(text) is not None)


def is_subtitle(text: str) -> bool:
    """A line that continues the title above it: `An interview with …`, `Five key takeaways`."""
    return len(text) < 200 and SUBTITLE.match(text) is not None
