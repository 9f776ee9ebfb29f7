"""Integrity rules: what a healthy item of a table looks like, and the check of one item.

Items are plain Python values as read from DynamoDB (boto3's TypeDeserializer form): ``str``
(S), ``Decimal``/``int``/``float`` (N), ``bytes`` (B), ``bool`` (BOOL), ``None`` (NULL),
``dict`` (M), ``list`` (L), ``set`` of str/number/bytes (SS/NS/BS).

A :class:`Rule` names one attribute (a dotted path into maps, e.g. ``state.brightness``), an
optional condition (``when``: other attributes' values, all must match for the rule to apply)
and the checks on it. An absent attribute breaks only ``required``; every other check applies
to a present value, including ``NULL``. A rule reports at most one :class:`Violation` per item
(its first failing check, in the order required, type, allowed, range, pattern, not_future).

Rule sets come from TOML (:mod:`lee_console.core.rules_parse`, read from disk by
``lee_console.store.rules_file``)::

    [[lee-devices.rule]]
    attribute = "state.brightness"
    when = { device_type = "light" }
    required = true
    type = "N"
    range = [0, 100]

The public API used by verify, repair and find-good: :meth:`RuleSet.check`,
:meth:`RuleSet.passes`, :class:`Violation`, :func:`get_path`, :func:`dynamodb_type`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

TYPES: tuple[str, ...] = ("S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS")
MISSING: Any = object()  # get_path's answer for an absent attribute
_EPOCH_MS_ABOVE = 100_000_000_000  # an epoch number above this is in milliseconds


# What verify compares not_future with: its start plus this. The application goes on writing
# while a live table is scanned: an item written a second after the start is not "in the
# future" (nor one from a server whose clock runs a little ahead). aws/verify.py and the
# export way (aws/export_verify_run.py) both use it, so their verdicts agree.
NOT_FUTURE_ALLOWANCE = timedelta(minutes=15)


@dataclass(frozen=True)
class Rule:
    """One attribute's checks; ``name`` is what violations are counted under."""

    name: str
    attribute: tuple[str, ...]  # the path: ("state", "brightness")
    when: tuple[tuple[tuple[str, ...], tuple[Any, ...]], ...] = ()  # (path, accepted values)
    required: bool = False
    types: tuple[str, ...] = ()
    allowed: tuple[Any, ...] = ()
    range: tuple[float, float] | None = None
    pattern: re.Pattern[str] | None = None
    not_future: bool = False
    line: int = 0  # where the rule starts in its file (0: unknown)

    @property
    def path(self) -> str:
        return ".".join(self.attribute)

    _when_sets: tuple[tuple[tuple[str, ...], Choices], ...] = field(
        init=False, repr=False, compare=False
    )
    _allowed_set: Choices = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        whens = tuple((path, Choices(values)) for path, values in self.when)
        object.__setattr__(self, "_when_sets", whens)
        object.__setattr__(self, "_allowed_set", Choices(self.allowed))

    def applies_to(self, item: Mapping[str, Any]) -> bool:
        for path, accepted in self._when_sets:
            value = get_path(item, path)
            if value is MISSING or not accepted.contains(value):
                return False
        return True

    def problem(self, item: Mapping[str, Any], now: datetime) -> str | None:
        """Why ``item`` breaks this rule (one short phrase), or None. Ignores ``when``."""
        return self.problem_of(get_path(item, self.attribute), now)

    def problem_of(self, value: Any, now: datetime) -> str | None:
        """:meth:`problem` given the value at the rule's path (MISSING when absent)."""
        if value is MISSING:
            return f"{self.path} missing" if self.required else None
        if self.types and dynamodb_type(value) not in self.types:
            return f"{self.path} is {dynamodb_type(value)}, expected {'|'.join(self.types)}"
        if self.allowed and not self._allowed_set.contains(value):
            return f"{self.path} {describe_value(value)} not one of {_listing(self.allowed)}"
        if self.range is not None:
            low, high = self.range
            number = as_number(value)
            if number is None or not low <= number <= high:
                shown = describe_value(value)
                return f"{self.path} {shown} outside {_number(low)}..{_number(high)}"
        if self.pattern is not None and not (isinstance(value, str) and self.pattern.search(value)):
            return f"{self.path} {describe_value(value)} does not match /{self.pattern.pattern}/"
        if self.not_future:
            moment = as_timestamp(value)
            if moment is None:
                return f"{self.path} {describe_value(value)} is not a timestamp"
            if moment > now:
                return f"{self.path} {describe_value(value)} is in the future"
        return None


class Choices:
    """Accepted values: a set lookup for strings (the common case), :func:`same_value` for
    the rest (so that True never matches 1 and Decimal("5") matches 5)."""

    __slots__ = ("others", "strings")

    def __init__(self, values: tuple[Any, ...]) -> None:
        self.strings = frozenset(v for v in values if type(v) is str)
        self.others = tuple(v for v in values if type(v) is not str)

    def contains(self, value: Any) -> bool:
        if type(value) is str:
            return value in self.strings
        return any(same_value(value, other) for other in self.others)


