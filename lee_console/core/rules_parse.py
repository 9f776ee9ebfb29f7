"""Rules files (TOML) parsed into rule sets, with errors that name the file's line.

A file holds rule sets for one or more tables, each an array of ``rule`` tables::

    [lee-devices]
    description = "what a healthy device item looks like"   # optional

    [[lee-devices.rule]]
    attribute = "device_type"        # a dotted path into maps: "state.brightness"
    required = true                  # the attribute must be present
    type = "S"                       # or a list: ["N", "S"]; S N B BOOL NULL M L SS NS BS
    allowed = ["light", "plug"]      # the value must be one of these
    # range = [0, 100]               # a number within [low, high] (inf allowed)
    # pattern = '^\\d{4}-'           # a string matching this regular expression (re.search)
    # not_future = true              # a timestamp (ISO-8601 or epoch) not after now
    # when = { device_type = "light" }   # apply only to items where these values match
    # name = "light brightness"      # what violations are counted under (default: the path)

Every error is a :class:`RulesError` whose message reads ``FILE:LINE: problem``. TOML syntax
errors take tomllib's line; for the rest, the line of the offending key inside its
``[[TABLE.rule]]`` block (found by scanning the text for the headers), else the header's line.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from lee_console.core.errors import InvalidInput
from lee_console.core.rules import TYPES, Rule, RuleSet

RULE_KEYS = (
    "name", "attribute", "when", "required", "type", "allowed", "range", "pattern",
    "not_future", "description",
)  # fmt: skip
_CHECKS = ("required", "type", "allowed", "range", "pattern", "not_future")
_TABLE_KEYS = ("rule", "description")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")


class RulesError(InvalidInput):
    """A rules file that cannot be used; ``message`` is ``FILE:LINE: problem``."""

    def __init__(self, source: str, line: int, problem: str) -> None:
        where = f"{source}:{line}" if line else source
        super().__init__(_one_line(f"{where}: {problem}"))
        self.source = source
        self.line = line
        self.problem = problem


def _one_line(text: str) -> str:
    """A name from the file may hold a newline or another control character: escaped, so the
    message stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def parse_rules(text: str, source: str) -> dict[str, RuleSet]:
    """Every table's rule set in a rules file's ``text``; ``source`` names the file in
    messages and in each RuleSet. Raises RulesError."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(source, text, str(error)) from None
    except RecursionError:  # tomllib recurses once per level of nesting
        raise RulesError(
            source, 0, "nested too deep to be a rules file; see `[[TABLE.rule]]` in the docs"
        ) from None
    lines = _Lines(text)
    if not document:
        raise RulesError(source, 0, "no rules in the file; see `[[TABLE.rule]]` in the docs")
    return {table: _parse_table(table, body, lines, source) for table, body in document.items()}


def select_rule_set(table: str, rule_sets: Mapping[str, RuleSet]) -> RuleSet | None:
    """The rule set for ``table``: its own name, else the longest name that ``table`` starts
    with followed by ``-`` (``lee-devices-restored-20250214T112200Z`` -> ``lee-devices``)."""
    if table in rule_sets:
        return rule_sets[table]
    prefixes = [name for name in rule_sets if table.startswith(name + "-")]
    return rule_sets[max(prefixes, key=len)] if prefixes else None


class _Lines:
    """Where headers and keys are in the text, for error messages."""

    def __init__(self, text: str) -> None:
        self.text = text.splitlines()
        self.headers: list[tuple[int, bool, tuple[str, ...]]] = []  # (line, array, key)
        for number, line in enumerate(self.text, start=1):
            match = _HEADER.match(line)
            if match:
                self.headers.append((number, match.group(1) == "[[", _split_key(match.group(2))))

    def table(self, table: str) -> int:
        for number, array, key in self.headers:
            if key[:1] == (table,) and (not array or key == (table, "rule")):
                return number
        return self._key_line(0, len(self.text), _quote_pattern(table))

    def rule(self, table: str, index: int) -> int:
        found = [n for n, array, key in self.headers if array and key == (table, "rule")]
        return found[index] if index < len(found) else self.table(table)

    def key_in_rule(self, table: str, index: int, key: str) -> int:
        start = self.rule(table, index)
        later = [n for n, _, _ in self.headers if n > start]
        end = later[0] - 1 if later else len(self.text)
        return self._key_line(start, end, re.escape(key)) or start

    def key_in_table(self, table: str, key: str) -> int:
        start = self.table(table)
        return self._key_line(start, len(self.text), re.escape(key)) or start

    def _key_line(self, start: int, end: int, key_pattern: str) -> int:
        wanted = re.compile(rf"^\s*(?:{key_pattern})\s*[=.]")
        for number in range(max(start, 1), end + 1):
            if wanted.match(self.text[number - 1]):
                return number
        return 0


def _parse_table(table: str, body: Any, lines: _Lines, source: str) -> RuleSet:
    line = lines.table(table)
    if not isinstance(body, dict):
        raise RulesError(source, line, f'"{table}" must be a table of rules, e.g. [[{table}.rule]]')
    for key in body:
        if key not in _TABLE_KEYS:
            raise RulesError(
                source,
                lines.key_in_table(table, key),
                f'unknown key "{key}" in [{table}] (known: rule, description)',
            )
    raw_rules = body.get("rule")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulesError(source, line, f"[{table}] has no rules: add [[{table}.rule]] tables")
    description = body.get("description", "")
    if not isinstance(description, str):
        raise RulesError(
            source, lines.key_in_table(table, "description"), "description must be a string"
        )
    rules: list[Rule] = []
    taken: set[str] = set()
    for index, raw in enumerate(raw_rules):
        rule = _parse_rule(raw, _RuleContext(table, index, lines, source))
        if rule.name in taken:
            if "name" in raw:
                raise RulesError(
                    source,
                    lines.key_in_rule(table, index, "name"),
                    f'rule name "{rule.name}" is used twice in [{table}]',
                )
            rule = _renamed(rule, taken)
        taken.add(rule.name)
        rules.append(rule)
    return RuleSet(table=table, rules=tuple(rules), source=source, description=description)


class _RuleContext:
    def __init__(self, table: str, index: int, lines: _Lines, source: str) -> None:
        self.table, self.index, self.lines, self.source = table, index, lines, source

    def error(self, key: str | None, problem: str) -> RulesError:
        if key is None:
            line = self.lines.rule(self.table, self.index)
        else:
            line = self.lines.key_in_rule(self.table, self.index, key)
        return RulesError(self.source, line, problem)


def _parse_rule(raw: Any, ctx: _RuleContext) -> Rule:
    if not isinstance(raw, dict):
        raise ctx.error(None, f"each [[{ctx.table}.rule]] must be a table")
    for key in raw:
        if key not in RULE_KEYS:
            raise ctx.error(key, f'unknown key "{key}" in a rule (known: {", ".join(RULE_KEYS)})')
    attribute = raw.get("attribute")
    if not isinstance(attribute, str) or not _path_ok(attribute):
        raise ctx.error(
            "attribute" if "attribute" in raw else None,
            'a rule needs attribute = "NAME" (a dotted path into maps, e.g. "state.brightness")',
        )
    if not any(key in raw for key in _CHECKS):
        raise ctx.error(
            None,
            f'the rule for "{attribute}" checks nothing: add one of {", ".join(_CHECKS)}',
        )
    when = _when(raw.get("when", {}), ctx)
    name = raw.get("name", _default_name(attribute, when))
    if not isinstance(name, str) or not name.strip():
        raise ctx.error("name", f"name must be a non-empty string, got {_shown(name)}")
    if not isinstance(raw.get("description", ""), str):
        raise ctx.error("description", "description must be a string")
    return Rule(
        name=name.strip(),
        attribute=tuple(attribute.split(".")),
        when=when,
        required=_flag(raw, "required", ctx),
        types=_types(raw.get("type"), ctx),
        allowed=_allowed(raw.get("allowed"), ctx),
        range=_range(raw.get("range"), ctx),
        pattern=_pattern(raw.get("pattern"), ctx),
        not_future=_flag(raw, "not_future", ctx),
        line=ctx.lines.rule(ctx.table, ctx.index),
    )


def _flag(raw: dict[str, Any], key: str, ctx: _RuleContext) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ctx.error(key, f"{key} must be true or false, got {_shown(value)}")
    return value


def _types(value: Any, ctx: _RuleContext) -> tuple[str, ...]:
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        raise ctx.error("type", f"type must be a type name or a list of them, got {_shown(value)}")
    for name in names:
        if name not in TYPES:
            raise ctx.error(
                "type", f"type {_shown(name)} is not a DynamoDB type ({' '.join(TYPES)})"
            )
    return tuple(names)


def _allowed(value: Any, ctx: _RuleContext) -> tuple[Any, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        raise ctx.error("allowed", f"allowed needs a non-empty list of values, got {_shown(value)}")
    for member in value:
        if not _is_scalar(member):
            raise ctx.error(
                "allowed", f"allowed takes strings, numbers or booleans, got {_shown(member)}"
            )
    return tuple(value)


def _range(value: Any, ctx: _RuleContext) -> tuple[float, float] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise ctx.error("range", f"range needs two numbers [low, high], got {_shown(value)}")
    for member in value:
        if not _is_number(member):
            raise ctx.error("range", f"range needs two numbers, got {_shown(member)}")
    if len(value) != 2:
        raise ctx.error("range", f"range needs two numbers [low, high], got {len(value)}")
    low, high = float(value[0]), float(value[1])
    if math.isnan(low) or math.isnan(high) or low > high:
        raise ctx.error("range", f"range low {_shown(value[0])} is above high {_shown(value[1])}")
    return low, high


def _pattern(value: Any, ctx: _RuleContext) -> re.Pattern[str] | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ctx.error("pattern", f"pattern must be a string, got {_shown(value)}")
    try:
        return re.compile(value)
    except (re.error, OverflowError, RecursionError) as error:
        raise ctx.error(
            "pattern", f"pattern {_shown(value)} is not a valid regular expression: {error}"
        ) from None


def _when(value: Any, ctx: _RuleContext) -> tuple[tuple[tuple[str, ...], tuple[Any, ...]], ...]:
    if not isinstance(value, dict):
        raise ctx.error(
            "when",
            f'when must be a table, e.g. when = {{ device_type = "light" }}, got {_shown(value)}',
        )
    conditions = []
    for path, accepted in _flatten(value):
        values = accepted if isinstance(accepted, list) else [accepted]
        if not values or not all(_is_scalar(v) for v in values):
            raise ctx.error(
                "when",
                f'when "{path}" needs a string, number or boolean (or a list of them), '
                f"got {_shown(accepted)}",
            )
        conditions.append((tuple(path.split(".")), tuple(values)))
    return tuple(conditions)


def _flatten(table: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``{state = {power = "on"}}`` and ``{"state.power" = "on"}`` both mean state.power."""
    pairs: list[tuple[str, Any]] = []
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            pairs.extend(_flatten(value, path + "."))
        else:
            pairs.append((path, value))
    return pairs


