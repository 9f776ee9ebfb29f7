"""A rule set checked on items in DynamoDB's wire JSON, as decoded from a Scan page, with the
same violations (rule, message, order) as :meth:`core.rules.RuleSet.check` on the same items
read as plain values.

Each path is followed in the wire form once per item, and only the value found is turned into
a plain one for :meth:`core.rules.Rule.problem_of`, so the rules' meaning lives in one place.
What makes it fast is memoising by what an answer can depend on:

- which rules apply depends only on the values at the ``when`` paths (a device type);
- a rule that only requires its attribute answers the same for every present value, one that
  also checks the type the same for every value of a kind, and any other the same for the same
  scalar wire value (a firmware, a mode); values that do not repeat (ids, timestamps) stop
  being memoised once they have filled the memo.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from lee_console.core.export_verify.wire import plain_value
from lee_console.core.rules import MISSING, Choices, Rule, RuleSet, Violation

_MEMO_LIMIT = 4096
_SCALARS = frozenset({"S", "N", "BOOL", "NULL"})
_SETS = frozenset({"SS", "NS", "BS"})
_NONE: tuple[tuple[int, Violation], ...] = ()
_NO_VIOLATIONS: list[Violation] = []
_CONSTANT, _BY_KIND, _BY_VALUE = 0, 1, 2


def wire_get_path(item: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    """The wire value at ``path`` (map keys; a digit segment indexes a list), or MISSING:
    ``core.rules.get_path`` over the wire form."""
    value: Any = item.get(path[0], MISSING)
    for part in path[1:]:
        if value is MISSING:
            return MISSING
        inner = value.get("M")
        if inner is not None:
            value = inner.get(part, MISSING)
            continue
        inner = value.get("L")
        if inner is not None and part.isdigit() and int(part) < len(inner):
            value = inner[int(part)]
            continue
        return MISSING
    return value


def _depends_on(rule: Rule) -> int:
    if rule.allowed or rule.range is not None or rule.pattern is not None or rule.not_future:
        return _BY_VALUE
    return _BY_KIND if rule.types else _CONSTANT


class _Group:
    """The applicable rules on one path, judged together, memoised by what they depend on."""

    __slots__ = ("depends", "memo", "missing", "path", "rules", "top")

    def __init__(self, path: tuple[str, ...], rules: list[tuple[int, Rule]], now: datetime):
        self.path = path
        self.top = path[0] if len(path) == 1 else None
        self.rules = tuple(rules)
        self.depends = max(_depends_on(rule) for _, rule in rules)
        self.missing = self.judge(MISSING, now)
        self.memo: dict[Any, tuple[tuple[int, Violation], ...]] | None = {}

    def judge(self, value: Any, now: datetime) -> tuple[tuple[int, Violation], ...]:
        found = []
        for index, rule in self.rules:
            problem = rule.problem_of(value, now)
            if problem is not None:
                found.append((index, Violation(rule.name, problem)))
        return tuple(found) if found else _NONE


class WireChecker:
    """``check(item)``: RuleSet.check for a wire item, at a fixed ``now``."""

    def __init__(self, rules: RuleSet, now: datetime) -> None:
        self.rule_set = rules
        self.now = now
        self._rules = rules.rules
        paths: dict[tuple[str, ...], None] = {}
        for rule in rules.rules:
            for path, _ in rule.when:
                paths[path] = None
        self._when_paths = tuple(paths)
        self._conditions = tuple(
            tuple((self._when_paths.index(path), Choices(values)) for path, values in rule.when)
            for rule in rules.rules
        )
        self._plans: dict[Any, tuple[_Group, ...]] = {}
        single = len(self._when_paths) == 1 and len(self._when_paths[0]) == 1
        self._one_when = self._when_paths[0][0] if single else None

    def check(self, item: Mapping[str, Any]) -> list[Violation]:
        """The violations of ``item`` in rule order (an empty list shared by every call)."""
        plan = self._plan(item)
        found: list[tuple[int, Violation]] | None = None
        now = self.now
        for group in plan:
            top = group.top
            value = item.get(top, MISSING) if top is not None else wire_get_path(item, group.path)
            if value is MISSING:
                answers = group.missing
            elif group.depends == _CONSTANT:
                answers = _NONE
            else:
                memo = group.memo
                key: Any = None
                if memo is not None and len(value) == 1:
                    ((kind, data),) = value.items()
                    if kind in _SCALARS:
                        key = (kind, data) if group.depends == _BY_VALUE else kind
                    elif group.depends == _BY_KIND:  # a set: its kind, or SS when empty
                        key = (kind, bool(data)) if kind in _SETS else kind
                cached = memo.get(key) if key is not None and memo is not None else None
                if cached is None:
                    cached = group.judge(plain_value(value), now)
                    if key is not None:
                        _remember(group, key, cached)
                answers = cached
            if answers:
                if found is None:
                    found = []
                found.extend(answers)
        if found is None:
            return _NO_VIOLATIONS
        found.sort(key=lambda pair: pair[0])
        return [violation for _, violation in found]

    def _plan(self, item: Mapping[str, Any]) -> tuple[_Group, ...]:
        if self._one_when is not None:  # the usual shape: every when on one attribute
            value = item.get(self._one_when, MISSING)
            signature = _when_key(value)
            values = [value]
        else:
            values = [wire_get_path(item, path) for path in self._when_paths]
            keys = tuple(_when_key(value) for value in values)
            signature = None if None in keys else keys
        if signature is None:  # a map or list at a when path: not memoised
            return self._build(values)
        plan = self._plans.get(signature)
        if plan is None:
            plan = self._build(values)
            if len(self._plans) < _MEMO_LIMIT:
                self._plans[signature] = plan
        return plan

    def _build(self, values: list[Any]) -> tuple[_Group, ...]:
        plain = [v if v is MISSING else plain_value(v) for v in values]
        by_path: dict[tuple[str, ...], list[tuple[int, Rule]]] = {}
        for index, rule in enumerate(self._rules):
            if all(
                plain[at] is not MISSING and accepted.contains(plain[at])
                for at, accepted in self._conditions[index]
            ):
                by_path.setdefault(rule.attribute, []).append((index, rule))
        return tuple(self._group(path, rules) for path, rules in by_path.items())

    def _group(self, path: tuple[str, ...], rules: list[tuple[int, Rule]]) -> _Group:
        # Groups are shared by every plan that applies the same rules on the same path.
        key = (path, tuple(index for index, _ in rules))
        groups: dict[Any, _Group] = self.__dict__.setdefault("_groups", {})
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(path, rules, self.now)
        return group


def _remember(group: _Group, key: Any, answers: tuple[tuple[int, Violation], ...]) -> None:
    memo = group.memo
    if memo is None:
        return
    if len(memo) >= _MEMO_LIMIT:
        group.memo = None  # the values do not repeat: judging each is cheaper than a memo
    else:
        memo[key] = answers


def _when_key(value: Any) -> Any:
    if value is MISSING:
        return ("",)
    if type(value) is not dict:
        return None
    if len(value) == 1:
        for kind, data in value.items():
            if kind in _SCALARS:
                return (kind, data)
    return None


__all__ = ["WireChecker", "wire_get_path"]
