"""Integrity rules: parsing (each rule kind, each error with its line), checking (nested paths,
conditions, timestamps), the shipped rule sets and their choice by table name."""

from __future__ import annotations

import json
import random
import textwrap
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from lee_console.core.errors import InvalidInput
from lee_console.core.rules import as_timestamp, dynamodb_type, get_path, same_value
from lee_console.core.rules_parse import RulesError, parse_rules, select_rule_set
from lee_console.sandbox.scenarios import states
from lee_console.store.rules_file import load_rules_for, read_rules_file, shipped_rule_sets

NOW = datetime(2025, 2, 14, 12, 0, tzinfo=UTC)


def rules(text: str, table: str = "t") -> Any:
    return parse_rules(textwrap.dedent(text), "rules.toml")[table]


def problems(rule_set: Any, item: dict[str, Any]) -> list[str]:
    return [v.message for v in rule_set.check(item, NOW)]


def error_of(text: str) -> RulesError:
    with pytest.raises(RulesError) as caught:
        parse_rules(textwrap.dedent(text), "rules.toml")
    return caught.value


# --- each rule kind -----------------------------------------------------------------------


def test_required_fires_only_when_absent() -> None:
    rs = rules('[[t.rule]]\nattribute = "a"\nrequired = true\n')
    assert problems(rs, {"a": None}) == []
    assert problems(rs, {"b": 1}) == ["a missing"]


def test_type_accepts_one_or_a_list_of_dynamodb_types() -> None:
    rs = rules('[[t.rule]]\nattribute = "a"\ntype = ["N", "S"]\n')
    assert rs.passes({"a": Decimal("1")}, NOW) and rs.passes({"a": "x"}, NOW)
    assert problems(rs, {"a": True}) == ["a is BOOL, expected N|S"]
    assert rs.passes({}, NOW)  # absent: only `required` fires


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("s", "S"), (Decimal("1"), "N"), (3, "N"), (b"x", "B"), (True, "BOOL"), (None, "NULL"),
        ({"k": 1}, "M"), ([1], "L"), ({"a"}, "SS"), ({Decimal(1)}, "NS"), ({b"x"}, "BS"),
    ],
)  # fmt: skip
def test_dynamodb_type_of_plain_values(value: Any, kind: str) -> None:
    assert dynamodb_type(value) == kind
    rs = rules(f'[[t.rule]]\nattribute = "a"\ntype = "{kind}"\n')
    assert rs.passes({"a": value}, NOW)


def test_allowed_values_keep_booleans_apart_from_numbers() -> None:
    rs = rules('[[t.rule]]\nattribute = "a"\nallowed = ["on", 1]\n')
    assert rs.passes({"a": "on"}, NOW) and rs.passes({"a": Decimal("1.0")}, NOW)
    assert problems(rs, {"a": True}) == ['a true not one of {"on", 1}']
    assert not same_value(True, 1) and same_value(Decimal("5"), 5.0)


def test_range_needs_a_number_within_bounds_inf_allowed() -> None:
    rs = rules('[[t.rule]]\nattribute = "v"\nrange = [1, inf]\n')
    assert rs.passes({"v": Decimal("1")}, NOW) and rs.passes({"v": Decimal("1e30")}, NOW)
    assert problems(rs, {"v": Decimal("0")}) == ["v 0 outside 1..inf"]
    assert problems(rs, {"v": None}) == ["v null outside 1..inf"]
    assert problems(rs, {"v": "5"}) == ['v "5" outside 1..inf']
    assert not rs.passes({"v": True}, NOW)


def test_pattern_searches_strings_only() -> None:
    rs = rules("[[t.rule]]\nattribute = \"e\"\npattern = '^[^@]+@[^@]+$'\n")
    assert rs.passes({"e": "a@b"}, NOW)
    assert problems(rs, {"e": "ab"}) == ['e "ab" does not match /^[^@]+@[^@]+$/']
    assert not rs.passes({"e": Decimal(1)}, NOW)


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("2025-02-14T11:22:00Z", True), ("2025-02-14T11:22:00", True),
        ("2025-02-14T11:22:00+01:00", True), ("2025-02-14T12:00:01Z", False),
        (Decimal(int(NOW.timestamp()) - 1), True), (Decimal(int(NOW.timestamp()) + 60), False),
        (Decimal(int(NOW.timestamp()) * 1000 - 1000), True),  # epoch milliseconds
        (str(int(NOW.timestamp()) - 5), True), ("yesterday", False), (True, False), (None, False),
    ],
)  # fmt: skip
def test_not_future_takes_iso_8601_or_epoch(value: Any, ok: bool) -> None:
    rs = rules('[[t.rule]]\nattribute = "at"\nnot_future = true\n')
    assert rs.passes({"at": value}, NOW) is ok


