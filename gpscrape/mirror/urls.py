"""The site's URL scheme: article URLs of a record, and tolerant parsing of request targets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, quote_plus, unquote_plus

from gpscrape.mirror.catalog import Entry
from gpscrape.mirror.prose import rng_for

CIR = "/view_cir_articles.php"
TWTW = "/TWTW_view_articles.php"
AFRICA = "/africa/africa-weekly.php"
EUROPE = "/europe/view_em_comments.php"
ARTICLE_SCRIPTS: tuple[str, ...] = (CIR, TWTW, AFRICA, EUROPE)
PARAMS = ("url", "recordNo", "ArticleNo")
STIR_LABEL = "NIAS Fortnightly on Science, Technology & International Relations"


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed request target (path and the known query parameters, decoded)."""

    path: str
    params: dict[str, str]

    @property
    def record_no(self) -> int | None:
        value = self.params.get("recordNo", "").strip()
        return int(value) if value.isdigit() else None

    @property
    def is_article(self) -> bool:
        return self.path in ARTICLE_SCRIPTS


def parse_target(target: str) -> Target:
    """Split `path?query`; a piece without `=` continues the previous value.

    That keeps the STIR label's unescaped `&` inside `url=` and still finds `recordNo`.
    Parameters other than `url`, `recordNo` and `ArticleNo` are ignored.
    """
    path, _, query = target.partition("?")
    raw: dict[str, str] = {}
    last: str | None = None
    for piece in query.split("&") if query else []:
        key, eq, value = piece.partition("=")
        if eq:
            last = unquote_plus(key) if unquote_plus(key) in PARAMS else None
            if last is not None:
                raw[last] = value
        elif last is not None:
            raw[last] += "&" + piece
    return Target(unquote_plus(path) or "/", {k: unquote_plus(v) for k, v in raw.items()})


def _encode(label: str, plus: bool) -> str:
    if label == STIR_LABEL and not plus:
        return quote(label, safe=",&")  # the site leaves this `&` unescaped
    return quote_plus(label, safe=",") if plus else quote(label, safe=",")


def _target(script: str, params: list[tuple[str, str]], plus: bool) -> str:
    parts = [f"{k}={_encode(v, plus) if k == 'url' else v}" for k, v in params]
    return f"{script}?{'&'.join(parts)}"


def article_targets(entry: Entry, seed: int) -> list[str]:
    """Every root-relative URL the site links for this record; the first is canonical."""
    rng = rng_for(seed, entry.record_no, "urls")
    labels = _labels(entry, rng.random())
    variants: list[tuple[str, str]] = []  # (script, label)
    if entry.series == "twtw":
        variants.append((TWTW, labels[0]))
        if rng.random() < 0.6:
            variants.append((CIR, labels[1]))
    elif entry.series == "africa":
        variants += [(AFRICA, labels[0]), (CIR, labels[1])]
    elif entry.series in ("em", "es"):
        variants += [(EUROPE, labels[0]), (CIR, labels[1])]
    else:
        variants.append((CIR, labels[0]))
        if rng.random() < 0.4:
            variants.append((CIR, labels[1]))
    targets: list[str] = []
    for number, (script, label) in enumerate(variants):
        params = [("url", label), ("recordNo", str(entry.record_no))]
        if entry.article_no_in_url:
            params.insert(0, ("ArticleNo", str(entry.cwa)))
        if number == 0 and entry.series == "twtw" and entry.day.year >= 2026:
            plus = True  # `?ArticleNo=1945&recordNo=1946&url=The+World+This+Week`
            params = [p for p in params if p[0] != "url"] + [("url", label)]
        else:
            plus = number > 0 and rng.random() < 0.5
            if number > 0 and rng.random() < 0.5:
                params.reverse()
        target = _target(script, params, plus)
        if target not in targets:
            targets.append(target)
    return targets


def _labels(entry: Entry, roll: float) -> tuple[str, str]:
    """The `url=` values of a record's two links (the page's label echoes them)."""
    if entry.series == "twtw":
        if entry.day >= date(2025, 1, 1) and roll < 0.3:
            return "The World This Week", f"State of Global Politics {entry.day.year}"
        return ("The World This Week", "The World this Week")[:: 1 if roll < 0.5 else -1]
    if entry.series == "cw":
        if entry.day < date(2021, 1, 1):  # the issue number rides in the label (no `#N` printed)
            label = f"Conflict Weekly {entry.issues[0]}"
            return label, label
        return "Conflict Weekly", "Conflict Weekly"
    if entry.series == "africa":
        return "NIAS AFRICA WEEKLY", "NIAS Africa Weekly"
    if entry.series == "stir":
        return STIR_LABEL, STIR_LABEL
    if entry.series == "em":
        return "NIAS Europe Monitor", "NIAS Europe Monitor"
    if entry.series == "es":
        return "NIAS Europe Studies", "NIAS Europe Studies"
    return entry.title, entry.title  # CWA Commentary and interviews: the title is the label
