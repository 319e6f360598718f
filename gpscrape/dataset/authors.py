"""The `authors` table: one row per person credited, spellings of one person merged."""

from __future__ import annotations

from collections.abc import Iterable

from gpscrape.extract.names import person_key
from gpscrape.extract.vocab import is_team
from gpscrape.schema import Row


def author_rows(articles: Iterable[Row], listings: Iterable[Row]) -> list[Row]:
    """The `authors` table from `articles` rows (`record_no`, `authors`, `about_author`) and
    `listings` rows (`record_no`, `authors`, `author_bio`), sorted by name.

    Teams are left out. Spellings of one person (`Vani Vyshnavi`, `Vani Vyshnavi J`) make one
    row under the first spelling met, articles in `record_no` order first, then listings.
    """
    names: dict[str, str] = {}  # person key -> first spelling
    records: dict[str, set[int]] = {}
    bios: dict[str, set[str]] = {}

    def credit(credited: list[str], record_no: int | None, bio: str | None) -> None:
        people = [n for n in credited if not is_team(n)]
        for name in people:
            key = person_key(name)
            names.setdefault(key, name)
            records.setdefault(key, set())
            bios.setdefault(key, set())
            if record_no is not None:
                records[key].add(record_no)
        if bio and len(people) == 1 and len(credited) == 1:
            bios[person_key(people[0])].add(bio)

    for row in articles:
        credit(row["authors"], row["record_no"], row["about_author"])
    for row in listings:
        credit(row["authors"], row["record_no"], row["author_bio"])
    return sorted(
        ({"name": names[k], "record_nos": sorted(records[k]), "bios": sorted(bios[k])}
         for k in names),
        key=lambda row: row["name"],
    )
