"""How many probes per round find-good runs, and what its plan costs. Pure.

A round of k probes splits the interval into k + 1 parts (``core.findgood``), so reaching the
precision takes ``rounds(k)`` = the number of times ``L -> ceil(L / (k + 1))`` is applied to
the window's length L (whole seconds) until it is within the precision: about
``ceil(log_(k+1)(window / precision))``. 35 days at 1 minute is 50,400 minutes: k = 1 needs 16
rounds, k = 36 needs 3 (37^3 = 50,653 >= 50,400), and no k under 36 does.

The default choice (``choose_parallel``): among the k that fit beside the restores already
running (AWS allows 50 at once per account) and whose probes stay within the probe budget, the
fewest rounds; among those, the smallest k (fewer probes, less cost). With the plan's rounds
fixed, each round then runs only as many probes as still reach the precision in the rounds
left (``shrink_k``): never more rounds, sometimes fewer probes. ``--parallel K`` overrides the
choice and runs K a round as asked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from lee_console.core.cost import restore_cost
from lee_console.core.errors import InvalidInput

MAX_CONCURRENT_RESTORES = 50  # per account (aws-facts.md)
DEFAULT_PROBE_BUDGET = 120  # total probes: 35 days at 1 min in 3 rounds takes 108


def rounds_for(length: int, step: int, k: int) -> int:
    """Rounds of ``k`` probes that narrow ``length`` seconds to within ``step`` seconds."""
    if k < 1:
        raise InvalidInput("--parallel takes 1 or more probes per round.")
    rounds = 0
    while length > step:
        length = math.ceil(length / (k + 1))
        rounds += 1
    return rounds


def round_probes(length: int, k: int) -> int:
    """Points a round of ``k`` probes tries inside an interval of ``length`` seconds (whole
    seconds strictly inside it: fewer than k when the interval is short)."""
    return len({(i * length) // (k + 1) for i in range(1, k + 1)} - {0, length})


def shrink_k(length: int, step: int, k: int, rounds_left: int) -> int:
    """The smallest k' <= ``k`` that still narrows ``length`` to ``step`` in ``rounds_left``
    rounds (``k`` itself when none does)."""
    if rounds_for(length, step, k) > rounds_left:
        return k
    low, high = 1, k  # rounds_for is non-increasing in k: bisect for the first that fits
    while low < high:
        middle = (low + high) // 2
        if rounds_for(length, step, middle) <= rounds_left:
            high = middle
        else:
            low = middle + 1
    return low


def planned_probes(length: int, step: int, k: int, adaptive: bool) -> tuple[int, int]:
    """(rounds, probes) at most, taking the longest part left after each round; with
    ``adaptive`` each round runs ``shrink_k`` probes."""
    total_rounds = rounds_for(length, step, k)
    rounds = probes = 0
    while length > step:
        size = shrink_k(length, step, k, total_rounds - rounds) if adaptive else k
        probes += round_probes(length, size)
        length = math.ceil(length / (size + 1))
        rounds += 1
    return rounds, probes


@dataclass(frozen=True)
class ParallelChoice:
    """Probes per round and what they take: ``rounds`` rounds, at most ``probes`` probes."""

    k: int
    rounds: int
    probes: int
    adaptive: bool  # chosen here (each round shrinks to what still reaches the precision)
    reason: str


def choose_parallel(length: int, step: int, in_flight: int, budget: int) -> ParallelChoice:
    """The fewest rounds within ``budget`` probes in all and the restores free beside the
    ``in_flight`` ones; among those, the smallest k."""
    free = MAX_CONCURRENT_RESTORES - in_flight
    if budget < 1:
        raise InvalidInput("--probe-budget takes 1 or more probes.")
    if free < 1:
        raise InvalidInput(
            f"{in_flight} restores are running: AWS allows {MAX_CONCURRENT_RESTORES} at once, "
            "so no probe fits now; wait for some to finish."
        )
    best: ParallelChoice | None = None
    cheapest: tuple[int, int] | None = None  # (probes, k) when nothing fits the budget
    for k in range(1, min(free, budget) + 1):
        rounds, probes = planned_probes(length, step, k, adaptive=True)
        if cheapest is None or probes < cheapest[0]:
            cheapest = (probes, k)
        if probes <= budget and (best is None or rounds < best.rounds):
            reason = (
                f"the fewest rounds within a budget of {budget} probes and {free} free "
                f"restores (AWS: {MAX_CONCURRENT_RESTORES} at once)"
            )
            best = ParallelChoice(k, rounds, probes, True, reason)
    if best is None:
        needed = cheapest[0] if cheapest is not None else 1
        raise InvalidInput(
            f"--probe-budget {budget} cannot reach the precision over this window: it takes "
            f"at least {needed} probes; raise it or the precision."
        )
    return best


def fixed_parallel(length: int, step: int, k: int) -> ParallelChoice:
    """``--parallel K``: K probes every round."""
    rounds, probes = planned_probes(length, step, k, adaptive=False)
    return ParallelChoice(k, rounds, probes, False, f"--parallel {k}")


@dataclass(frozen=True)
class SearchEstimate:
    """What the probes will cost and take, said before the search starts. ``probes`` is the
    plan's total (default: rounds x probes per round); ``sequential`` is the same search with
    one probe a round, shown beside it."""

    table: str
    size_bytes: int
    rounds: int
    probes_per_round: int
    restore_seconds: float  # one probe's restore, estimated
    basis: str  # what the duration estimate is based on
    probes: int | None = None
    reason: str = ""  # how probes_per_round was chosen
    adaptive: bool = False
    sequential: tuple[int, int] | None = None  # (rounds, probes) with one probe a round

    @property
    def restores(self) -> int:
        return self.rounds * self.probes_per_round if self.probes is None else self.probes

    @property
    def cost(self) -> float:
        return self.restores * restore_cost(self.size_bytes)

    @property
    def duration_seconds(self) -> float:
        return self.rounds * self.restore_seconds

    def describe(self) -> str:
        gb = self.size_bytes / 2**30
        return (
            f"at most {self.rounds} rounds x {self.probes_per_round} probe(s) = {self.restores} "
            f"restores of {self.table} ({gb:.3f} GB each) x $0.15/GB = ${self.cost:,.2f}; "
            f"{_took(self.duration_seconds)} ({self.rounds} rounds, one restore each: "
            f"{self.basis})"
        )

    def plan_lines(self) -> list[str]:
        """The plan, one line each: this search, then one probe a round for comparison."""
        gb = self.size_bytes / 2**30
        per_round = "up to " if self.adaptive else ""
        lines = [
            f"Plan: {self.rounds} round(s) x {per_round}{self.probes_per_round} probe(s) = at "
            f"most {self.restores} probe restores, ${self.cost:,.2f}, "
            f"{_took(self.duration_seconds)}"
        ]
        if self.reason:
            lines.append(f"  chosen: {self.reason}")
        if self.sequential is not None and self.probes_per_round != 1:
            rounds, probes = self.sequential
            lines.append(
                f"  vs --parallel 1: {rounds} round(s) x 1 probe = {probes} probe restores, "
                f"${probes * restore_cost(self.size_bytes):,.2f}, "
                f"{_took(rounds * self.restore_seconds)}"
            )
        lines.append(
            f"  a probe restore: {gb:.3f} GB x $0.15/GB, {_took(self.restore_seconds)} "
            f"({self.basis})"
        )
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "size_bytes": self.size_bytes,
            "rounds": self.rounds,
            "probes_per_round": self.probes_per_round,
            "restores": self.restores,
            "cost_usd": round(self.cost, 4),
            "duration_seconds": round(self.duration_seconds),
            "duration_basis": self.basis,
            "chosen_by": self.reason,
        }


def _took(seconds: float) -> str:
    minutes = seconds / 60
    return f"about {minutes:.0f} min" if minutes >= 1 else f"about {seconds:.0f} s"
