"""Find the last good point: a search over a table's PITR window for the latest second whose
restore has no rule violations. Pure: ``lee_console.aws.findgood`` restores the probes.

Assumption (monotone damage): once the table is bad it stays bad. Every point up to some
moment T restores clean and every point after it does not. A corruption that was later fixed
by hand breaks the assumption; the search then still ends, and ``non_monotone`` says a good
probe was seen after a bad one.

The search keeps an interval (lo, hi]: lo the latest point known good (at first the window's
earliest second, assumed good), hi the earliest point known bad (at first the latest
restorable second, assumed bad). Each round probes k points evenly spaced inside it (whole
seconds, ``lo + floor(i * L / (k + 1))``), so the interval shrinks to at most
``ceil(L / (k + 1))`` per round, and the search stops when ``hi - lo <= precision``: at most
``ceil(log_(k+1)(window / precision))`` rounds, never more than ``ceil(log2(window /
precision))``. The endpoints themselves are not probed: when every probe is bad the result
has no good point (the damage began within ``precision`` of the window's start, or before it);
when every probe is good there is no bad point (the table is clean up to the latest probe).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from lee_console.core.errors import InvalidInput
from lee_console.core.findgood_plan import (
    MAX_CONCURRENT_RESTORES,
    rounds_for,
    shrink_k,
)
from lee_console.core.findgood_plan import (
    SearchEstimate as SearchEstimate,  # re-exported: callers import it from here
)
from lee_console.core.names import validate_table_name
from lee_console.core.timeparse import format_utc

MAX_PRECISION_SECONDS = 35 * 86400
_DURATION = re.compile(
    r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?\s*$", re.ASCII
)


def parse_precision(text: str) -> timedelta:
    """``1m``, ``30s``, ``1h``, ``2h30m``, ``1d`` (a bare number is seconds)."""
    raw = text.strip().lower()
    if len(raw) > 40:  # far beyond 35 days in any form (and int() refuses 4,300 digits)
        raise _precision_out_of_range(text)
    if raw.isascii() and raw.isdigit():
        seconds = int(raw)
    else:
        match = _DURATION.match(raw)
        if not raw or match is None or not any(match.groups()):
            raise InvalidInput(f"Cannot read the precision {text!r}; use e.g. 30s, 1m, 1h, 2h30m.")
        d, h, m, s = (int(g or 0) for g in match.groups())
        seconds = ((d * 24 + h) * 60 + m) * 60 + s
    if not 1 <= seconds <= MAX_PRECISION_SECONDS:
        raise _precision_out_of_range(text)
    return timedelta(seconds=seconds)


def _precision_out_of_range(text: str) -> InvalidInput:
    return InvalidInput(
        f"The precision {text.strip()!r} is out of range: give one from 1s to 35d (the "
        "longest PITR window)."
    )


def probe_name(table: str, point: datetime) -> str:
    """TABLE-probe-YYYYMMDDTHHMMSSZ."""
    return validate_table_name(f"{table}-probe-{point.astimezone(UTC):%Y%m%dT%H%M%SZ}")


def is_probe_name(name: str, table: str) -> bool:
    """A name find-good gives a probe of ``table``: TABLE-probe-YYYYMMDDTHHMMSSZ, or with -N
    when that name was taken (``probe_name``, core.names.suggest_free_name)."""
    pattern = re.escape(table) + r"-probe-\d{8}T\d{6}Z(?:-\d+)?"
    return re.fullmatch(pattern, name, flags=re.ASCII) is not None


def _whole_seconds(earliest: datetime, latest: datetime) -> tuple[datetime, datetime]:
    start = earliest.astimezone(UTC)
    if start.microsecond:
        start = start.replace(microsecond=0) + timedelta(seconds=1)
    return start, latest.astimezone(UTC).replace(microsecond=0)


def max_rounds(earliest: datetime, latest: datetime, precision: timedelta) -> int:
    """ceil(log2(window / precision)): the bound with one probe per round."""
    return plan_rounds(earliest, latest, precision, 1)


def plan_rounds(earliest: datetime, latest: datetime, precision: timedelta, k: int) -> int:
    """Rounds of ``k`` probes that narrow the window to ``precision`` (whole seconds)."""
    return rounds_for(window_length(earliest, latest), precision_step(precision), k)


def window_length(earliest: datetime, latest: datetime) -> int:
    """The window's whole seconds (its first whole second to its last)."""
    start, end = _whole_seconds(earliest, latest)
    return max(0, int((end - start).total_seconds()))


