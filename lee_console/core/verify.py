"""Verification of a (restored) table: its items against the integrity rules, its schema
against the live table's, and the diff between them; the report and its journal summary.

Pure: the aws layer (``lee_console.aws.verify``) streams the items in; this module counts.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from lee_console.core.diff import DEFAULT_SAMPLE, DiffReport, Key, jsonable, key_dict
from lee_console.core.errors import InvalidInput
from lee_console.core.rules import RuleSet, Violation
from lee_console.core.timeparse import format_utc


@dataclass(frozen=True)
class IndexShape:
    kind: str  # "GSI" or "LSI"
    name: str
    key: tuple[tuple[str, str], ...]  # (attribute, HASH|RANGE)
    projection: str  # ALL, KEYS_ONLY, INCLUDE
    non_key: tuple[str, ...] = ()

    def render(self) -> str:
        keys = ", ".join(f"{a} {t}" for a, t in self.key)
        extra = f" {list(self.non_key)}" if self.non_key else ""
        return f"({keys}) projection {self.projection}{extra}"


@dataclass(frozen=True)
class TableShape:
    """What verification compares of two tables' schemas."""

    name: str
    key: tuple[tuple[str, str, str], ...]  # (attribute, HASH|RANGE, S|N|B)
    indexes: tuple[IndexShape, ...] = ()

    @property
    def key_names(self) -> tuple[str, ...]:
        return tuple(name for name, _, _ in self.key)


def table_shape(description: Mapping[str, Any]) -> TableShape:
    """From DescribeTable's ``Table``."""
    types = {
        a["AttributeName"]: a["AttributeType"] for a in description.get("AttributeDefinitions", [])
    }
    order = {"HASH": 0, "RANGE": 1}
    key_schema = sorted(description.get("KeySchema", []), key=lambda k: order.get(k["KeyType"], 2))
    key = tuple(
        (k["AttributeName"], k["KeyType"], types.get(k["AttributeName"], "?")) for k in key_schema
    )
    indexes = []
    for kind, field in (("GSI", "GlobalSecondaryIndexes"), ("LSI", "LocalSecondaryIndexes")):
        for index in description.get(field) or []:
            projection = index.get("Projection", {})
            indexes.append(
                IndexShape(
                    kind=kind,
                    name=index["IndexName"],
                    key=tuple(
                        (k["AttributeName"], k["KeyType"])
                        for k in sorted(
                            index["KeySchema"], key=lambda k: order.get(k["KeyType"], 2)
                        )
                    ),
                    projection=projection.get("ProjectionType", "ALL"),
                    non_key=tuple(sorted(projection.get("NonKeyAttributes", []))),
                )
            )
    return TableShape(
        name=str(description.get("TableName", "")),
        key=key,
        indexes=tuple(sorted(indexes, key=lambda i: (i.kind, i.name))),
    )


def schema_differences(table: TableShape, against: TableShape) -> list[str]:
    """One sentence per difference in key schema, GSIs and LSIs; empty when equal."""
    differences: list[str] = []
    if table.key != against.key:
        differences.append(
            f"key schema differs: {_key(table)} in {table.name}, {_key(against)} in {against.name}"
        )
    mine = {(i.kind, i.name): i for i in table.indexes}
    theirs = {(i.kind, i.name): i for i in against.indexes}
    for kind, name in sorted(set(mine) | set(theirs)):
        a, b = mine.get((kind, name)), theirs.get((kind, name))
        if a is None:
            differences.append(f"{kind} {name} is missing from {table.name}")
        elif b is None:
            differences.append(f"{kind} {name} is in {table.name} but not in {against.name}")
        elif a != b:
            differences.append(
                f"{kind} {name} differs: {a.render()} in {table.name}, "
                f"{b.render()} in {against.name}"
            )
    return differences


def _key(shape: TableShape) -> str:
    return "(" + ", ".join(f"{a} {t} {ty}" for a, t, ty in shape.key) + ")"


@dataclass(frozen=True)
class RuleCount:
    rule: str
    count: int  # items that break the rule
    sample_keys: tuple[Key, ...]  # the smallest few, sorted
    example: str  # the first violation message seen


@dataclass(frozen=True)
class TableCheck:
    """One table's items against its rule set."""

    table: str
    key_names: tuple[str, ...]
    items: int
    violating_items: int
    rules: tuple[RuleCount, ...]  # rules with at least one violation, in rule-set order
    rule_set: str  # the rule set's table name ("lee-devices"), "" when none
    rules_source: str  # where the rule set came from

    @property
    def passed(self) -> bool:
        return self.violating_items == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "items": self.items,
            "violating_items": self.violating_items,
            "passed": self.passed,
            "rule_set": self.rule_set or None,
            "rules_source": self.rules_source,
            "violations": [
                {
                    "rule": count.rule,
                    "items": count.count,
                    "example": count.example,
                    "sample_keys": [
                        jsonable(key_dict(k, self.key_names)) for k in count.sample_keys
                    ],
                }
                for count in self.rules
            ],
        }