@dataclass(frozen=True)
class Violation:
    rule: str  # Rule.name
    message: str  # e.g. "state.brightness 250 outside 0..100"


@dataclass(frozen=True)
class RuleSet:
    """The rules of one table. ``table`` is the rule set's own name (e.g. ``lee-devices``),
    which may differ from the table checked (``lee-devices-restored-...``); ``source`` says
    where it came from, for output ("shipped rules lee-devices.toml", "rules.toml")."""

    table: str
    rules: tuple[Rule, ...]
    source: str = ""
    description: str = ""
    names: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(rule.name for rule in self.rules))

    def check(self, item: Mapping[str, Any], now: datetime | None = None) -> list[Violation]:
        """Every rule ``item`` breaks, in rule order; empty when it is healthy.
        ``now`` (default: the current time) is what ``not_future`` compares with."""
        moment = now or datetime.now(UTC)
        violations: list[Violation] = []
        for rule in self.rules:
            if not rule.applies_to(item):
                continue
            problem = rule.problem(item, moment)
            if problem is not None:
                violations.append(Violation(rule.name, problem))
        return violations

    def passes(self, item: Mapping[str, Any], now: datetime | None = None) -> bool:
        moment = now or datetime.now(UTC)
        return all(
            not rule.applies_to(item) or rule.problem(item, moment) is None for rule in self.rules
        )

    @property
    def empty(self) -> bool:
        return not self.rules


def no_rules(table: str, source: str = "no rules") -> RuleSet:
    """A rule set that every item passes (a table with no rules file)."""
    return RuleSet(table=table, rules=(), source=source)


def get_path(item: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The value at ``path`` (map keys; a digit segment indexes a list), or MISSING."""
    value: Any = item
    for part in path:
        if type(value) is dict or isinstance(value, Mapping):
            if part not in value:
                return MISSING
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


def dynamodb_type(value: Any) -> str:
    """The DynamoDB type of a plain value: S, N, B, BOOL, NULL, M, L, SS, NS, BS."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "BOOL"
    if isinstance(value, str):
        return "S"
    if isinstance(value, int | float | Decimal):
        return "N"
    if isinstance(value, bytes | bytearray):
        return "B"
    if isinstance(value, Mapping):
        return "M"
    if isinstance(value, list | tuple):
        return "L"
    if isinstance(value, set | frozenset):
        member = next(iter(value), "")
        return {"S": "SS", "N": "NS", "B": "BS"}.get(dynamodb_type(member), "SS")
    return type(value).__name__


def as_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    number = float(value)
    return None if math.isnan(number) else number


def same_value(value: Any, expected: Any) -> bool:
    """Equality that keeps booleans apart from numbers (True is not 1 here)."""
    if isinstance(value, bool) or isinstance(expected, bool):
        return isinstance(value, bool) and isinstance(expected, bool) and value == expected
    number, wanted = as_number(value), as_number(expected)
    if number is not None or wanted is not None:
        return number is not None and number == wanted
    return bool(value == expected)


def as_timestamp(value: Any) -> datetime | None:
    """An ISO-8601 string (no zone: UTC) or epoch seconds (a number or a string of digits;
    above 1e11: milliseconds) as an aware datetime; None when it is neither."""
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"\d+(\.\d+)?", text):
            try:
                return _from_epoch(Decimal(text))
            except InvalidOperation:
                return None
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    number = as_number(value)
    return None if number is None else _from_epoch(Decimal(str(number)))


def _from_epoch(seconds: Decimal) -> datetime | None:
    if seconds > _EPOCH_MS_ABOVE:
        seconds = seconds / 1000
    try:
        return datetime.fromtimestamp(float(seconds), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def describe_value(value: Any) -> str:
    """A short, JSON-like rendering of a value for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        text = value if len(value) <= 40 else value[:37] + "..."
        return f'"{text}"'
    if isinstance(value, int | float | Decimal):
        return _number(value)
    if isinstance(value, Mapping):
        return "{}" if not value else "{...}"
    if isinstance(value, list | tuple):
        return "[]" if not value else "[...]"
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    return repr(value)


def _number(value: float | int | Decimal) -> str:
    if isinstance(value, float) and math.isinf(value):
        return "inf" if value > 0 else "-inf"
    number = Decimal(str(value))
    text = format(number.normalize(), "f") if number == number.to_integral() else str(number)
    return text


def _listing(values: tuple[Any, ...]) -> str:
    shown = [describe_value(v) for v in values[:8]]
    return "{" + ", ".join(shown) + (", ..." if len(values) > 8 else "") + "}"
