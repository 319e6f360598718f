"""The pipelines' quick paths agree with the field-by-field ones: normalising and validating
check a whole record a field at a time over all its listing entries, topics and sections, and
fall back to the field-by-field path whenever they cannot vouch for a record. So a record that
needs cleaning is cleaned exactly as before and a clean one is kept as it is (the very
object); a record breaking the contract gets the very same reasons."""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gpscrape import content_version
from gpscrape.extract.record import PageRecord
from gpscrape.items import PageItem
from pipelines import normalise, validate
from pipelines.normalise import normalise_record

FIXTURES = sorted((Path(__file__).parent / "fixtures" / "pages").glob("*/expected.json"))
RECORDS = [PageRecord.from_dict(json.loads(p.read_text(encoding="utf-8"))) for p in FIXTURES]

# Ways a text can need cleaning, each applied to one text of a record.
DIRTY = [
    lambda t: t + " ",
    lambda t: " " + t,
    lambda t: t.replace(" ", "  ", 1) if " " in t else t + "\t!",
    lambda t: t.replace(" ", "\u00a0", 1) if " " in t else "\u00a0" + t,
    lambda t: t + "\ne\u0301",  # a line break, and an accent in NFD
    lambda t: "",
    lambda t: t.replace("\n\n", "\n \n", 1) if "\n\n" in t else t + "\n\n\n" + t,
]


def _texts(record: object, path: tuple = ()) -> list[tuple]:
    """Every (path, text) of a record, nested records and lists included."""
    found = []
    for name in record.__slots__:
        value = getattr(record, name)
        values = value if isinstance(value, list) else [value]
        for index, item in enumerate(values):
            where = (*path, (name, index if isinstance(value, list) else None))
            if isinstance(item, str):
                found.append((where, item))
            elif hasattr(item, "__slots__"):
                found.extend(_texts(item, where))
    return found


def _with(record: object, path: tuple, text: object) -> object:
    """A copy of `record` with the value at `path` replaced (nothing shared is changed)."""
    (name, index), rest = path[0], path[1:]
    value = getattr(record, name)
    if index is None:
        new = _with(value, rest, text) if rest else text
    else:
        new = list(value)
        new[index] = _with(value[index], rest, text) if rest else text
    return replace(record, **{name: new})


def test_a_clean_record_is_kept_as_it_is_and_vouched_for_quickly():
    for record in RECORDS:
        assert normalise_record(record) is record
        assert normalise._unchanged([record]) and validate._fields_valid([record], [])


@pytest.mark.parametrize("seed", range(4))
def test_a_record_needing_cleaning_is_cleaned_as_field_by_field(seed):
    rng = random.Random(seed)
    for record in rng.sample(RECORDS, 25):
        path, text = rng.choice(_texts(record))
        dirty = _with(record, path, rng.choice(DIRTY)(text))
        assert normalise_record(dirty) == normalise._record(dirty)


def test_values_the_quick_check_does_not_clean_go_field_by_field():
    record = next(r for r in RECORDS if r.listing)
    when = datetime(2024, 5, 6, 7, 8, tzinfo=UTC)
    odd = [replace(record, published=when),
           replace(record, listing=[replace(record.listing[0], month=when)]),
           replace(record, title=7), replace(record, authors=["A", 3])]
    for dirty in odd:
        assert normalise_record(dirty) == normalise._record(dirty)
    assert normalise_record(odd[0]).published == when.date()


# Values that break a field's declaration (or not), put in place of one value of a record.
ODD_VALUES = [None, "", 7, True, 2**63, -(2**63), 1.5, "Lone \ud800 surrogate", "not-a-kind",
              datetime(2024, 1, 2, tzinfo=UTC), date(2024, 1, 2), ["x"], [None], [3, "4"]]


def _values(record: object, path: tuple = ()) -> list[tuple]:
    """The path of every value of a record, nested records' values and list items included."""
    found = []
    for name in record.__slots__:
        value = getattr(record, name)
        found.append(((*path, (name, None)), value))
        if isinstance(value, list):
            for index, item in enumerate(value):
                where = (*path, (name, index))
                found.append((where, item))
                if hasattr(item, "__slots__"):
                    found.extend(_values(item, where))
    return found


@pytest.mark.parametrize("seed", range(4))
def test_validation_finds_what_field_by_field_validation_finds(seed, monkeypatch):
    rng = random.Random(seed)
    cases = []
    for record in rng.sample(RECORDS, 30):
        path, _ = rng.choice(_values(record))
        cases.append(PageItem(record=_with(record, path, rng.choice(ODD_VALUES)),
                              fetched_at=datetime.now(UTC), content_sha256="a" * 64,
                              extractor_version="x"))
    quick = [validate.item_problems(item) for item in cases]
    monkeypatch.setattr(validate, "_fields_valid", lambda records, texts: False)
    assert quick == [validate.item_problems(item) for item in cases]
    assert sum(map(bool, quick)) > 10  # most odd values break the contract


def test_a_version_hashes_the_canonical_json_of_the_content():
    """`version_of` writes each field's JSON itself; the hashes are those of the documented
    canonical JSON (keys sorted, no spaces, dates in ISO form, empty fields left out)."""
    odd = PageRecord(record_no=1, cwa_no=True, url="u", title='Q "x" \\ \u00e9\n\u2028',
                     authors=["\u00e9", 'a"b'], issue_numbers=[1, 2], numbers=[True, 3],
                     volume=0, standfirst="")
    for record in [*RECORDS, odd]:
        content = {name: content_version._plain(getattr(record, name))
                   for name in content_version.CONTENT_FIELDS}
        content = {name: value for name, value in content.items() if not content_version._is_empty(value)}
        canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                               default=date.isoformat)
        version = content_version.version_of(record)
        assert version.sha256 == hashlib.sha256(canonical.encode()).hexdigest()
        assert version.digests == tuple(
            f"{name}:{hashlib.sha256(content_version._canonical(value).encode()).hexdigest()[:16]}"
            for name, value in sorted(content.items()))