def test_not_future_messages() -> None:
    rs = rules('[[t.rule]]\nattribute = "at"\nnot_future = true\n')
    assert problems(rs, {"at": "2030-01-01T00:00:00Z"}) == [
        'at "2030-01-01T00:00:00Z" is in the future'
    ]
    assert problems(rs, {"at": "soon"}) == ['at "soon" is not a timestamp']
    assert as_timestamp("2025-02-14T11:22:00Z") == datetime(2025, 2, 14, 11, 22, tzinfo=UTC)


def test_nested_paths_into_maps_and_lists() -> None:
    item = {"state": {"power": "on", "levels": [Decimal(1), {"x": "y"}]}}
    assert get_path(item, ("state", "power")) == "on"
    assert get_path(item, ("state", "levels", "1", "x")) == "y"
    rs = rules(
        """
        [[t.rule]]
        attribute = "state.power"
        required = true
        allowed = ["on", "off"]
        """
    )
    assert rs.passes(item, NOW)
    assert problems(rs, {"state": {}}) == ["state.power missing"]
    assert problems(rs, {"state": "on"}) == ["state.power missing"]


def test_when_limits_a_rule_to_matching_items() -> None:
    rs = rules(
        """
        [[t.rule]]
        attribute = "state.brightness"
        when = { device_type = "light" }
        required = true
        range = [0, 100]

        [[t.rule]]
        attribute = "state.power"
        when = { device_type = ["light", "plug"], "state.mode" = "manual" }
        required = true
        """
    )
    assert rs.names == ("state.brightness (device_type=light)",
                        "state.power (device_type=light|plug, state.mode=manual)")  # fmt: skip
    assert rs.passes({"device_type": "lock", "state": {}}, NOW)
    assert problems(rs, {"device_type": "light", "state": {"brightness": Decimal(250)}}) == [
        "state.brightness 250 outside 0..100"
    ]
    manual_plug = {"device_type": "plug", "state": {"mode": "manual"}}
    assert problems(rs, manual_plug) == ["state.power missing"]
    assert rs.passes({"device_type": "plug", "state": {"mode": "auto"}}, NOW)


def test_one_violation_per_rule_the_first_failing_check() -> None:
    rs = rules('[[t.rule]]\nattribute = "a"\ntype = "N"\nrange = [0, 1]\n')
    assert problems(rs, {"a": "x"}) == ["a is S, expected N"]


def test_names_default_to_the_path_and_duplicates_are_numbered() -> None:
    rs = rules(
        """
        [[t.rule]]
        attribute = "a"
        required = true
        [[t.rule]]
        attribute = "a"
        pattern = "x"
        [[t.rule]]
        name = "a looks right"
        attribute = "a"
        type = "S"
        """
    )
    assert rs.names == ("a", "a #2", "a looks right")
    assert rs.source == "rules.toml"


def test_several_tables_in_one_file_and_quoted_headers() -> None:
    text = (
        '[["x-y".rule]]\nattribute = "a"\nrequired = true\n'
        '[[z.rule]]\nattribute = "b"\nrequired = true\n'
    )
    rule_sets = parse_rules(text, "rules.toml")
    assert set(rule_sets) == {"x-y", "z"}
    with pytest.raises(RulesError, match=r"^rules.toml:3: range"):  # in the quoted table
        parse_rules(text.replace('attribute = "a"', 'attribute = "a"\nrange = [1]'), "rules.toml")
    with pytest.raises(RulesError, match=r"^rules.toml:6: range"):
        parse_rules(text.replace('attribute = "b"', 'attribute = "b"\nrange = [1]'), "rules.toml")


