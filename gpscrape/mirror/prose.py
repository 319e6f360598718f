"""Deterministic generated prose, names and titles (everything from one `random.Random`)."""

from __future__ import annotations

import random
from datetime import date
from string import Formatter

from gpscrape.mirror import words as w

ORDINALS: tuple[str, ...] = ("First", "Second", "Third", "Fourth")
_LOWERABLE = frozenset({"On", "The", "About", "Observers", "Officials", "Critics"})
SLOT_WORDS: dict[str, tuple[str, ...]] = {
    "actor": w.ACTORS, "verb": w.VERBS_PAST, "adjective": w.ADJECTIVES, "noun": w.NOUNS,
    "subject": w.SUBJECTS, "city": w.CITIES, "group": w.GROUPS, "outcome": w.OUTCOMES,
}
_SENTENCE_TEMPLATES = (
    "On {day}, {actor} in {country} {verb} {an_adjective} {noun} on {subject}.",
    "The {noun} was {verb} after weeks of talks in {city}.",
    "Officials said the plan would cover {subject} over the next {number} months.",
    "About {number} per cent of {group} backed the {adjective} {noun}, according to a local "
    "survey.",
    "Observers in {city} called it {outcome}.",
    "{Country}\u2019s neighbours watched the move closely, given their own worries about "
    "{subject}.",
    "The \u201c{adjective} {noun}\u201d is expected to cost USD {number} million.",
    'Critics described the decision as "{outcome}" for {country}.',
)
SENTENCES = tuple(
    (template, tuple(name for _, name, _, _ in Formatter().parse(template) if name))
    for template in _SENTENCE_TEMPLATES
)


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
        return options[int(self.rng.random() * len(options))]

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
        template, slots = SENTENCES[int(self.rng.random() * len(SENTENCES))]
        return template.format(**{slot: self._slot(slot, country) for slot in slots})

    def _slot(self, slot: str, country: str) -> str:
        if slot == "country":
            return country
        if slot == "Country":
            return country[0].upper() + country[1:]
        if slot == "day":
            return f"{self.rng.randint(1, 28)} {self.pick(w.MONTHS)}"
        if slot == "an_adjective":
            return self.indefinite(self.pick(w.ADJECTIVES))
        if slot == "number":
            return str(self.rng.randint(2, 90))
        return self.pick(SLOT_WORDS[slot])

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
