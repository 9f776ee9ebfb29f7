"""The streaming diff: canonical item hashes, classification per key, the attribute view."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from lee_console.core.diff import (
    Change,
    DiffBuilder,
    canonical,
    item_changes,
    item_hash,
    jsonable,
    key_dict,
    key_of,
)
from lee_console.core.rules import MISSING


def test_hash_ignores_attribute_order_and_number_spelling() -> None:
    a = {"id": "x", "n": Decimal("5"), "m": {"b": [1, "2"], "a": {Decimal("1"), Decimal("2")}}}
    b = {"m": {"a": {Decimal("2.0"), Decimal("1")}, "b": [Decimal("1.00"), "2"]}, "n": 5, "id": "x"}
    assert item_hash(a) == item_hash(b)
    assert len(item_hash(a)) == 16


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ({"v": "5"}, {"v": Decimal(5)}),
        ({"v": True}, {"v": Decimal(1)}),
        ({"v": None}, {"v": "null"}),
        ({"v": ["a", "b"]}, {"v": ["b", "a"]}),
        ({"v": {"a"}}, {"v": ["a"]}),
        ({"v": b"x"}, {"v": "eA=="}),
        ({"v": {}}, {}),
    ],
)
def test_hash_keeps_types_apart(left: dict[str, Any], right: dict[str, Any]) -> None:
    assert item_hash(left) != item_hash(right)


def test_canonical_form() -> None:
    assert canonical({"a": Decimal("1E+2")}) == ["M", {"a": ["N", "1E+2"]}]
    assert canonical(Decimal("-0.0")) == ["N", "0"]
    assert canonical(b"\x00") == ["B", "AA=="]


def test_key_helpers() -> None:
    item = {"pk": "a", "sk": Decimal(3), "x": 1}
    assert key_of(item, ("pk", "sk")) == ("a", Decimal(3))
    assert key_dict(("a", Decimal(3)), ("pk", "sk")) == {"pk": "a", "sk": Decimal(3)}
    assert jsonable({"pk": "a", "sk": Decimal(3), "f": Decimal("1.5"), "s": {"b", "a"}}) == {
        "pk": "a", "sk": 3, "f": 1.5, "s": ["a", "b"],
    }  # fmt: skip


def build(restored: dict[str, tuple[str, bool]], live: dict[str, tuple[str, bool]]) -> Any:
    builder = DiffBuilder("r", "l", ("id",), sample=2)
    for key, (content, passes) in restored.items():
        builder.add_restored((key,), item_hash({"id": key, "c": content}), passes)
    for key, (content, passes) in live.items():
        builder.add_live((key,), item_hash({"id": key, "c": content}), passes)
    return builder.finish()


def test_classification_of_every_key() -> None:
    restored = {"same": ("1", True), "edit": ("1", True), "gone": ("1", True), "bad": ("1", True)}
    live = {"same": ("1", True), "edit": ("2", True), "new": ("1", True), "bad": ("x", False)}
    diff = build(restored, live)
    assert diff.counts() == {
        "restored_items": 4, "live_items": 4, "added": 1, "removed": 1, "changed": 2,
        "unchanged": 1, "damaged": 2,
    }  # fmt: skip
    assert diff.keys(Change.CHANGED) == [("bad",), ("edit",)]
    assert diff.keys(Change.ADDED) == [("new",)] and diff.keys(Change.REMOVED) == [("gone",)]
    assert ("same",) not in diff.entries  # only differing keys are kept
    bad = diff.entries[("bad",)]
    assert (bad.restored_passes, bad.live_passes) == (True, False)
    assert bad.restored_hash == item_hash({"id": "bad", "c": "1"})
    assert bad.live_hash == item_hash({"id": "bad", "c": "x"})
    assert [e.key for e in diff.damaged()] == [("bad",), ("gone",)]  # a deleted good item too
    assert diff.entries[("new",)].restored_hash is None and not diff.entries[("new",)].damaged
    assert not diff.identical


def test_samples_are_the_smallest_keys_and_json_names_them() -> None:
    diff = build({k: ("1", True) for k in "dcba"}, {k: ("2", True) for k in "dcba"})
    assert diff.samples(Change.CHANGED) == [("a",), ("b",)]
    document = diff.to_json()
    assert document["samples"]["changed"] == [{"id": "a"}, {"id": "b"}]
    assert document["changed"] == 4 and document["damaged"] == 0


def test_identical_tables() -> None:
    diff = build({"a": ("1", True)}, {"a": ("1", True)})
    assert diff.identical and diff.counts()["unchanged"] == 1


def test_restored_items_must_come_first() -> None:
    builder = DiffBuilder("r", "l", ("id",))
    builder.add_live(("a",), b"x", True)
    with pytest.raises(RuntimeError):
        builder.add_restored(("a",), b"x", True)


def test_item_changes_attribute_by_attribute() -> None:
    old = {"id": "d", "state": {"power": "on", "level": Decimal(5)}, "v": Decimal(2), "gone": "x"}
    new = {"id": "d", "state": {"power": "unknown", "level": Decimal("5.0")}, "v": 2, "new": True}
    changes = item_changes(old, new)
    assert [c.render() for c in changes] == [
        'gone: "x" -> (absent)',
        "new: (absent) -> true",
        'state.power: "on" -> "unknown"',
    ]
    assert changes[0].to_json() == {
        "attribute": "gone", "old": "x", "new": None, "old_present": True, "new_present": False,
    }  # fmt: skip
    assert item_changes(old, old) == []
    whole = item_changes(None, {"id": "d", "m": {"a": 1}})
    assert [(c.path, c.old is MISSING) for c in whole] == [("id", True), ("m", True)]
    map_to_string = item_changes({"s": {"a": 1}}, {"s": "x"})
    assert [c.render() for c in map_to_string] == ['s: {"a": 1} -> "x"']