# --- errors name the line -----------------------------------------------------------------


BAD_RANGE = """\
# devices
[lee-devices]
description = "x"

[[lee-devices.rule]]
attribute = "device_id"
required = true

[[lee-devices.rule]]
attribute = "state.brightness"
required = true
range = [0, "high"]
"""


def test_semantic_error_names_the_line_of_the_offending_key() -> None:
    error = error_of(BAD_RANGE)
    assert error.message == 'rules.toml:12: range needs two numbers, got "high"'
    assert isinstance(error, InvalidInput) and error.line == 12


@pytest.mark.parametrize(
    ("body", "line", "problem"),
    [
        ('attribute = "a"\nrange = [5]', 3, "range needs two numbers [low, high], got 1"),
        ('attribute = "a"\nrange = [5, 1]', 3, "range low 5 is above high 1"),
        ('attribute = "a"\nrange = "0-5"', 3, 'range needs two numbers [low, high], got "0-5"'),
        ('attribute = "a"\ntype = "STRING"', 3, 'type "STRING" is not a DynamoDB type'),
        ('attribute = "a"\nallowed = []', 3, "allowed needs a non-empty list of values, got []"),
        ('attribute = "a"\nallowed = [{ x = 1 }]', 3, "allowed takes strings, numbers or booleans"),
        ("attribute = 'a'\npattern = '([a-'", 3, 'pattern "([a-" is not a valid regular'),
        ('attribute = "a"\nrequired = "yes"', 3, 'required must be true or false, got "yes"'),
        ('attribute = "a"\nnot_future = 1', 3, "not_future must be true or false, got 1"),
        ('attribute = "a"\nrnage = [0, 1]', 3, 'unknown key "rnage" in a rule'),
        ('attribute = "a"\nwhen = "light"\nrequired = true', 3, "when must be a table"),
        ('attribute = "a"\nwhen = { t = [] }\nrequired = true', 3, 'when "t" needs a string'),
        ('attribute = "a.."\nrequired = true', 2, "a rule needs attribute"),
        ("required = true", 1, "a rule needs attribute"),
        ('attribute = "a"', 1, 'the rule for "a" checks nothing'),
        ('name = ""\nattribute = "a"\nrequired = true', 2, "name must be a non-empty string"),
    ],
)  # fmt: skip
def test_each_semantic_error_with_its_line(body: str, line: int, problem: str) -> None:
    error = error_of("[[t.rule]]\n" + body + "\n")
    assert error.message.startswith(f"rules.toml:{line}: {problem}"), error.message


def test_errors_in_a_later_rule_point_at_that_rule() -> None:
    text = "[[t.rule]]\nattribute = 'a'\nrequired = true\n\n[[t.rule]]\nattribute = 'b'\n"
    assert error_of(text).message.startswith('rules.toml:5: the rule for "b" checks nothing')
    dup = (
        "[[t.rule]]\nname = 'n'\nattribute = 'a'\nrequired = true\n"
        "[[t.rule]]\nname = 'n'\nattribute = 'b'\nrequired = true\n"
    )
    assert error_of(dup).message == 'rules.toml:6: rule name "n" is used twice in [t]'


def test_table_level_errors() -> None:
    assert error_of("t = 5\n").message.startswith('rules.toml:1: "t" must be a table of rules')
    assert error_of("[t]\ndescription = 'x'\n").message.startswith("rules.toml:1: [t] has no rules")
    assert error_of("[t]\nrules = []\n").message.startswith(
        'rules.toml:2: unknown key "rules" in [t]'
    )
    assert error_of("").message.startswith("rules.toml: no rules in the file")


def test_toml_syntax_errors_take_tomllib_line() -> None:
    error = error_of("[[t.rule]]\nattribute = 'a'\nrequired = tru\n")
    assert error.message.startswith("rules.toml:3: Invalid value (column 12)")
    assert "\n" not in error.message


def test_read_rules_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(BAD_RANGE)
    with pytest.raises(RulesError, match=rf"^{path}:12: range needs two numbers"):
        read_rules_file(path)
    with pytest.raises(InvalidInput, match="does not exist"):
        read_rules_file(tmp_path / "missing.toml")


# --- choice by table name -------------------------------------------------------------------