def _default_name(attribute: str, when: tuple[tuple[tuple[str, ...], tuple[Any, ...]], ...]) -> str:
    if not when:
        return attribute
    parts = [f"{'.'.join(path)}={'|'.join(str(v) for v in values)}" for path, values in when]
    return f"{attribute} ({', '.join(parts)})"


def _renamed(rule: Rule, taken: set[str]) -> Rule:
    number = 2
    while f"{rule.name} #{number}" in taken:
        number += 1
    return replace(rule, name=f"{rule.name} #{number}")


def _path_ok(path: str) -> bool:
    return bool(path) and all(part for part in path.split("."))


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _shown(value: Any) -> str:
    return json.dumps(value, default=str)


def _syntax_error(source: str, text: str, message: str) -> RulesError:
    match = _TOML_POSITION.search(message)
    problem = _TOML_POSITION.sub("", message) if match else message
    if match and match.group(1):
        line, column = int(match.group(1)), int(match.group(2))
        return RulesError(source, line, f"{problem} (column {column}); the file is not valid TOML")
    line = len(text.splitlines()) if match else 0
    return RulesError(source, line, f"{problem}; the file is not valid TOML")


def _split_key(raw: str) -> tuple[str, ...]:
    """A TOML dotted key as its parts: ``"lee-devices".rule`` -> ("lee-devices", "rule")."""
    parts: list[str] = []
    for match in re.finditer(r'\s*("(?:[^"\\]|\\.)*"|\'[^\']*\'|[^."\'\s]+)\s*(?:\.|$)', raw):
        part = match.group(1)
        parts.append(part[1:-1] if part[:1] in "\"'" else part)
    return tuple(parts)


def _quote_pattern(name: str) -> str:
    escaped = re.escape(name)
    return rf"{escaped}|\"{escaped}\"|'{escaped}'"
