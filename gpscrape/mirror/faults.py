"""`FaultPlan`: which article pages misbehave, how, and for how many attempts.

Faulty records are chosen deterministically from the plan's seed. Transient kinds
(`TRANSIENT_KINDS`) hit only the first `attempts` requests of a URL, so retries recover,
unless `permanent` is True or holds the record's recordNo. Structural kinds (a redirect loop,
a redirect off the site, a broken layout) fail every time: a loop that heals is not a loop.
`endless_listing` is a site-wide trap rather than a per-record fault: every series archive
goes on past its last page with empty pages, each linking to the next (`page=N+1`), forever.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from gpscrape.mirror.prose import rng_for

HTTP_500 = "500"
HTTP_503 = "503"
HTTP_429 = "429"
RESET = "reset"  # the socket is closed (with RST) before any response
TRUNCATE = "truncate"  # Content-Length says more than the bytes sent, then close
SLOW = "slow"  # the answer waits `slow_seconds` (longer than a client's timeout)
REDIRECT_LOOP = "redirect_loop"  # A -> /moved.php?to=A -> A -> ...
OFFSITE = "offsite"  # a redirect to another host (`offsite_url`)
BROKEN = "broken"  # 200 with the chrome but no article
TRANSIENT_KINDS: tuple[str, ...] = (HTTP_500, HTTP_503, HTTP_429, RESET, TRUNCATE, SLOW)
KINDS: tuple[str, ...] = (*TRANSIENT_KINDS, REDIRECT_LOOP, OFFSITE, BROKEN)


@dataclass(frozen=True)
class FaultPlan:
    """Fault rates per kind (fractions of records; at most one kind per record)."""

    rates: Mapping[str, float] = field(default_factory=dict)
    seed: int = 0
    attempts: int = 1
    permanent: bool | frozenset[int] = False
    slow_seconds: float = 5.0
    retry_after: int = 1
    offsite_url: str = "http://example.invalid/moved"
    endless_listing: bool = False

    def __post_init__(self) -> None:
        unknown = set(self.rates) - set(KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds: {sorted(unknown)}; known: {list(KINDS)}")
        if any(rate < 0 for rate in self.rates.values()) or sum(self.rates.values()) > 1.0:
            raise ValueError("fault rates must be >= 0 and sum to at most 1")
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if not isinstance(self.permanent, bool):
            object.__setattr__(self, "permanent", frozenset(self.permanent))

    @classmethod
    def uniform(cls, rate: float, kinds: Iterable[str] = KINDS, **options: object) -> FaultPlan:
        """`rate` of all records faulty, spread evenly over `kinds`."""
        kinds = list(kinds)
        if not kinds:
            raise ValueError("no fault kinds given")
        return cls(rates={kind: rate / len(kinds) for kind in kinds}, **options)  # type: ignore[arg-type]

    def kind_for(self, record_no: int) -> str | None:
        """The fault kind of a record, or None when it is served cleanly."""
        roll = rng_for(self.seed, "fault", record_no).random()
        total = 0.0
        for kind in KINDS:
            total += self.rates.get(kind, 0.0)
            if roll < total:
                return kind
        return None

    def is_permanent(self, record_no: int, kind: str) -> bool:
        if kind not in TRANSIENT_KINDS or self.permanent is True:
            return True
        return isinstance(self.permanent, frozenset) and record_no in self.permanent

    def active(self, record_no: int, attempt: int) -> str | None:
        """The fault to apply to the `attempt`-th request (1-based) of one URL of a record."""
        kind = self.kind_for(record_no)
        if kind is None:
            return None
        if self.is_permanent(record_no, kind) or attempt <= self.attempts:
            return kind
        return None

    def faulty(self, record_nos: Iterable[int]) -> dict[int, str]:
        """recordNo -> fault kind, for the faulty ones among `record_nos`."""
        chosen = {n: self.kind_for(n) for n in record_nos}
        return {n: kind for n, kind in chosen.items() if kind is not None}