def test_rule_set_chosen_by_name_or_base_name() -> None:
    shipped = shipped_rule_sets()
    assert set(shipped) == {"lee-devices", "lee-users", "lee-sessions"}
    assert (
        select_rule_set("lee-devices-restored-20250214T112200Z", shipped) is shipped["lee-devices"]
    )
    assert select_rule_set("lee-users", shipped) is shipped["lee-users"]
    assert select_rule_set("lee-devicesx", shipped) is None
    chosen = load_rules_for("lee-sessions-probe-1")
    assert chosen.table == "lee-sessions" and chosen.source == "shipped rules lee-sessions.toml"
    nothing = load_rules_for("orders")
    assert nothing.empty and nothing.source == "no rules for orders"


def test_rules_file_overrides_and_must_fit_the_table(tmp_path: Path) -> None:
    one = tmp_path / "one.toml"
    one.write_text('[[mine.rule]]\nattribute = "a"\nrequired = true\n')
    assert load_rules_for("mine-restored-x", one).table == "mine"
    with pytest.raises(InvalidInput, match="has no rules for lee-devices"):  # it would check
        load_rules_for("lee-devices", one)  # nothing of lee-devices: refused, not applied
    two = tmp_path / "two.toml"
    two.write_text(one.read_text() + '[[other.rule]]\nattribute = "b"\nrequired = true\n')
    assert load_rules_for("other-restored-x", two).table == "other"
    with pytest.raises(InvalidInput, match="has no rules for lee-devices"):
        load_rules_for("lee-devices", two)


# --- the shipped lee-devices rules match the sandbox's integrity definition ----------------------


def device_items(rng: random.Random) -> list[dict[str, Any]]:
    pools = states.state_pools(rng, variants=10)
    items = []
    for n, device_type in enumerate(states.DEVICE_TYPES * 6):
        valid = pools[device_type][n % 10]
        for state_json in (valid, states.bad_deployment_state(device_type),
                           states.gradual_state(valid, device_type)):  # fmt: skip
            state = json.loads(state_json, parse_float=Decimal, parse_int=Decimal)["M"]
            items.append(
                {
                    "device_id": f"dev-{n:05d}", "user_id": "usr-0001", "device_type": device_type,
                    "firmware": "2.4.1", "updated_at": "2025-02-14T11:00:00Z",
                    "version": Decimal(3), "state": {k: _plain(v) for k, v in state.items()},
                }
            )  # fmt: skip
    odd = dict(items[0])
    return [
        *items,
        {**odd, "updated_at": "1739531000"},
        {**odd, "version": Decimal(0)},
        {**odd, "device_type": "toaster"},
        {k: v for k, v in odd.items() if k != "firmware"},
        {**odd, "state": "on"},
    ]


def _plain(wire: dict[str, Any]) -> Any:
    ((kind, value),) = wire.items()
    return {"S": lambda v: v, "N": Decimal, "BOOL": bool, "NULL": lambda v: None}[kind](value)


def test_shipped_device_rules_agree_with_the_sandbox_definition() -> None:
    rule_set = load_rules_for("lee-devices")
    items = device_items(random.Random(7))
    disagreements = [
        (item, states.device_problems(item), rule_set.check(item, NOW))
        for item in items
        if bool(states.device_problems(item)) == rule_set.passes(item, NOW)
    ]
    assert disagreements == []
    assert sum(not rule_set.passes(item, NOW) for item in items) > len(items) / 2


def test_nesting_too_deep_for_the_toml_reader_is_a_rules_error() -> None:
    error = error_of("a = " + "[" * 5000 + "]" * 5000)
    assert error.message == (
        "rules.toml: nested too deep to be a rules file; see `[[TABLE.rule]]` in the docs"
    )


def test_a_name_with_a_newline_is_escaped_so_the_error_stays_one_line() -> None:
    """Found by the property test: attribute = "\\n" made a two-line error."""
    with pytest.raises(RulesError) as refused:
        parse_rules('[[t.rule]]\nattribute = "\\n"\n', "rules.toml")
    assert refused.value.message == (
        'rules.toml:1: the rule for "\\n" checks nothing: add one of required, type, allowed, '
        "range, pattern, not_future"
    )
