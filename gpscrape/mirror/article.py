"""One record's article, built twice at once: as the expected `PageRecord` and as a `Layout`.

Each series has a builder that emits header lines and body blocks through `ArticleBuilder`,
which records the same content in the page record exactly as docs/record.md says the
extractor must read it. The sidebar and the label line are added by the site.
"""

from __future__ import annotations

from datetime import date

from gpscrape.extract.record import PageRecord, Section, Topic
from gpscrape.mirror import words as w
from gpscrape.mirror.catalog import SERIES_NAMES, Entry
from gpscrape.mirror.layout import (
    AUTHOR,
    BYLINE,
    HEADING,
    LABEL,
    META,
    PARA,
    TOPIC_TITLE,
    Block,
    Layout,
)
from gpscrape.mirror.prose import Prose, day_month_year, rng_for

WH = (("What happened?", "what_happened"), ("What is the background?", "background"),
      ("What does it mean?", "what_it_means"))
CW = (("In the news", "in_the_news"), ("Issues at large", "issues_at_large"),
      ("In perspective", "in_perspective"))
INITIATIVES = ("An initiative by NIAS-IPRI & KAS-India Office",
               "An initiative by NIAS-IPRI and KAS-India Office",
               "An initiative by NIAS-IPRI and India Office of the KAS")
ROMAN = ("I", "II", "III", "IV", "V")
TEAM = w.TEAMS["twtw"]


def same_person(a: str, b: str) -> bool:
    """Two spellings of one name that differ only by a trailing initial."""
    short, long_ = sorted((a, b), key=len)
    return a == b or (long_.startswith(short + " ") and len(long_) - len(short) == 2)


def join_names(names: list[str], style: str = "and") -> str:
    """`A`, `A and B`, `A, B and C` (or with ` & `, an Oxford comma, a trailing `.`)."""
    if len(names) == 1:
        return names[0]
    last = {"and": " and ", "amp": " & ", "oxford": ", and ", "dot": " and "}[style]
    text = ", ".join(names[:-1]) + last + names[-1]
    return text + "." if style == "dot" else text


