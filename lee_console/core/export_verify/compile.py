"""A rule set compiled to one SQL predicate per rule over an item's DynamoDB JSON.

Every attribute path the rules read becomes one column (``p0``, ``p1``...: the typed JSON value,
``{"N": "250"}``, or NULL when absent), computed once per item; each rule's predicate reads
those columns. The predicate is TRUE when the item breaks the rule, FALSE when it does not, and
NULL when SQL cannot decide as :mod:`lee_console.core.rules` does (see the package docstring).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lee_console.core.export_verify.dialect import Dialect, literal
from lee_console.core.export_verify.regex import Untranslatable, translate
from lee_console.core.rules import Rule, RuleSet

# The one timestamp shape decided in SQL: ISO-8601 UTC to the second, year 0001-9999.
_ISO_SECOND = (
    "^(?:[0-9]{3}[1-9]|[0-9]{2}[1-9][0-9]|[0-9][1-9][0-9]{2}|[1-9][0-9]{3})"
    "-(?:0[1-9]|1[0-2])-(?:[0-2][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$"
)
_EPOCH_TEXT = "^[0-9]{1,15}(?:[.][0-9]{1,6})?$"  # epoch seconds or ms as text, exact in a DOUBLE
_EPOCH_MS_ABOVE = 100_000_000_000
_EPOCH_LOW, _EPOCH_HIGH = -62_135_596_000, 253_402_300_000  # inside datetime's years 1..9999


@dataclass(frozen=True)
class CompiledRule:
    name: str
    predicate: str  # TRUE: the item breaks the rule; FALSE: it does not; NULL: undecided
    exact: bool  # False when some items may be left undecided (to Python)


@dataclass(frozen=True)
class CompiledRules:
    """``columns``: ``(alias, SQL)`` per attribute path; ``rules`` in rule-set order;
    ``members``: per column, its JSON path literal when the path is object members only
    (``'$."state"."M"."power"'``: the columns a query may read in one multi-path
    ``json_extract``, one parse of the item for all of them), else None."""

    columns: tuple[tuple[str, str], ...]
    rules: tuple[CompiledRule, ...]
    members: tuple[str | None, ...] = ()

    @property
    def exact(self) -> bool:
        return all(rule.exact for rule in self.rules)


def compile_rules(
    rules: RuleSet, now: datetime, dialect: Dialect, item: str = "Item"
) -> CompiledRules:
    """Compile ``rules`` as checked at ``now`` (what not_future compares with), reading the
    item's DynamoDB JSON from column ``item``."""
    paths: dict[tuple[str, ...], str] = {}

    def column(path: tuple[str, ...]) -> str:
        if path not in paths:
            paths[path] = f"p{len(paths)}"
        return paths[path]

    compiled = tuple(_compile_rule(rule, now, dialect, column) for rule in rules.rules)
    columns = tuple((alias, path_sql(path, dialect, item)) for path, alias in paths.items())
    members = tuple(member_path(path, dialect) for path in paths)
    return CompiledRules(columns, compiled, members)


def member_path(path: tuple[str, ...], dialect: Dialect) -> str | None:
    """The JSON path literal :func:`path_sql` reads when ``path`` has no list index (maps by
    name only), else None."""
    if any(part.isascii() and part.isdigit() for part in path[1:]):
        return None
    names = [path[0]]
    for part in path[1:]:
        names += ["M", part]
    return dialect.path(names)


def path_sql(path: tuple[str, ...], dialect: Dialect, item: str = "Item") -> str:
    """The typed JSON value at ``path`` (maps by name, lists by a digit segment), as
    :func:`lee_console.core.rules.get_path` reads it; NULL when absent."""
    expression, names = item, [path[0]]
    for part in path[1:]:
        if part.isascii() and part.isdigit():
            expression = (
                f"json_extract({expression}, {dialect.path(names)})" if names else expression
            )
            names = []
            in_map = dialect.member(dialect.member(expression, "M"), part)
            in_list = dialect.element(dialect.member(expression, "L"), int(part))
            expression = f"coalesce({in_map}, {in_list})"
        else:
            names += ["M", part]
    if names:
        expression = f"json_extract({expression}, {dialect.path(names)})"
    return expression


