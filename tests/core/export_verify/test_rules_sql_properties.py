"""The rules compiled to SQL give every item the verdict the Python rules give it: generated
rule sets over generated items (hypothesis), and the shipped rules over the sandbox scenarios'
real items. A verdict SQL leaves undecided (NULL) is allowed only where the compiler says so
(not_future, patterns outside the translated subset); on real items there are none."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lee_console.core.export_verify.compile import compile_rules
from lee_console.core.export_verify.dialect import DUCKDB
from lee_console.core.export_verify.query import items_select
from lee_console.core.export_verify.regex import Untranslatable, translate
from lee_console.core.export_verify.wire import plain_item
from lee_console.core.rules import Rule, RuleSet
from lee_console.store.rules_file import load_rules_for

NOW = datetime(2026, 12, 2, 3, 59, 30, 250000, tzinfo=UTC)
NAMES = ["a", "b", "state", "0", "1", "x y", 'q"u', "it's", "M", "L"]
PATTERNS = [
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
    r"^usr-\d+$",
    r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$",
    r"^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$",
    r"a$",
    r"^\w+\s\W",
    r"x{2,3}?y",
    r"(?i)on",
    r"\bon\b",
    r"[\d.]+e?",
    r"^(on|off)\Z",
    r"\A[^\d]",
    r"{1,x}.",
]
STRINGS = st.one_of(
    st.sampled_from(
        [
            "on",
            "off",
            "light",
            "a",
            "usr-12",
            "usr-١٢",
            "x@y.io",
            "Europe/Paris",
            "xxy",
            "a\n",
            "2025-02-14T11:22:00Z",
            "2031-01-01T00:00:00Z",
            "2024-02-29T23:59:59Z",
            "2025-02-29T00:00:00Z",
            "2026-12-02T03:59:30Z",
            "2026-12-02T03:59:31Z",
            "0000-01-01T00:00:00Z",
            "2025-02-14",
            " 1700000000 ",
            "1700000000.5",
            "1e9",
            "2025-02-14T11:22:00+01:00",
            "2025-02-14T24:00:00Z",
            "on\u2028",
            "١٢٣",
        ]
    ),
    st.text(max_size=12),
)
NUMBERS = st.one_of(
    st.sampled_from(
        [
            "0",
            "-0",
            "5",
            "5.0",
            "100",
            "100.0000000000000001",
            "1E+2",
            "1e11",
            "1700000000",
            "1700000000000",
            "4102444800",
            "-5",
            "0.5",
            "35",
            "3000",
            "99999999999",
            "1E+20",
        ]
    ),
    st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=3).map(str),
)


def _wire(depth: int) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        STRINGS.map(lambda s: {"S": s}),
        NUMBERS.map(lambda n: {"N": n}),
        st.booleans().map(lambda b: {"BOOL": b}),
        st.just({"NULL": True}),
        st.binary(max_size=4).map(lambda b: {"B": base64.b64encode(b).decode()}),
        st.sets(STRINGS, min_size=1, max_size=3).map(lambda s: {"SS": sorted(s)}),
        st.sets(st.sampled_from(["1", "2", "5"]), min_size=1).map(lambda s: {"NS": sorted(s)}),
    )
    if depth == 0:
        return scalars
    inner = _wire(depth - 1)
    return st.one_of(
        scalars,
        st.dictionaries(st.sampled_from(NAMES), inner, max_size=4).map(lambda m: {"M": m}),
        st.lists(inner, max_size=3).map(lambda items: {"L": items}),
    )


ITEMS = st.dictionaries(st.sampled_from(NAMES), _wire(2), max_size=6)
SCALAR_VALUES = st.one_of(
    st.sampled_from(["on", "off", "light", "a", "5"]),
    st.sampled_from([5, 5.0, 0, 100, -5, 0.5, True, False, 1e20, float("inf")]),
)
PATHS = st.lists(st.sampled_from(NAMES), min_size=1, max_size=3).map(tuple)


@st.composite
def rules(draw: Any) -> Rule:
    bounds = draw(
        st.one_of(
            st.none(),
            st.sampled_from(
                [
                    (0.0, 100.0),
                    (1.0, float("inf")),
                    (float("-inf"), 5.0),
                    (-20.0, 60.0),
                    (float("-inf"), float("inf")),
                ]
            ),
        )
    )
    pattern = draw(st.one_of(st.none(), st.sampled_from(PATTERNS)))
    return Rule(
        name=f"r{draw(st.integers(0, 10**9))}",
        attribute=draw(PATHS),
        when=tuple(
            draw(
                st.lists(
                    st.tuples(PATHS, st.lists(SCALAR_VALUES, min_size=1, max_size=3).map(tuple)),
                    max_size=2,
                )
            )
        ),
        required=draw(st.booleans()),
        types=tuple(
            draw(
                st.lists(
                    st.sampled_from(["S", "N", "BOOL", "M", "L", "NULL", "SS", "B"]), max_size=2
                )
            )
        ),
        allowed=tuple(draw(st.lists(SCALAR_VALUES, max_size=3))),
        range=bounds,
        pattern=re.compile(pattern) if pattern else None,
        not_future=draw(st.booleans()),
    )


_con = duckdb.connect()


def sql_verdicts(rule_set: RuleSet, items: list[dict[str, Any]]) -> list[list[bool | None]]:
    compiled = compile_rules(rule_set, NOW, DUCKDB)
    source = "(SELECT CAST(j AS JSON) AS Item FROM (SELECT unnest(?::VARCHAR[]) AS j))"
    query = items_select(source, ["__none__"], compiled, DUCKDB)
    rows = _con.execute(query, [[json.dumps(item) for item in items]]).fetchall()
    assert len(rows) == len(items)
    return [list(row[2:]) for row in rows]  # in order: one projection of an unnest


def python_verdicts(rule_set: RuleSet, item: dict[str, Any]) -> list[bool]:
    broken = {v.rule for v in rule_set.check(plain_item(json.dumps(item)), NOW)}
    return [rule.name in broken for rule in rule_set.rules]


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(rules(), min_size=1, max_size=4, unique_by=lambda r: r.name),
    st.lists(
        ITEMS, min_size=1, max_size=8, unique_by=lambda i: json.dumps(i, separators=(",", ":"))
    ),
)
def test_sql_verdicts_equal_the_python_rules(
    generated: list[Rule], items: list[dict[str, Any]]
) -> None:
    rule_set = RuleSet("t", tuple(generated))
    compiled = compile_rules(rule_set, NOW, DUCKDB)
    for item, sql in zip(items, sql_verdicts(rule_set, items), strict=True):
        expected = python_verdicts(rule_set, item)
        for rule, got, want, exact in zip(
            generated, sql, expected, (c.exact for c in compiled.rules), strict=True
        ):
            if got is None:
                assert not exact, (rule, item)
            else:
                assert got == want, (rule, item)


@pytest.mark.parametrize("pattern", PATTERNS)
@given(text=STRINGS)
@settings(max_examples=60, deadline=None, database=None)
def test_translated_patterns_match_as_python_does(pattern: str, text: str) -> None:
    try:
        regex = translate(pattern)
    except Untranslatable:
        return
    got = _con.execute("SELECT regexp_matches(?, ?)", [text, regex]).fetchone()
    assert got is not None and got[0] == bool(re.search(pattern, text))


@pytest.mark.parametrize("scenario", ["bad-deployment", "gradual-corruption", "none"])
def test_shipped_rules_decide_every_real_item_in_sql_as_python_does(scenario: str) -> None:
    from lee_console.sandbox import SandboxOptions
    from lee_console.sandbox.install import install_extension
    from lee_console.sandbox.scenarios import seed_scenario

    backend = install_extension(restore_lag_seconds=300, restore_seconds=1)
    seed_scenario(backend, SandboxOptions(scenario=scenario, items=300))
    now = datetime.now(UTC)
    broken = 0
    for name in ("lee-devices", "lee-users", "lee-sessions"):
        rule_set = load_rules_for(name)
        items = [item.to_json()["Attributes"] for item in backend.tables[name].all_items()]
        assert items
        compiled = compile_rules(rule_set, now, DUCKDB)
        source = "(SELECT CAST(j AS JSON) AS Item FROM (SELECT unnest(?::VARCHAR[]) AS j))"
        rows = _con.execute(
            items_select(source, ["__none__"], compiled, DUCKDB),
            [[json.dumps(item) for item in items]],
        ).fetchall()
        for item, row in zip(items, rows, strict=True):
            broken_rules = {v.rule for v in rule_set.check(plain_item(json.dumps(item)), now)}
            assert list(row[2:]) == [rule.name in broken_rules for rule in rule_set.rules]
            broken += bool(broken_rules)
    assert (broken > 0) == (scenario != "none")