def precision_step(precision: timedelta) -> int:
    return max(1, int(precision.total_seconds()))


@dataclass(frozen=True)
class Probe:
    """One probe: a restore of the table at ``point``, checked against the rules."""

    point: datetime
    round: int
    target: str
    good: bool | None = None  # None: not checked (failed or cancelled)
    violations: int | None = None
    items: int | None = None
    deleted: bool | None = None  # None: this run created no table to delete
    error: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "restore_point": format_utc(self.point),
            "round": self.round,
            "target": self.target,
            "good": self.good,
            "violations": self.violations,
            "items": self.items,
            "deleted": self.deleted,
            "error": self.error,
        }


@dataclass(frozen=True)
class SearchResult:
    table: str
    earliest: datetime
    latest: datetime
    precision: timedelta
    last_good: datetime | None  # latest point probed good (None: none was)
    first_bad: datetime | None  # earliest point probed bad (None: none was)
    rounds: int
    max_rounds: int
    probes: tuple[Probe, ...]
    non_monotone: bool = False
    complete: bool = True  # False: stopped before the precision was reached
    left_behind: tuple[str, ...] = ()  # probe tables that could not be deleted

    def describe(self) -> str:
        if self.last_good is None and self.first_bad is None:
            return f"no probe of {self.table} finished; no point found"
        if self.last_good is None:
            return (
                f"every probe of {self.table} has violations: the damage began before "
                f"{format_utc(self.first_bad or self.latest)} (within {_span(self.precision)} "
                f"of the window's start {format_utc(self.earliest)}, or before it)"
            )
        if self.first_bad is None:
            return (
                f"every probe of {self.table} is clean: the last good point is at least "
                f"{format_utc(self.last_good)} (the latest restorable time is "
                f"{format_utc(self.latest)})"
            )
        return (
            f"last good point of {self.table}: {format_utc(self.last_good)} "
            f"(first bad: {format_utc(self.first_bad)}, {_span(self.first_bad - self.last_good)} "
            f"apart)"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "last_good": format_utc(self.last_good) if self.last_good else None,
            "first_bad": format_utc(self.first_bad) if self.first_bad else None,
            "window": {"earliest": format_utc(self.earliest), "latest": format_utc(self.latest)},
            "precision_seconds": int(self.precision.total_seconds()),
            "rounds": self.rounds,
            "max_rounds": self.max_rounds,
            "probes": [probe.to_json() for probe in self.probes],
            "non_monotone": self.non_monotone,
            "complete": self.complete,
            "left_behind": list(self.left_behind),
        }