def _compile_rule(rule: Rule, now: datetime, dialect: Dialect, column: Any) -> CompiledRule:
    value = column(rule.attribute)
    applies = " AND ".join(
        f"({column(path)} IS NOT NULL AND {_contains(column(path), values, dialect)})"
        for path, values in rule.when
    )
    checks: list[str] = []
    exact = True
    if rule.types:
        present = " OR ".join(_has(value, kind, dialect) for kind in rule.types)
        checks.append(f"NOT ({present})")
    if rule.allowed:
        checks.append(f"NOT {_contains(value, rule.allowed, dialect)}")
    if rule.range is not None:
        checks.append(_outside(value, rule.range, dialect))
    if rule.pattern is not None:
        text = dialect.scalar(value, "S")
        try:
            regex = translate(rule.pattern.pattern, athena=dialect.athena)
            checks.append(f"NOT coalesce({dialect.matches(text, regex)}, FALSE)")
        except Untranslatable:
            if dialect.athena:  # best effort: Java's regular expressions are close to Python's
                checks.append(f"NOT coalesce({dialect.matches(text, rule.pattern.pattern)}, FALSE)")
            else:
                checks.append(f"(CASE WHEN {text} IS NULL THEN TRUE END)")
            exact = False
    if rule.not_future:
        checks.append(_future(value, now, dialect))
        exact = False
    present_check = " OR ".join(f"({c})" for c in checks) if checks else "FALSE"
    predicate = (
        f"CASE WHEN {value} IS NULL THEN {'TRUE' if rule.required else 'FALSE'} "
        f"ELSE ({present_check}) END"
    )
    if applies:
        predicate = f"CASE WHEN coalesce({applies}, FALSE) THEN {predicate} ELSE FALSE END"
    return CompiledRule(rule.name, predicate, exact)


def _has(value: str, kind: str, dialect: Dialect) -> str:
    return f"{dialect.member(value, kind)} IS NOT NULL"


def _number(value: str, dialect: Dialect) -> str:
    return f"TRY_CAST({dialect.scalar(value, 'N')} AS DOUBLE)"


def _contains(value: str, accepted: Iterable[Any], dialect: Dialect) -> str:
    """Choices.contains: strings exactly, booleans apart from numbers, numbers as floats."""
    strings = [v for v in accepted if type(v) is str]
    booleans = sorted({v for v in accepted if isinstance(v, bool)})
    numbers: list[float] = []
    for v in accepted:
        if isinstance(v, int | float) and not isinstance(v, bool):
            try:
                number = float(v)
            except OverflowError:
                continue
            if number == number:  # NaN never matches
                numbers.append(number)
    parts = []
    if strings:
        parts.append(f"{dialect.scalar(value, 'S')} IN ({', '.join(literal(s) for s in strings)})")
    if booleans:
        shown = ", ".join(literal("true" if b else "false") for b in booleans)
        parts.append(f"{dialect.scalar(value, 'BOOL')} IN ({shown})")
    if numbers:
        shown = ", ".join(dialect.double(n) for n in numbers)
        parts.append(f"{_number(value, dialect)} IN ({shown})")
    if not parts:
        return "FALSE"
    return f"coalesce({' OR '.join(parts)}, FALSE)"


def _outside(value: str, bounds: tuple[float, float], dialect: Dialect) -> str:
    low, high = bounds
    number = _number(value, dialect)
    inside = []
    if low != float("-inf"):
        inside.append(f"{number} >= {dialect.double(low)}")
    if high != float("inf"):
        inside.append(f"{number} <= {dialect.double(high)}")
    if not inside:
        return f"{number} IS NULL"
    return f"NOT coalesce({' AND '.join(inside)}, FALSE)"


def _future(value: str, now: datetime, dialect: Dialect) -> str:
    """not_future: TRUE after ``now`` or not a timestamp; NULL for the shapes left to Python."""
    text = dialect.scalar(value, "S")
    second = (now - timedelta(microseconds=now.microsecond)).strftime("%Y-%m-%dT%H:%M:%SZ")
    shape = dialect.matches(text, _ISO_SECOND)
    date = dialect.valid_date(f"substr({text}, 1, 10)")
    return (
        f"CASE WHEN {text} IS NOT NULL THEN (CASE WHEN {shape} THEN "
        f"(CASE WHEN {date} THEN {text} > {literal(second)} ELSE TRUE END) "
        f"WHEN {dialect.matches(text, _EPOCH_TEXT)} THEN "
        f"{_epoch_future(f'TRY_CAST({text} AS DOUBLE)', now, dialect)} END) "
        f"WHEN {_number(value, dialect)} IS NOT NULL THEN "
        f"{_epoch_future(_number(value, dialect), now, dialect)} "
        "ELSE TRUE END"
    )


def _epoch_future(number: str, now: datetime, dialect: Dialect) -> str:
    """Epoch seconds (milliseconds above 1e11) after ``now``; NULL outside years 1..9999."""
    seconds = f"(CASE WHEN {number} > {_EPOCH_MS_ABOVE} THEN {number} / 1000 ELSE {number} END)"
    return (
        f"(CASE WHEN {seconds} BETWEEN {_EPOCH_LOW} AND {_EPOCH_HIGH} THEN "
        f"{seconds} > {dialect.double(now.timestamp())} END)"
    )
