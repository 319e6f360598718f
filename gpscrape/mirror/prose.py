"""Deterministic generated prose, names and titles (everything from one `random.Random`)."""

from __future__ import annotations

import random
from datetime import date

from gpscrape.mirror import words as w

ORDINALS: tuple[str, ...] = ("First", "Second", "Third", "Fourth")
_LOWERABLE = frozenset({"On", "The", "About", "Observers", "Officials", "Critics"})


def rng_for(seed: int, *parts: object) -> random.Random:
    """A private RNG for one purpose of one record (string seeds hash stably across runs)."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


def day_month_year(day: date, zero_pad: bool = False) -> str:
    """`5 October 2021` or, zero-padded, `05 October 2021`."""
    dd = f"{day.day:02d}" if zero_pad else str(day.day)
    return f"{dd} {w.MONTHS[day.month - 1]} {day.year}"


def month_year(day: date) -> str:
    """`November 2021`."""
    return f"{w.MONTHS[day.month - 1]} {day.year}"


class Prose:
    """Sentences, paragraphs, names and titles drawn from one RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(options)

    def person(self) -> str:
        return f"{self.pick(w.FIRST_NAMES)} {self.pick(w.LAST_NAMES)}"

    def people(self, count: int) -> list[str]:
        names: list[str] = []
        while len(names) < count:
            name = self.person()
            if name not in names:
                names.append(name)
        return names

    def bio(self, name: str) -> str:
        return f"{name} is {self.pick(w.BIO_ROLES)} {self.pick(w.BIO_PLACES)}."

    @staticmethod
    def indefinite(word: str) -> str:
        """`a modest`, `an ambitious`."""
        return f"{'an' if word[0] in 'aeiou' else 'a'} {word}"

    def sentence(self, country: str) -> str:
        r = self.rng
        day = f"{r.randint(1, 28)} {self.pick(w.MONTHS)}"
        templates = (
            f"On {day}, {self.pick(w.ACTORS)} in {country} {self.pick(w.VERBS_PAST)} "
            f"{self.indefinite(self.pick(w.ADJECTIVES))} {self.pick(w.NOUNS)} on "
            f"{self.pick(w.SUBJECTS)}.",
            f"The {self.pick(w.NOUNS)} was {self.pick(w.VERBS_PAST)} after weeks of talks in "
            f"{self.pick(w.CITIES)}.",
            f"Officials said the plan would cover {self.pick(w.SUBJECTS)} over the next "
            f"{r.randint(2, 18)} months.",
            f"About {r.randint(3, 71)} per cent of {self.pick(w.GROUPS)} backed the "
            f"{self.pick(w.ADJECTIVES)} {self.pick(w.NOUNS)}, according to a local survey.",
            f"Observers in {self.pick(w.CITIES)} called it {self.pick(w.OUTCOMES)}.",
            f"{country[0].upper()}{country[1:]}\u2019s neighbours watched the move closely, given "
            f"their own worries about {self.pick(w.SUBJECTS)}.",
            f"The \u201c{self.pick(w.ADJECTIVES)} {self.pick(w.NOUNS)}\u201d is expected to cost "
            f"USD {r.randint(2, 900)} million.",
            f'Critics described the decision as "{self.pick(w.OUTCOMES)}" for {country}.',
        )
        return r.choice(templates)

    def paragraph(self, country: str, ordinal: str | None = None) -> str:
        sentences = [self.sentence(country) for _ in range(self.rng.randint(2, 4))]
        if ordinal:
            first = sentences[0]
            if first.split()[0] in _LOWERABLE:
                first = first[0].lower() + first[1:]
            sentences[0] = f"{ordinal}, {first}"
        return " ".join(sentences)

    def paragraphs(self, country: str, count: int, ordinals: bool = False) -> list[str]:
        if ordinals:
            return [self.paragraph(country, ORDINALS[i]) for i in range(min(count, 4))]
        return [self.paragraph(country) for _ in range(count)]

    def headline(self, country: str) -> str:
        return (
            f"{self.pick(w.ACTORS).replace('the ', '', 1).capitalize()} "
            f"{self.pick(w.HEADLINE_VERBS)} the {self.pick(w.ADJECTIVES)} {self.pick(w.NOUNS)}"
        )

    def topic_title(self, country: str) -> str:
        """`Region: headline`, the sub-article title form."""
        return f"{country[0].upper()}{country[1:]}: {self.headline(country)}"

    def teaser(self, country: str) -> str:
        return (
            f"This piece looks at the {self.pick(w.ADJECTIVES)} {self.pick(w.NOUNS)} in {country} "
            f"and what it means for {self.pick(w.SUBJECTS)}."
        )
