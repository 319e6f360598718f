"""The mirror's catalogue: cheap per-record metadata, built up front and only ever appended to.

Each `Entry` holds what other pages need to know about a record (its date, series, CWA number,
title and listing author line). The full page is built lazily from it (`gpscrape.mirror.pages`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from gpscrape.mirror import words as w
from gpscrape.mirror.prose import Prose, rng_for

FIRST_RECORD_NO = 150
START_DAY = date(2018, 12, 10)
END_DAY = date(2026, 1, 25)
SERIES_NAMES: dict[str, str | None] = {
    "twtw": "The World This Week",
    "cw": "Conflict Weekly",
    "africa": "NIAS Africa Weekly",
    "stir": "STIR",
    "em": "NIAS Europe Monitor",
    "es": "NIAS Europe Studies",
    "cwa": "CWA Commentary",
    "interview": None,
}
# First year of each numbered series (its Vol 1).
VOLUME_START = {"twtw": 2019, "cw": 2020, "africa": 2022, "stir": 2021}
DEFAULT_STYLES: tuple[str, ...] = ("legacy", "pipe", "modern")  # plus `cwa` for CWA Commentary


@dataclass(frozen=True, slots=True)
class Entry:
    """What the whole site knows about one record."""

    record_no: int
    index: int
    series: str
    day: date
    cwa: int
    issues: tuple[int, ...]
    volume: int | None
    numbers: tuple[int, ...]
    style: str
    article_no_in_url: bool
    title: str
    subjects: tuple[tuple[str, str], ...]
    listing_authors: tuple[str, ...]
    listing_bio: str | None

    @property
    def listing_title(self) -> str:
        """The title as listings print it: cut after the first colon."""
        head, colon, _ = self.title.partition(":")
        return head + colon if colon else self.title


def _series_weights(day: date) -> dict[str, float]:
    if day < date(2020, 1, 1):
        return {"twtw": 0.5, "cwa": 0.45, "interview": 0.05}
    weights = {"twtw": 0.3, "cw": 0.3, "cwa": 0.2, "interview": 0.03}
    if day >= date(2021, 9, 1):
        weights.update(stir=0.1, em=0.08)
    if day >= date(2022, 3, 1):
        weights.update(africa=0.15, cwa=0.1)
    if day >= date(2023, 6, 1):
        weights["es"] = 0.04
    return weights


@dataclass
class Catalog:
    """All records of a mirror, in recordNo order; append-only. `planned` is the number of
    records asked for at generation (later additions continue its date and CWA pace)."""

    seed: int
    missing_rate: float
    day_step: float
    cwa_span: int
    planned: int
    styles: tuple[str, ...] = DEFAULT_STYLES
    entries: list[Entry] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    _counters: dict[tuple[str, int], int] = field(default_factory=dict)
    _issue_counters: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, records: int, seed: int, missing_rate: float,
              styles: tuple[str, ...] = DEFAULT_STYLES) -> Catalog:
        if records < 1:
            raise ValueError("a mirror needs at least one record")
        if not 0.0 <= missing_rate < 1.0:
            raise ValueError("missing_rate must be in [0, 1)")
        span = (END_DAY - START_DAY).days
        if not styles:
            raise ValueError("at least one markup style is needed")
        catalog = cls(seed, missing_rate, span / max(records - 1, 1), max(records - 1, 1), records,
                      tuple(styles))
        catalog.extend(records)
        return catalog

    def extend(self, count: int) -> list[Entry]:
        """Append `count` new records (with gaps for missing numbers) and return them."""
        added: list[Entry] = []
        next_no = self._next_candidate()
        while len(added) < count:
            if self.rng_gap(next_no) < self.missing_rate:
                self.missing.append(next_no)
            else:
                entry = self._plan(next_no, len(self.entries))
                self.entries.append(entry)
                added.append(entry)
            next_no += 1
        return added

    def rng_gap(self, record_no: int) -> float:
        return rng_for(self.seed, record_no, "gap").random()

    def _next_candidate(self) -> int:
        last = max([FIRST_RECORD_NO - 1] + self.missing + [e.record_no for e in self.entries[-1:]])
        return last + 1

    def _plan(self, record_no: int, index: int) -> Entry:
        rng = rng_for(self.seed, record_no, "meta")
        prose = Prose(rng)
        day = START_DAY + timedelta(days=round(index * self.day_step) + rng.randint(-2, 2))
        weights = _series_weights(day)
        series = rng.choices(list(weights), weights=list(weights.values()))[0]
        offset = round(87 - 86 * min(index, self.cwa_span) / self.cwa_span)
        issues, volume, numbers = self._issue_numbers(series, day, rng.random())
        subjects, title = _subjects_and_title(prose, series, day)
        authors, bio = _listing_author(prose, series, day, rng.random())
        style = "cwa" if series == "cwa" else rng.choice(self.styles)
        roll = rng.random()
        article_no = (series == "cwa" or (day < date(2024, 1, 1) and roll < 0.12)
                      or (series == "twtw" and day >= date(2026, 1, 1) and roll < 0.5))
        return Entry(
            record_no=record_no,
            index=index,
            series=series,
            day=day,
            cwa=record_no - offset,
            issues=issues,
            volume=volume,
            numbers=numbers,
            style=style,
            article_no_in_url=article_no,
            title=title,
            subjects=subjects,
            listing_authors=authors,
            listing_bio=bio,
        )

    def _issue_numbers(
        self, series: str, day: date, roll: float
    ) -> tuple[tuple[int, ...], int | None, tuple[int, ...]]:
        if series not in VOLUME_START:
            return (), None, ()
        span = 1
        if series in ("twtw", "africa") and day >= date(2023, 1, 1) and roll < 0.2:
            span = 2 if roll < 0.14 else 3
        elif series == "cw" and day >= date(2022, 6, 1) and roll < 0.1:
            span = 2
        first = self._issue_counters.get(series, 0) + 1
        self._issue_counters[series] = first + span - 1
        volume = max(1, day.year - VOLUME_START[series] + 1)
        first_no = self._counters.get((series, volume), 0) + 1
        self._counters[(series, volume)] = first_no + span - 1
        issues = tuple(range(first, first + span))
        return issues, volume, tuple(range(first_no, first_no + span))


def _subjects_and_title(
    prose: Prose, series: str, day: date
) -> tuple[tuple[tuple[str, str], ...], str]:
    pool = {
        "africa": w.AFRICAN_COUNTRIES,
        "em": w.EUROPEAN_COUNTRIES,
        "es": w.EUROPEAN_COUNTRIES,
    }.get(series, w.COUNTRIES)
    count = _topic_count(series, day, prose)
    countries: list[str] = []
    while len(countries) < count:
        country = prose.pick(pool)
        if country not in countries:
            countries.append(country)
    subjects = tuple((c, prose.pick(w.NOUNS)) for c in countries)
    if series == "interview":
        part = prose.pick(w.INTERVIEW_PARTS)
        title = f"Interview with Ambassador {prose.person()} | {part} today"
    elif series == "stir":
        title = f"{prose.pick(w.SCIENCE_NOUNS).capitalize()} and the race for {subjects[0][1]}s"
    elif series == "cwa" and day < date(2020, 1, 1) and prose.rng.random() < 0.3:
        title = f"South Asia Monthly Brief ({w.MONTHS[day.month - 1][:3]} {day.year})"
    elif count == 1:
        country, noun = subjects[0]
        title = f"{_cap(country)}: {prose.headline(country)}"
        if prose.rng.random() < 0.05:
            title += "\u00c2"  # mojibake kept as printed
    else:
        parts = [f"{_cap(c)}\u2019s {n}" for c, n in subjects]
        sep = prose.pick((", ", "; ", " | ", " I "))
        title = sep.join(parts[:-1]) + prose.pick((" and ", " & ", sep)) + parts[-1]
    return subjects, title


def _topic_count(series: str, day: date, prose: Prose) -> int:
    if series == "twtw":
        if day < date(2020, 1, 1):
            return prose.rng.randint(5, 7)
        if day < date(2023, 1, 1):
            return prose.rng.randint(3, 5)
        if day < date(2025, 1, 1):
            return prose.rng.randint(2, 4)
        return 1
    if series in ("cw", "africa"):
        return prose.rng.randint(2, 4)
    return 1


def _listing_author(
    prose: Prose, series: str, day: date, roll: float
) -> tuple[tuple[str, ...], str | None]:
    """The record's author line: a team, or people (these are also the page's byline)."""
    if series == "twtw" and day < date(2025, 1, 1):
        return (w.TEAMS["twtw"],), None
    if series == "twtw" and day >= date(2026, 1, 1) and roll < 0.5:
        return (w.TEAMS["twtw_late"],), None
    if series in ("cw", "africa", "stir"):
        return (w.TEAMS[series],), None
    if series == "es":
        return tuple(prose.people(prose.rng.randint(4, 7))), None
    if series == "interview":
        return tuple(prose.people(prose.rng.randint(2, 5))), None
    name = prose.person()
    if roll < 0.35:
        return (name,), prose.pick(w.AFFILIATIONS)
    if roll < 0.55:
        return (name,), prose.bio(name)
    return (name,), None


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]
