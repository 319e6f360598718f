"""Author lines: is a line a list of people, split it, and keep each person once."""

from __future__ import annotations

import re
from functools import lru_cache

from gpscrape.extract._scan import has_digit
from gpscrape.extract.vocab import is_team

_DOTS_AND_SPACES = re.compile(r"[.\s]+")
_BY = re.compile(r"^(?:written\s+)?by\s*:?\s+", re.I)
BY_FIRST = "wWbB"  # what a line `_BY` matches opens with (a test checks every character)
# Every separator opens with a space, `,` or `&`: the lookahead spares the search a try of
# `\s*` at every other character (the same matches, found twice as fast).
_SPLIT = re.compile(r"(?=[\s,&])\s*(?:,\s*(?:and|&)\s+|,\s*|\s+and\s+|\s*&\s*)", re.I)
_PARTICLES = frozenset({"de", "da", "van", "von", "bin", "binti", "al", "el", "ul", "ur", "le",
                        "la", "du", "der", "dos", "das", "di"})
_ROMAN_PARTS = frozenset({"I", "II", "III", "IV", "VI", "VII", "VIII", "IX"})  # `I Russia`
# Words that occur in titles and headings but not in the site's author names.
_NOT_NAME = frozenset(
    """the a an of in on at to for from with and or by is are was were be has have will what
    why how who when where which this that these those its it new news war peace week weekly
    monitor studies team report review focus story cover about summit talks crisis deal
    elections election president minister prime government us uk eu un nato china india
    russia ukraine israel gaza iran pakistan africa europe asia america japan global
    politics conflict security economy trade background introduction perspective issues
    large happened mean takeaways conclusion analysis interview part day month year national
    institute advanced studies research associate programme university centre department
    school professor assistant scholar photo source print bookmark comments previous
    initiative india's world east west north south middle central latin""".split()
)


def strip_by(line: str) -> str:
    """`By Avishka Ashok` -> `Avishka Ashok`."""
    line = line.strip()
    return _BY.sub("", line) if line[:1] in BY_FIRST else line


def has_by(line: str) -> bool:
    """Whether the line opens with `By`."""
    line = line.strip()
    return line[:1] in BY_FIRST and _BY.match(line) is not None


def split_names(line: str) -> list[str]:
    """`A, B, and C.` / `A & B` / `By X and Y` -> the names, trimmed, in order."""
    return list(_split_names(line))


@lru_cache(maxsize=2048)
def _split_names(line: str) -> tuple[str, ...]:
    """`split_names`, once per distinct line (the sidebar repeats the same author lines)."""
    text = strip_by(line).strip().rstrip(".;").strip()
    return tuple(part.strip(" .;") for part in _SPLIT.split(text) if part.strip(" .;"))


@lru_cache(maxsize=8192)
def is_person(name: str) -> bool:
    """A plausible person's name: 1-6 capitalised words or initials, no title words."""
    tokens = name.split()
    if not 1 <= len(tokens) <= 6 or len(name) > 60:
        return False
    if tokens[0] in _ROMAN_PARTS:
        return False
    real = 0
    for token in tokens:
        if token in _PARTICLES:
            continue
        if not _name_token(token) or token.lower().strip(".") in _NOT_NAME:
            return False
        real += 1
    return real >= 2


def _name_token(token: str) -> bool:
    """`Chloé`, `D'Souza`, `Al-Amin`, `D.`, `MK`: capitalised letters, any script."""
    core = token.rstrip(".")
    return bool(core) and core[0].isupper() and all(
        ch.isalpha() or ch in "'’-." for ch in core)


@lru_cache(maxsize=8192)
def is_author_line(line: str) -> bool:
    """A line of people or teams only: `Rishika Yadav`, `By X and Y`, `GP Team`, `A, B & C.`."""
    text = line.strip()
    if not text or len(text) > 400 or text.endswith((":", "?")) or has_digit(text):
        return False
    first = _first_name(text)
    if first and not (is_person(first) or is_team(first)):
        return False  # most lines of text fail at their first name: the rest is not split
    names = split_names(text)
    return bool(names) and all(is_person(n) or is_team(n) for n in names)


def _first_name(line: str) -> str:
    """The first of `split_names(line)` when it stands before the first separator ("" when
    nothing does), found without splitting the rest of the line."""
    text = strip_by(line).strip().rstrip(".;").strip()
    separator = _SPLIT.search(text) if _may_separate(text) else None
    return (text[: separator.start()] if separator else text).strip(" .;")


def _may_separate(text: str) -> bool:
    """Whether `_SPLIT` can find a separator: each holds `,`, `&` or `and` in some case (no
    other character matches these three letters ignoring case; a test checks every one)."""
    return "," in text or "&" in text or "and" in text.lower()


def people(names: list[str]) -> list[str]:
    """The names that are people (teams dropped), each person once."""
    return unique_people([n for n in names if not is_team(n)])


def unique_people(names: list[str]) -> list[str]:
    """Keep the first spelling of each person; a trailing initial or dots do not make another."""
    kept: list[str] = []
    keys: set[str] = set()
    for name in names:
        key = person_key(name)
        if key and key not in keys:
            keys.add(key)
            kept.append(name)
    return kept


def person_key(name: str) -> str:
    """`Vani Vyshnavi J` and `Vani Vyshnavi` -> the same key; `D. Suba` and `D Suba` too."""
    tokens = _DOTS_AND_SPACES.sub(" ", name).strip().lower().split()
    if len(tokens) > 2 and len(tokens[-1]) == 1:
        tokens = tokens[:-1]
    return " ".join(tokens)