def _span(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds % 3600 == 0 and seconds:
        return f"{seconds // 3600} h"
    if seconds % 60 == 0 and seconds:
        return f"{seconds // 60} min"
    return f"{seconds} s"


@dataclass
class GoodPointSearch:
    """The search as a state machine: ``next_probes()`` gives the round's points, ``record``
    each verdict; ``done`` once the interval is within ``precision``; then ``result()``."""

    table: str
    earliest: datetime
    latest: datetime
    precision: timedelta
    k: int = 1
    adaptive: bool = False  # each round only the probes that still reach the planned rounds
    lo: datetime = field(init=False)
    hi: datetime = field(init=False)
    rounds: int = field(init=False, default=0)
    max_rounds: int = field(init=False, default=0)
    planned_rounds: int = field(init=False, default=0)
    probes: list[Probe] = field(init=False, default_factory=list)
    _pending: list[datetime] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        if self.k < 1:
            raise InvalidInput("--parallel takes 1 or more probes per round.")
        self.lo, self.hi = _whole_seconds(self.earliest, self.latest)
        if self.hi < self.lo:
            raise InvalidInput(f"The PITR window of {self.table} is empty: nothing to search.")
        self.max_rounds = plan_rounds(self.lo, self.hi, self.precision, 1)
        self.planned_rounds = plan_rounds(self.lo, self.hi, self.precision, self.k)

    @property
    def step(self) -> int:
        return max(1, int(self.precision.total_seconds()))

    @property
    def done(self) -> bool:
        return not self._pending and (self.hi - self.lo).total_seconds() <= self.step

    @property
    def pending(self) -> list[datetime]:
        """Points of the current round not recorded yet."""
        return list(self._pending)

    def next_probes(self) -> list[datetime]:
        """The points of the next round (empty when done); call once per round, then record
        every point before asking again."""
        if self._pending:
            return list(self._pending)
        if self.done:
            return []
        length = int((self.hi - self.lo).total_seconds())
        k = self.k
        if self.adaptive:
            k = shrink_k(length, self.step, k, max(1, self.planned_rounds - self.rounds))
        offsets = sorted({(i * length) // (k + 1) for i in range(1, k + 1)})
        points = [self.lo + timedelta(seconds=o) for o in offsets if 0 < o < length]
        self.rounds += 1
        self._pending = points
        return list(points)

    def record(self, point: datetime, good: bool, probe: Probe | None = None) -> None:
        """The verdict for one point of the current round (``probe``: its details)."""
        if point not in self._pending:
            raise ValueError(f"{format_utc(point)} is not a probe of the current round")
        self._pending.remove(point)
        if probe is None:
            probe = Probe(point, self.rounds, probe_name(self.table, point), good=good)
        self.probes.append(replace(probe, point=point, round=self.rounds, good=good))
        if not self._pending:
            self._narrow()

    def _narrow(self) -> None:
        round_points = [p for p in self.probes if p.round == self.rounds and p.good is not None]
        bad = [p.point for p in round_points if not p.good and self.lo < p.point < self.hi]
        if bad:
            self.hi = min(bad)
        good = [p.point for p in round_points if p.good and self.lo < p.point < self.hi]
        if good:
            self.lo = max(good)

    @property
    def last_good(self) -> datetime | None:
        """The interval's lower end when a probe found it good (not the assumed start)."""
        return self.lo if any(p.good and p.point == self.lo for p in self.probes) else None

    @property
    def first_bad(self) -> datetime | None:
        return self.hi if any(p.good is False and p.point == self.hi for p in self.probes) else None

    @property
    def non_monotone(self) -> bool:
        """A probe was good after a bad one: the damage was not monotone."""
        good = [p.point for p in self.probes if p.good]
        bad = [p.point for p in self.probes if p.good is False]
        return bool(good and bad and max(good) > min(bad))

    def result(self, left_behind: tuple[str, ...] = ()) -> SearchResult:
        return SearchResult(
            table=self.table,
            earliest=self.earliest,
            latest=self.latest,
            precision=self.precision,
            last_good=self.last_good,
            first_bad=self.first_bad,
            rounds=self.rounds,
            max_rounds=self.max_rounds,
            probes=tuple(sorted(self.probes, key=lambda p: (p.round, p.point))),
            non_monotone=self.non_monotone,
            complete=self.done,
            left_behind=left_behind,
        )


def check_parallel(k: int, in_flight: int) -> None:
    """At most 50 restores run at once per account; ``in_flight`` are running already."""
    free = MAX_CONCURRENT_RESTORES - in_flight
    if k < 1:
        raise InvalidInput("--parallel takes 1 or more probes per round.")
    if k > free:
        raise InvalidInput(
            f"--parallel {k} would exceed AWS's {MAX_CONCURRENT_RESTORES} concurrent restores: "
            f"{in_flight} restore(s) are running, so at most {max(free, 0)} probes fit."
        )