class ArticleBuilder:
    """Collects header lines and body blocks, and the record they must extract to."""

    def __init__(self, entry: Entry, seed: int) -> None:
        self.entry = entry
        self.rng = rng_for(seed, entry.record_no, "page")
        self.prose = Prose(self.rng)
        photo = self.prose.pick(w.PHOTO_SOURCES)
        self.layout = Layout(photo_source=photo, email=self.rng.random() < 0.7, title=entry.title)
        self.record = PageRecord(
            record_no=entry.record_no,
            cwa_no=entry.cwa if entry.article_no_in_url or entry.series == "cwa" else None,
            url="",
            series=SERIES_NAMES[entry.series],
            title=entry.title,
            photo_source=photo or None,
        )
        self._topic: Topic | None = None
        self._section: Section | None = None

    # --- header -------------------------------------------------------------------------
    def meta(self, text: str) -> None:
        self.layout.header.append(Block(META, text))

    def byline(self, printed: str, byline: str, people: list[str]) -> None:
        self.layout.header.append(Block(BYLINE, printed))
        self.record.byline = byline
        self.add_authors(people)

    def published(self, day: date, raw: str) -> None:
        if self.record.published is None:
            self.record.published, self.record.published_raw = day, raw
            self.record.published_precision = "day"

    def issue(
        self, raw: str | None, issues: list[int], volume: int | None, numbers: list[int]
    ) -> None:
        self.record.issue_line_raw = raw
        self.record.issue_numbers = issues
        self.record.volume = volume
        self.record.numbers = numbers

    def add_authors(self, people: list[str]) -> None:
        for name in people:
            if not any(same_person(name, known) for known in self.record.authors):
                self.record.authors.append(name)

    def standfirst(self, text: str) -> None:
        self.layout.standfirst = text
        self.record.standfirst = text

    def about(self, text: str) -> None:
        self.layout.about = text
        self.record.about_author = text

    # --- body ---------------------------------------------------------------------------
    def topic(self, title: str | None, authors: list[str] | None = None,
              second_line: str | None = None) -> Topic:
        if title is not None:
            self.layout.body.append(Block(TOPIC_TITLE, title, second_line))
        full = f"{title.strip()} {second_line.strip()}" if second_line and title else title
        self._topic = Topic(title=full, authors=list(authors or []))
        self._section = None
        self.record.topics.append(self._topic)
        return self._topic

    def author_line(self, printed: str, people: list[str]) -> None:
        self.layout.body.append(Block(AUTHOR, printed))
        assert self._topic is not None
        self._topic.authors = people
        self.add_authors(people)

    def label(self, text: str) -> None:
        self.layout.body.append(Block(LABEL, text))

    def topic_standfirst(self, text: str) -> None:
        self.layout.body.append(Block(PARA, text))
        assert self._topic is not None
        self._topic.standfirst = text

    def section(self, printed: str, kind: str, paragraphs: list[str], inline: bool = False) -> None:
        assert self._topic is not None
        if inline:
            self.layout.body.append(Block(PARA, paragraphs[0], printed))
            rest = paragraphs[1:]
        else:
            self.layout.body.append(Block(HEADING, printed))
            rest = paragraphs
        self.layout.body.extend(Block(PARA, p) for p in rest)
        self._topic.sections.append(Section(printed.strip(), kind, "\n\n".join(paragraphs)))

    def finish(self) -> tuple[PageRecord, Layout]:
        texts: list[str] = []
        for topic in self.record.topics:
            if topic.standfirst:
                texts.append(topic.standfirst)
            texts.extend(s.text for s in topic.sections)
        self.record.body_text = "\n\n".join(texts)
        return self.record, self.layout

    # --- helpers shared by the series ---------------------------------------------------
    def date_text(self, day: date, comma: bool = False) -> str:
        text = day_month_year(day, zero_pad=day.day < 10 and self.rng.random() < 0.4)
        if comma:
            head, _, year = text.rpartition(" ")
            text = f"{head}, {year}"
        return text

    def heading_text(self, heading: str) -> str:
        """A heading as printed: sometimes with a trailing space, a spaced `?` or no `?`."""
        roll = self.rng.random()
        if roll < 0.15:
            return heading + " "
        if roll < 0.2 and heading.endswith("?"):
            return heading[:-1] + " ?"
        if roll < 0.25 and heading.endswith("?"):
            return heading[:-1]
        return heading

    def analytic_sections(self, country: str, vocabulary: tuple[tuple[str, str], ...],
                          ordinals: bool = False) -> None:
        for index, (heading, kind) in enumerate(vocabulary):
            count = self.rng.randint(1, 3)
            paragraphs = self.prose.paragraphs(country, count, ordinals=ordinals and index > 0)
            inline = index == 0 and kind != "other" and self.rng.random() < 0.15
            self.section(self.heading_text(heading), kind, paragraphs, inline=inline)

    def person_variant(self, name: str) -> str:
        """Occasionally the same person with a trailing initial (a spelling the site mixes)."""
        return f"{name} {self.prose.pick(w.INITIALS)}" if self.rng.random() < 0.15 else name

    def contributors(self, count: int) -> list[str]:
        people = self.prose.people(count)
        printed = list(people)
        if len(people) > 2 and self.rng.random() < 0.2:
            printed.insert(2, people[0])  # the site sometimes lists a name twice
        style = self.prose.pick(("and", "amp", "oxford", "dot"))
        self.meta(join_names(printed, style))
        self.add_authors(people)
        return people


def build_article(entry: Entry, seed: int) -> tuple[PageRecord, Layout]:
    """The expected record (without `url`/`series_raw`/`listing`) and the layout of a record."""
    builder = ArticleBuilder(entry, seed)
    BUILDERS[entry.series](builder)
    return builder.finish()


def _twtw(b: ArticleBuilder) -> None:
    e = b.entry
    team = e.listing_authors[0] if e.listing_authors[0].endswith("Team") else None
    contributors: list[str] = []
    if e.day < date(2020, 3, 1):
        _twtw_early(b)
    elif e.day < date(2025, 1, 1):
        contributors = _twtw_numbered(b)
    else:
        _twtw_single(b, team)
        return
    if b.rng.random() < 0.5:
        b.standfirst(f"The World This Week looks at {len(e.subjects)} developments, from "
                     f"{e.subjects[0][0]} to {e.subjects[-1][0]}.")
    late = e.day >= date(2023, 1, 1)
    for country, _noun in e.subjects:
        title = b.prose.topic_title(country)
        second = None
        if late and b.rng.random() < 0.15:
            head, _, tail = title.partition(": ")
            title, second = head + ": ", tail
        b.topic(title, second_line=second)
        if late:
            person = b.prose.person()
            if contributors and b.rng.random() < 0.5:
                person = b.person_variant(b.prose.pick(contributors))
            printed = f"By {person}" if b.rng.random() < 0.3 else person
            b.author_line(printed, [person])
        b.analytic_sections(country, WH, ordinals=b.rng.random() < 0.3)


