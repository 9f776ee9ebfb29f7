"""Fault rules for ``sandbox serve --faults SPEC``: what to inject, into which operations, when.

SPEC is rules separated by ``;``. A rule is ``KIND[@OPERATIONS][,OPTION=VALUE...]``:

    throttle@DescribeTable,rate=0.5         half of DescribeTable calls: ThrottlingException
    5xx@Scan+Query,after=3,count=2          the 4th and 5th Scan/Query: 500 InternalServerError
    latency@PutItem,ms=2000,after=30        every PutItem after the 30th answers 2 s late
    drop,rate=0.05                          5% of all requests: connection closed, no answer
    down,from=10s,for=2m                    from 10 s after the spec is set, for 2 minutes,
                                            every connection is closed at once (endpoint down)
    expired,until=1m                        the first minute: ExpiredTokenException
    limit@DescribeContinuousBackups,rps=10  beyond 10 calls a second: ThrottlingException

KINDS are throttle, 5xx, latency, drop, down, expired and limit. OPERATIONS is ``*`` (the
default) or operation names joined by ``+``. Options: ``rate`` (0-1, the share of matching
calls hit, drawn from a seeded generator), ``from``/``until``/``for`` (durations such as 90s,
2m, 1h30m, measured from when the spec was set), ``after`` (let the first N matching calls
through), ``count`` (hit at most N calls), ``ms`` (latency only), ``rps`` (limit only),
``seed``. A call is checked against the rules in order; the first that hits decides, except that
latency adds to whatever follows.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

KINDS = ("throttle", "5xx", "latency", "drop", "down", "expired", "limit")
_OPTIONS = {"rate", "from", "until", "for", "after", "count", "ms", "rps", "seed"}
_DURATION = re.compile(r"^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m)?(?:(\d+(?:\.\d+)?)s)?$")
_OPERATION = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,127}$")
_MAX_SECONDS = 7 * 24 * 3600.0


class FaultSpecError(ValueError):
    """A SPEC that cannot be used; the message is one sentence saying what is accepted."""


@dataclass(frozen=True)
class FaultRule:
    kind: str
    operations: frozenset[str] = frozenset()  # empty: every operation
    rate: float = 1.0
    start: float = 0.0  # seconds after the spec was set
    end: float | None = None
    after: int = 0
    count: int | None = None
    ms: float = 0.0
    rps: float = 0.0
    seed: int = 0

    def covers(self, operation: str) -> bool:
        return not self.operations or operation in self.operations

    def describe(self) -> str:
        ops = "+".join(sorted(self.operations)) or "*"
        return f"{self.kind}@{ops}"


@dataclass(frozen=True)
class Decision:
    """What to do to one call: an error or a dropped connection (``fault``), and a delay."""

    fault: str | None = None  # throttle | 5xx | drop | down | expired | limit
    delay_seconds: float = 0.0
    rule: str = ""


def parse_spec(spec: str) -> tuple[FaultRule, ...]:
    """The rules of ``spec`` (empty or blank: none). Raises FaultSpecError."""
    return tuple(_parse_rule(part.strip()) for part in spec.split(";") if part.strip())


def _parse_rule(text: str) -> FaultRule:
    head, *options = (piece.strip() for piece in text.split(","))
    kind, _, ops = head.partition("@")
    kind = kind.strip().lower()
    if kind not in KINDS:
        raise FaultSpecError(
            f"Unknown fault {kind!r} in {text!r}; the kinds are {', '.join(KINDS)}."
        )
    operations = _parse_operations(ops.strip(), text)
    values: dict[str, str] = {}
    for option in options:
        name, equals, value = option.partition("=")
        name = name.strip().lower()
        if not equals or name not in _OPTIONS:
            raise FaultSpecError(
                f"Bad option {option!r} in {text!r}; options are name=value with a name among "
                f"{', '.join(sorted(_OPTIONS))}."
            )
        values[name] = value.strip()
    rule = FaultRule(
        kind=kind,
        operations=operations,
        rate=_fraction(values.get("rate", "1"), text),
        start=_duration(values.get("from", "0s"), text),
        end=_end(values, text),
        after=_count(values.get("after", "0"), text),
        count=_count(values["count"], text) if "count" in values else None,
        ms=_number(values.get("ms", "0"), "ms", text, 600_000.0),
        rps=_number(values.get("rps", "0"), "rps", text, 100_000.0),
        seed=_count(values.get("seed", "0"), text),
    )
    if kind == "latency" and rule.ms <= 0:
        raise FaultSpecError(f"A latency rule needs ms=N (milliseconds, above 0): {text!r}.")
    if kind == "limit" and rule.rps <= 0:
        raise FaultSpecError(f"A limit rule needs rps=N (calls a second, above 0): {text!r}.")
    if rule.end is not None and rule.end <= rule.start:
        raise FaultSpecError(f"The window of {text!r} ends before it starts.")
    return rule


def _parse_operations(ops: str, text: str) -> frozenset[str]:
    if ops in ("", "*"):
        return frozenset()
    names = [name.strip() for name in ops.split("+")]
    for name in names:
        if not _OPERATION.match(name):
            raise FaultSpecError(
                f"Bad operation {name!r} in {text!r}; name AWS operations such as "
                "DescribeTable, joined by '+', or '*' for all."
            )
    return frozenset(names)


def _end(values: dict[str, str], text: str) -> float | None:
    if "until" in values and "for" in values:
        raise FaultSpecError(f"Give until= or for=, not both: {text!r}.")
    if "until" in values:
        return _duration(values["until"], text)
    if "for" in values:
        return _duration(values.get("from", "0s"), text) + _duration(values["for"], text)
    return None


def _duration(value: str, text: str) -> float:
    match = _DURATION.match(value.strip().lower())
    if not value.strip() or match is None or not any(match.groups()):
        raise FaultSpecError(f"Bad duration {value!r} in {text!r}; use forms like 30s, 2m, 1h30m.")
    hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    total = hours * 3600 + minutes * 60 + seconds
    if total > _MAX_SECONDS:
        raise FaultSpecError(f"Duration {value!r} in {text!r} is over 7 days.")
    return total


def _fraction(value: str, text: str) -> float:
    rate = _number(value, "rate", text, 1.0)
    if rate <= 0:
        raise FaultSpecError(f"rate must be above 0 and at most 1: {text!r}.")
    return rate


def _number(value: str, name: str, text: str, top: float) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not 0 <= number <= top:  # also refuses nan
        raise FaultSpecError(f"{name} must be a number from 0 to {top:g}: {text!r}.")
    return number


def _count(value: str, text: str) -> int:
    if not value.isascii() or not value.isdigit() or len(value) > 9:
        raise FaultSpecError(f"Expected a whole number below 10^9, got {value!r} in {text!r}.")
    return int(value)


@dataclass
class _RuleState:
    seen: int = 0
    hits: int = 0
    calls: list[float] = field(default_factory=list)  # limit: call times in the last second
    rng: random.Random = field(default_factory=random.Random)


class FaultPlan:
    """The rules in force and their counters; thread-safe. ``replace`` installs new rules and
    restarts their clock (the admin endpoint's PUT)."""

    def __init__(self, rules: Sequence[FaultRule] = (), limits: Sequence[FaultRule] = ()) -> None:
        """``limits``: AWS's own request limits (AWS_LIMITS), in force whatever the fault
        rules, which the admin endpoint replaces, say."""
        self._lock = threading.Lock()
        self._monotonic = time.monotonic
        self.limits = tuple(limits)
        self._limit_states = [_RuleState() for _ in self.limits]
        self.limited = frozenset(op for rule in self.limits for op in rule.operations)
        self.replace(rules)

    def replace(self, rules: Sequence[FaultRule]) -> None:
        with self._lock:
            self.rules = tuple(rules)
            self._set_at = self._monotonic()
            self._states = [_RuleState(rng=random.Random(rule.seed)) for rule in self.rules]

    def describe(self) -> list[str]:
        return [rule.describe() for rule in self.rules]

    def decide(self, operation: str) -> Decision:
        with self._lock:
            now = self._monotonic()
            for rule, state in zip(self.limits, self._limit_states, strict=True):
                if rule.covers(operation) and self._hits(rule, state, now):
                    return Decision(rule.kind, 0.0, rule.describe())
            elapsed = now - self._set_at
            delay = 0.0
            for rule, state in zip(self.rules, self._states, strict=True):
                if not rule.covers(operation) or not _in_window(rule, elapsed):
                    continue
                if not self._hits(rule, state, now):
                    continue
                if rule.kind == "latency":
                    delay += rule.ms / 1000.0
                    continue
                return Decision(rule.kind, delay, rule.describe())
            return Decision(None, delay, "")

    @staticmethod
    def _hits(rule: FaultRule, state: _RuleState, now: float) -> bool:
        state.seen += 1
        if rule.kind == "limit":
            state.calls = [t for t in state.calls if now - t < 1.0]
            if len(state.calls) < rule.rps:
                state.calls.append(now)
                return False
            return True
        if state.seen <= rule.after:
            return False
        if rule.count is not None and state.hits >= rule.count:
            return False
        if rule.rate < 1.0 and state.rng.random() >= rule.rate:
            return False
        state.hits += 1
        return True


# What AWS enforces on its own (aws-facts.md): DescribeContinuousBackups, 10 calls a second per
# account and region, answered beyond that with ThrottlingException.
AWS_LIMITS_SPEC = "limit@DescribeContinuousBackups,rps=10"


def _in_window(rule: FaultRule, elapsed: float) -> bool:
    return elapsed >= rule.start and (rule.end is None or elapsed < rule.end)
