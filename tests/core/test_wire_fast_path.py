"""verify's fast path judges and hashes items in their wire JSON: it must agree exactly with
core.diff.item_hash and core.rules.RuleSet.check on the same items read as plain values, and
equal items spelt differently (attribute order, 5 / 5.0 / 5E0, set order) must hash equal.
Property-based (hypothesis): a few thousand generated items a run."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lee_console.core.diff import item_hash
from lee_console.core.export_verify.wire import plain_value
from lee_console.core.rules import Rule, RuleSet
from lee_console.core.wire_hash import key_from_text, wire_item_hash, wire_key_text
from lee_console.core.wire_rules import WireChecker
from lee_console.store.rules_file import load_rules_for

NOW = datetime(2026, 12, 2, 3, 59, tzinfo=UTC)
CASES = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

_numbers = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.sampled_from(["0", "-0", "0.0", "5", "5.0", "5E0", "50", "5E+1", "1E-3", "0.001"]),
    st.sampled_from(["12345678901234567890123456789012345678", "1.000000000000000000000000000001"]),
)
_texts = st.one_of(
    st.sampled_from(["on", "off", "light", "lock", "camera", "", "é", "2026-12-01T00:00:00Z"]),
    st.text(max_size=12),
)
_b64 = st.binary(max_size=8).map(lambda b: base64.b64encode(b).decode())
_scalars = st.one_of(
    _texts.map(lambda s: {"S": s}),
    _numbers.map(lambda n: {"N": n}),
    st.booleans().map(lambda b: {"BOOL": b}),
    st.just({"NULL": True}),
    _b64.map(lambda b: {"B": b}),
    st.lists(_texts, min_size=1, max_size=4, unique=True).map(lambda v: {"SS": v}),
    st.lists(_numbers, min_size=1, max_size=4, unique=True).map(lambda v: {"NS": v}),
    st.lists(_b64, min_size=1, max_size=3, unique=True).map(lambda v: {"BS": v}),
)
_names = st.sampled_from(["device_type", "state", "power", "brightness", "version", "x", "0"])
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.dictionaries(_names, inner, max_size=4).map(lambda m: {"M": m}),
        st.lists(inner, max_size=3).map(lambda v: {"L": v}),
    ),
    max_leaves=12,
)
_items = st.dictionaries(_names, _values, max_size=6).map(
    lambda item: {"device_id": {"S": "dev-1"}, **item}
)


def plain(item: dict[str, Any]) -> dict[str, Any]:
    return {name: plain_value(value) for name, value in item.items()}


def respelt(value: Any) -> Any:
    """The same wire value spelt otherwise: maps reversed, numbers with a trailing .0 or an
    exponent, sets reversed."""
    ((kind, data),) = value.items()
    if kind == "N":
        number = Decimal(data)
        return {"N": f"{number}E0" if "E" not in data else str(number.normalize())}
    if kind == "M":
        return {"M": {k: respelt(v) for k, v in reversed(list(data.items()))}}
    if kind == "L":
        return {"L": [respelt(v) for v in data]}
    if kind == "NS":
        return {"NS": [f"{n}E0" if "E" not in n else n for n in reversed(data)]}
    if kind in ("SS", "BS"):
        return {kind: list(reversed(data))}
    return dict(value)


@CASES
@given(_items)
def test_wire_hash_is_item_hash(item: dict[str, Any]) -> None:
    assert wire_item_hash(item) == item_hash(plain(item))


@CASES
@given(_items)
def test_a_respelt_item_hashes_equal(item: dict[str, Any]) -> None:
    other = {k: respelt(v) for k, v in reversed(list(item.items()))}
    assert plain(other) == plain(item)  # the same item
    assert wire_item_hash(other) == wire_item_hash(item) == item_hash(plain(other))


@CASES
@given(_items, _items)
def test_wire_hash_equality_is_item_hash_equality(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert (wire_item_hash(a) == wire_item_hash(b)) == (item_hash(plain(a)) == item_hash(plain(b)))


def test_known_spellings() -> None:
    one = {"id": {"S": "a"}, "n": {"N": "5"}, "s": {"NS": ["1", "2"]}, "m": {"M": {}}}
    two = {"m": {"M": {}}, "s": {"NS": ["2.0", "1"]}, "n": {"N": "5.00"}, "id": {"S": "a"}}
    assert wire_item_hash(one) == wire_item_hash(two)
    assert wire_item_hash({"v": {"S": "5"}}) != wire_item_hash({"v": {"N": "5"}})
    assert wire_item_hash({"v": {"BOOL": True}}) != wire_item_hash({"v": {"N": "1"}})


def _key(value: dict[str, Any]) -> Any:
    return plain_value(value)


@CASES
@given(
    st.one_of(
        _texts.map(lambda s: {"S": s}),
        st.integers(-(10**6), 10**6).map(lambda n: {"N": str(n)}),
        _b64.map(lambda b: {"B": b}),
    ),
    st.one_of(st.none(), st.integers(0, 99).map(lambda n: {"N": str(n)})),
)
def test_key_text_round_trips(hash_value: dict[str, Any], range_value: Any) -> None:
    names = ("pk",) if range_value is None else ("pk", "sk")
    item = {"pk": hash_value, **({"sk": range_value} if range_value else {}), "x": {"S": "y"}}
    text = wire_key_text(item, names)
    expected = tuple(_key(item[name]) for name in names)
    assert key_from_text(text, names) == expected
    assert [str(p) for p in key_from_text(text, names)] == [str(p) for p in expected]


def _rule(name: str, path: str, **fields: Any) -> Rule:
    return Rule(name=name, attribute=tuple(path.split(".")), **fields)


SYNTHETIC = RuleSet(
    table="synthetic",
    rules=(
        _rule("state", "state", required=True, types=("M",)),
        _rule("power", "state.power", allowed=("on", "off", True, Decimal(1))),
        _rule("brightness", "state.brightness", range=(0.0, 100.0), when=((("x",), ("on",)),)),
        _rule("version", "version", types=("N", "SS"), range=(1.0, float("inf"))),
        _rule("list", "state.0", required=True, when=((("device_type",), ("light", "lock")),)),
        _rule("pattern", "x", pattern=re.compile(r"^o")),
        _rule("future", "device_type", not_future=True, when=((("state", "power"), ("on",)),)),
    ),
)


@settings(max_examples=600, deadline=None, database=None)
@given(st.lists(_items, min_size=1, max_size=5))
def test_wire_rules_are_the_rules(items: list[dict[str, Any]]) -> None:
    for rules in (SYNTHETIC, load_rules_for("lee-devices")):
        checker = WireChecker(rules, NOW)
        for item in items:
            assert checker.check(item) == rules.check(plain(item), NOW)


def test_wire_rules_on_a_real_page_shape() -> None:
    rules = load_rules_for("lee-devices")
    checker = WireChecker(rules, NOW)
    page = json.loads(
        '[{"device_id": {"S": "dev-1"}, "device_type": {"S": "light"}, "user_id": {"S": "u"},'
        ' "firmware": {"S": "1"}, "updated_at": {"S": "2026-12-01T00:00:00Z"},'
        ' "version": {"N": "2"}, "state": {"M": {"power": {"S": "dim"},'
        ' "brightness": {"N": "250"}}}},'
        ' {"device_id": {"S": "dev-2"}, "device_type": {"S": "light"}}]'
    )
    for _ in range(3):  # the memo answers the same as the first judgement
        assert [checker.check(i) for i in page] == [rules.check(plain(i), NOW) for i in page]
    assert [v.rule for v in checker.check(page[0])] == [
        "state.power (device_type=light|switch|plug)",
        "state.brightness (device_type=light)",
    ]