def _twtw_early(b: ArticleBuilder) -> None:
    roll = b.rng.random()
    if roll < 0.4:
        raw = b.date_text(b.entry.day)
        b.byline(f"{TEAM} {raw}", TEAM, [])
        b.published(b.entry.day, raw)
    elif roll < 0.7:
        b.byline(TEAM, TEAM, [])
        raw = b.date_text(b.entry.day)
        b.meta(raw)
        b.published(b.entry.day, raw)
    else:
        b.byline(TEAM, TEAM, [])


def _twtw_numbered(b: ArticleBuilder) -> list[str]:
    """Byline, then the issue line and the contributor line in either order."""
    b.byline(TEAM, TEAM, [])
    if b.rng.random() < 0.3:
        contributors = _twtw_contributors(b)
        _twtw_issue_line(b)
        return contributors
    _twtw_issue_line(b)
    return _twtw_contributors(b)


def _twtw_issue_line(b: ArticleBuilder) -> None:
    e = b.entry
    n, v, no = e.issues, e.volume, e.numbers
    raw_date = b.date_text(e.day)
    if len(n) > 1:
        if len(n) == 3:
            nums = f"#{n[0]}-{n[-1]}"
            line = b.prose.pick((f"The World This Week {nums}, Vol. {v} No. {no[0]}-{no[-1]}, ",
                                 f"The World This Week {nums} Vol. {v} Nos. {no[0]}-{no[-1]}, "))
        else:
            line = b.prose.pick((
                f"The World This Week #{n[0]} and {n[1]}, Vol. {v} No. {no[0]} and {no[1]}, ",
                f"The World This Week #{n[0]} & {n[1]} Vol. {v} Nos. {no[0]} & {no[1]}, "))
        line += raw_date
        b.meta(line + ("         " if b.rng.random() < 0.3 else ""))
        b.issue(line, list(n), v, list(no))
        b.published(e.day, raw_date)
    elif e.day >= date(2023, 1, 1):
        line = f"The World This Week #{n[0]}, Vol. {v}, No.{no[0]}"
        b.meta(line)
        b.meta(raw_date)
        b.issue(line, list(n), v, list(no))
        b.published(e.day, raw_date)
    else:
        forms = (
            (f"The World This Week #{n[0]}, {raw_date}, Vol {v}, No {no[0]}", True),
            (f"The World This Week # {n[0]}, {raw_date}, Vol {v} No {no[0]}", True),
            (f"TWTW#{n[0]}, {raw_date}, Vol. {v}, No. {no[0]}", True),
            (f"The World This Week #{n[0]}, Vol. {v}, No. {no[0]} {raw_date}", True),
            (f"The World This Week #{n[0]}, Vol. {v}, No. {no[0]}", False),
        )
        line, dated = forms[b.rng.randrange(len(forms))]
        b.meta(line)
        b.issue(line, list(n), v, list(no))
        if dated:
            b.published(e.day, raw_date)


def _twtw_contributors(b: ArticleBuilder) -> list[str]:
    if b.rng.random() < 0.2:
        return []
    contributors = b.contributors(b.rng.randint(2, 5))
    if b.rng.random() < 0.2:
        b.meta("International Strategic and Security Studies Programme (ISSSP), NIAS")
    return contributors


def _twtw_single(b: ArticleBuilder, team: str | None) -> None:
    e = b.entry
    n, v, no = e.issues, e.volume, e.numbers
    raw_date = b.date_text(e.day)
    nums = f"#{n[0]}" if len(n) == 1 else f"#{n[0]}-{n[-1]}"
    vol_no = f"No {no[0]:02d}" if len(no) == 1 else f"Nos {no[0]}-{no[-1]}"
    line = f"The World This Week {nums}, Vol {v}, {vol_no}, {raw_date}"
    b.meta(line)
    b.issue(line, list(n), v, list(no))
    b.published(e.day, raw_date)
    people = [] if team else list(e.listing_authors)
    if team and b.rng.random() < 0.5:
        b.byline(f"{team} {raw_date}", team, [])  # the 2026 pipe block: team and date on one line
    else:
        b.byline(team or people[0], team or people[0], people)
        b.meta(raw_date)
    country = e.subjects[0][0]
    b.topic(None, people)
    vocabulary = WH
    if b.rng.random() < 0.3:
        vocabulary = tuple((f"{i}. {h}", "other") for i, h in
                           enumerate(b.rng.sample(w.NUMBERED_HEADINGS, 3), start=1))
    b.analytic_sections(country, vocabulary, ordinals=True)
    if people:
        b.about(e.listing_bio if e.listing_bio and e.listing_bio.endswith(".")
                else b.prose.bio(people[0]))