class ViolationTally:
    """Counts one table's violations per rule as its items stream past."""

    def __init__(
        self, table: str, key_names: Sequence[str], rules: RuleSet, sample: int = DEFAULT_SAMPLE
    ) -> None:
        self.table = table
        self.key_names = tuple(key_names)
        self.rule_set = rules
        self.sample = sample
        self.items = 0
        self.violating_items = 0
        self._counts: dict[str, int] = {}
        self._samples: dict[str, list[Key]] = {}
        self._examples: dict[str, str] = {}

    def add(self, key: Key, violations: Sequence[Violation]) -> None:
        self.items += 1
        if not violations:
            return
        self.violating_items += 1
        for violation in violations:
            name = violation.rule
            self._counts[name] = self._counts.get(name, 0) + 1
            self._examples.setdefault(name, violation.message)
            keys = self._samples.setdefault(name, [])
            keys.append(key)
            if len(keys) > 4 * self.sample:
                self._samples[name] = heapq.nsmallest(self.sample, keys, key=_order)

    def finish(self) -> TableCheck:
        counts = tuple(
            RuleCount(
                rule=name,
                count=self._counts[name],
                sample_keys=tuple(heapq.nsmallest(self.sample, self._samples[name], key=_order)),
                example=self._examples[name],
            )
            for name in self.rule_set.names
            if name in self._counts
        )
        return TableCheck(
            table=self.table,
            key_names=self.key_names,
            items=self.items,
            violating_items=self.violating_items,
            rules=counts,
            rule_set="" if self.rule_set.empty else self.rule_set.table,
            rules_source=self.rule_set.source,
        )


@dataclass(frozen=True)
class VerifyReport:
    """``checked`` is TABLE (usually the restored one); ``against`` the live table, if given.
    Passed: no item of TABLE breaks a rule and, with ``against``, the schemas are equal.
    The live table's own violations and the diff are evidence, not part of the verdict."""

    checked: TableCheck
    against: TableCheck | None
    schema_differences: tuple[str, ...] | None  # None without --against
    diff: DiffReport | None
    verified_at: datetime

    @property
    def passed(self) -> bool:
        return self.checked.passed and not self.schema_differences

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.checked.table,
            "against": self.against.table if self.against else None,
            "passed": self.passed,
            "verified_at": format_utc(self.verified_at),
            "rule_set": self.checked.rule_set or None,
            "rules_source": self.checked.rules_source,
            "counts": self.counts(),
            "checked": self.checked.to_json(),
            "against_check": self.against.to_json() if self.against else None,
            "schema": None
            if self.schema_differences is None
            else {
                "equal": not self.schema_differences,
                "differences": list(self.schema_differences),
            },
            "diff": self.diff.to_json() if self.diff else None,
        }

    def counts(self) -> dict[str, int]:
        counts = {self.checked.table: self.checked.items}
        if self.against is not None:
            counts[self.against.table] = self.against.items
        return counts

    def journal_data(self) -> dict[str, Any]:
        """The fields of the Kind.VERIFIED journal event."""
        return {
            "table": self.checked.table,
            "against": self.against.table if self.against else None,
            "passed": self.passed,
            "rule_set": self.checked.rule_set or None,
            "rules_source": self.checked.rules_source,
            "counts": self.counts(),
            "violations": {
                "items": self.checked.violating_items,
                "by_rule": {c.rule: c.count for c in self.checked.rules},
                "against_items": self.against.violating_items if self.against else None,
            },
            "schema_differences": None
            if self.schema_differences is None
            else list(self.schema_differences),
            "diff": self.diff.counts() if self.diff else None,
        }


def _order(key: Key) -> tuple[str, ...]:
    return tuple(str(part) for part in key)


_KEY_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "S": (str, "text"),
    "N": ((int, Decimal), "a number"),
    "B": (str, "base64 text"),
}


def check_key_types(shape: TableShape, key: Mapping[str, Any]) -> None:
    """Each attribute of ``key`` has the type the table's key schema declares: a number for a
    string key names no item, and saying "in neither table" would mislead."""
    for name, _, kind in shape.key:
        expected, words = _KEY_TYPES.get(kind, (object, kind))  # unknown kind: anything
        value = key.get(name)
        if isinstance(value, bool) or not isinstance(value, expected):
            raise InvalidInput(
                f"The key attribute {name} of {shape.name} is {words} ({kind}); got "
                f"{json.dumps(value, default=str)}."
            )