def _conflict_weekly(b: ArticleBuilder) -> None:
    e = b.entry
    b.byline(e.listing_authors[0], e.listing_authors[0], [])
    n, v, no = e.issues, e.volume, e.numbers
    raw_date = b.date_text(e.day)
    if e.day < date(2021, 1, 1):
        if b.rng.random() < 0.25:
            b.meta(f"IPRI # {n[0] + 49}, {raw_date}")  # a counter line, not an issue line
            b.issue(None, [n[0]], None, [])
        else:
            line = f"IPRI Conflict Weekly, {raw_date}, Vol.{v}, No. {no[0]}"
            b.meta(line)
            b.issue(line, [n[0]], v, [no[0]])
        b.published(e.day, raw_date)
    else:
        nums = f"#{n[0]}" if len(n) == 1 else f"#{n[0]} & {n[1]}"
        nos = f"No.{no[0]}" if len(no) == 1 else f"No.{no[0]} & {no[1]}"
        line = f"Conflict Weekly {nums}, {raw_date}, Vol.{v}, {nos}"
        initiative = INITIATIVES[min(2, max(0, e.day.year - 2021))]
        b.meta(f"{line} {initiative}" if b.rng.random() < 0.3 else line)
        if b.rng.random() < 0.5:
            b.meta(initiative)
        b.issue(line, list(n), v, list(no))
        b.published(e.day, raw_date)
    for country, _noun in e.subjects:
        b.topic(b.prose.topic_title(country))
        if e.day >= date(2021, 1, 1):
            person = b.prose.person()
            b.author_line(f"By {person}" if b.rng.random() < 0.3 else person, [person])
        b.analytic_sections(country, CW)


def _africa(b: ArticleBuilder) -> None:
    e = b.entry
    b.byline(e.listing_authors[0], e.listing_authors[0], [])
    n, v, no = e.issues, e.volume, e.numbers
    roll = b.rng.random()
    if len(n) == 1:
        nums, nos = f"#{n[0]:02d}", f"No. {no[0]}"
    elif len(n) == 2:
        nums = f"#{n[0]}&{n[1]}" if roll < 0.5 else f"#{n[0]} & {n[1]}"
        nos = f"No.{no[0]} & {no[1]}"
    else:
        nums, nos = f"#{n[0]}-{n[-1]}", f"No.{no[0]}-{no[-1]}"
    line = f"Africa Weekly {nums}, Vol. {v}, {nos}"
    if roll < 0.5:
        raw_date = b.date_text(e.day)
        b.meta(line)
        b.meta(raw_date)
    else:
        raw_date = b.date_text(e.day, comma=roll > 0.8)
        b.meta(f"{line} {raw_date}")
        line = f"{line} {raw_date}"
    b.issue(line, list(n), v, list(no))
    b.published(e.day, raw_date)
    for index, (country, _noun) in enumerate(e.subjects):
        if index == 0 and b.rng.random() < 0.5:
            b.label("IN FOCUS")
        elif index > 0 and b.rng.random() < 0.15:
            b.label("Report Review")
        b.topic(b.prose.topic_title(country))
        person = b.prose.person()
        teaser = b.prose.teaser(country)
        if b.rng.random() < 0.5:
            b.author_line(person, [person])
            b.topic_standfirst(teaser)
        else:
            b.topic_standfirst(teaser)
            b.author_line(f"By {person}" if b.rng.random() < 0.3 else person, [person])
        headings = [("What happened?", "what_happened")]
        headings += [(h, "other") for h in b.rng.sample(w.FREE_HEADINGS, 2)]
        b.analytic_sections(country, tuple(headings))


def _stir(b: ArticleBuilder) -> None:
    e = b.entry
    b.byline(e.listing_authors[0], e.listing_authors[0], [])
    raw_date = b.date_text(e.day)
    counter = f"Issue {e.numbers[0]}" if b.rng.random() < 0.5 else f"No {e.numbers[0]}"
    line = f"NIAS Fortnightly on Science, Technology & International Relations (STIR), " \
           f"Vol {e.volume}, {counter}, {raw_date}"
    line += "." if b.rng.random() < 0.4 else ""
    b.meta(line)
    b.issue(line, [], e.volume, list(e.numbers))
    b.published(e.day, raw_date)
    country = e.subjects[0][0]
    people = b.prose.people(2)
    b.topic(None)
    if b.rng.random() < 0.6:
        b.label("Cover Story")
    b.author_line(f"By {people[0]} and {people[1]}", people)
    b.section("Introduction", "other", b.prose.paragraphs(country, 2))
    for i, heading in enumerate(b.rng.sample(w.NUMBERED_HEADINGS, 2), start=1):
        b.section(f"{i}. {heading}", "other", b.prose.paragraphs(country, b.rng.randint(1, 3)))


def _europe_monitor(b: ArticleBuilder) -> None:
    e = b.entry
    person = e.listing_authors[0]
    b.byline(f"{person}", person, [person])
    raw_date = b.date_text(e.day)
    if b.rng.random() < 0.7:
        b.meta(raw_date)
        b.published(e.day, raw_date)
    country, noun = e.subjects[0]
    b.standfirst(b.prose.teaser(country))
    b.topic(None, [person])
    questions = (f"Why does the {noun} matter for {country}?", f"Who gains from the {noun}?")
    for question in questions:
        b.section(question, "other", b.prose.paragraphs(country, b.rng.randint(1, 2)))
    b.section("A brief background ", "other", b.prose.paragraphs(country, 2))
    if e.listing_bio and e.listing_bio.endswith("."):
        b.about(e.listing_bio)


def _europe_studies(b: ArticleBuilder) -> None:
    e = b.entry
    people = list(e.listing_authors)
    printed = join_names(people)
    b.byline(printed, printed, people)
    country = e.subjects[0][0]
    b.topic(None, people)
    for i, heading in enumerate(b.rng.sample(w.NUMBERED_HEADINGS, 3), start=1):
        b.section(f"{i}. {heading}", "other", b.prose.paragraphs(country, b.rng.randint(1, 3)))


def _cwa(b: ArticleBuilder) -> None:
    e = b.entry
    person = e.listing_authors[0]
    raw_date = b.date_text(e.day)
    b.layout.cwa_line = f"CWA # {e.cwa}, {raw_date}"
    b.published(e.day, raw_date)
    b.byline(person, person, [person])
    if e.listing_bio and not e.listing_bio.endswith("."):
        b.layout.affiliation = e.listing_bio
    countries = [c for c, _ in e.subjects]
    if b.rng.random() < 0.6:
        b.standfirst(b.prose.teaser(countries[0]))
    b.topic(None, [person])
    items = b.rng.sample(w.COUNTRIES, 3)
    for country in items:
        heading = f"{country[0].upper()}{country[1:]} {b.prose.pick(w.HEADLINE_VERBS)} the " \
                  f"{b.prose.pick(w.NOUNS)}"
        b.section(heading, "other", b.prose.paragraphs(country, b.rng.randint(1, 2)))
    if e.listing_bio and e.listing_bio.endswith("."):
        b.about(e.listing_bio)


def _interview(b: ArticleBuilder) -> None:
    e = b.entry
    people = list(e.listing_authors)
    printed = join_names(people)
    b.byline(printed, printed, people)
    guest = e.title.removeprefix("Interview with Ambassador ").split(" | ")[0]
    country = e.subjects[0][0]
    b.topic(None, people)
    for index, part in enumerate(b.rng.sample(w.INTERVIEW_PARTS, 3)):
        lines = []
        for _ in range(b.rng.randint(1, 2)):
            asker = b.prose.pick(people)
            lines.append(f"{asker}: How do you read the {b.prose.pick(w.NOUNS)} in {country}?")
            lines.append(f"Amb {guest}: {b.prose.paragraph(country)}")
        b.section(f"{ROMAN[index]} {part}", "other", lines)


BUILDERS = {
    "twtw": _twtw,
    "cw": _conflict_weekly,
    "africa": _africa,
    "stir": _stir,
    "em": _europe_monitor,
    "es": _europe_studies,
    "cwa": _cwa,
    "interview": _interview,
}
