"""Verification's pure parts: schema shapes and their comparison, the violation tally, the
report's verdict, JSON and journal summary."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from lee_console.core.diff import DiffBuilder, item_hash
from lee_console.core.rules_parse import parse_rules
from lee_console.core.verify import (
    VerifyReport,
    ViolationTally,
    schema_differences,
    table_shape,
)

NOW = datetime(2025, 2, 14, 12, 0, tzinfo=UTC)


def description(name: str, **overrides: Any) -> dict[str, Any]:
    table: dict[str, Any] = {
        "TableName": name,
        "KeySchema": [
            {"AttributeName": "sk", "KeyType": "RANGE"},
            {"AttributeName": "pk", "KeyType": "HASH"},
        ],
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"},
            {"AttributeName": "owner", "AttributeType": "S"},
        ],
        "GlobalSecondaryIndexes": [
            {
                "IndexName": "owner-index",
                "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["b", "a"]},
                "IndexStatus": "ACTIVE",
            }
        ],
        "LocalSecondaryIndexes": [
            {
                "IndexName": "by-owner",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "owner", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
    }
    table.update(overrides)
    return table


def test_table_shape_orders_keys_hash_first() -> None:
    shape = table_shape(description("t"))
    assert shape.key == (("pk", "HASH", "S"), ("sk", "RANGE", "N"))
    assert shape.key_names == ("pk", "sk")
    assert [(i.kind, i.name, i.non_key) for i in shape.indexes] == [
        ("GSI", "owner-index", ("a", "b")),
        ("LSI", "by-owner", ()),
    ]


def test_equal_schemas_ignore_index_status_and_throughput() -> None:
    live = description("live")
    restored = description("restored")
    restored["GlobalSecondaryIndexes"][0]["IndexStatus"] = "CREATING"
    assert schema_differences(table_shape(restored), table_shape(live)) == []


def test_schema_differences_name_what_differs() -> None:
    live = table_shape(description("live"))
    no_gsi = table_shape(description("r", GlobalSecondaryIndexes=[]))
    assert schema_differences(no_gsi, live) == ["GSI owner-index is missing from r"]
    other_key = table_shape(
        description("r", KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}])
    )
    assert schema_differences(other_key, live) == [
        "key schema differs: (pk HASH S) in r, (pk HASH S, sk RANGE N) in live"
    ]
    projected = description("r")
    projected["GlobalSecondaryIndexes"][0]["Projection"] = {"ProjectionType": "ALL"}
    assert schema_differences(table_shape(projected), live) == [
        "GSI owner-index differs: (owner HASH) projection ALL in r, "
        "(owner HASH) projection INCLUDE ['a', 'b'] in live"
    ]
    extra = table_shape(description("r"))
    fewer = table_shape(description("live", LocalSecondaryIndexes=None))
    assert schema_differences(extra, fewer) == ["LSI by-owner is in r but not in live"]


RULES = parse_rules(
    """
[[t.rule]]
attribute = "power"
required = true
allowed = ["on", "off"]

[[t.rule]]
attribute = "level"
range = [0, 100]
""",
    "rules.toml",
)["t"]


def tally(table: str, items: list[dict[str, Any]], sample: int = 2) -> Any:
    counter = ViolationTally(table, ("id",), RULES, sample)
    for item in items:
        counter.add((item["id"],), RULES.check(item, NOW))
    return counter.finish()


def test_tally_counts_items_per_rule_with_smallest_sample_keys() -> None:
    items = [{"id": f"k{n:02d}", "power": "on"} for n in range(10)]
    items += [{"id": f"b{n:02d}", "power": "??", "level": 500} for n in range(30, 0, -1)]
    items += [{"id": "c", "level": 1}]
    check = tally("t", items)
    assert (check.items, check.violating_items, check.passed) == (41, 31, False)
    assert [(c.rule, c.count, c.sample_keys) for c in check.rules] == [
        ("power", 31, (("b01",), ("b02",))),
        ("level", 30, (("b01",), ("b02",))),
    ]
    assert check.rules[1].example == "level 500 outside 0..100"
    assert check.to_json()["violations"][0]["sample_keys"] == [{"id": "b01"}, {"id": "b02"}]


def report(
    items: list[dict[str, Any]], live_items: list[dict[str, Any]], schema: tuple[str, ...]
) -> VerifyReport:
    builder = DiffBuilder("r", "l", ("id",))
    for item in items:
        builder.add_restored((item["id"],), item_hash(item), RULES.passes(item, NOW))
    for item in live_items:
        builder.add_live((item["id"],), item_hash(item), RULES.passes(item, NOW))
    return VerifyReport(tally("r", items), tally("l", live_items), schema, builder.finish(), NOW)


def test_report_passes_on_clean_table_and_equal_schema_whatever_the_live_table() -> None:
    good = [{"id": "a", "power": "on"}, {"id": "b", "power": "off"}]
    bad_live = [{"id": "a", "power": "??"}, {"id": "b", "power": "off"}]
    passed = report(good, bad_live, ())
    assert passed.passed
    assert not report(good, bad_live, ("GSI x is missing from r",)).passed
    assert not report(bad_live, good, ()).passed
    only = VerifyReport(tally("t", good), None, None, None, NOW)
    assert only.passed and only.to_json()["schema"] is None


def test_report_json_and_journal_summary() -> None:
    good = [{"id": "a", "power": "on"}, {"id": "b", "power": "off"}]
    bad_live = [{"id": "a", "power": "??"}, {"id": "c", "power": "on"}]
    result = report(good, bad_live, ())
    document = json.loads(json.dumps(result.to_json()))
    assert document["passed"] is True
    assert document["counts"] == {"r": 2, "l": 2}
    assert document["schema"] == {"equal": True, "differences": []}
    assert document["diff"]["changed"] == 1 and document["diff"]["damaged"] == 2
    assert document["against_check"]["violating_items"] == 1
    journal = result.journal_data()
    assert journal["table"] == "r" and journal["against"] == "l" and journal["passed"] is True
    assert journal["violations"] == {"items": 0, "by_rule": {}, "against_items": 1}
    assert journal["diff"]["added"] == 1 and journal["diff"]["removed"] == 1
    assert journal["diff"]["damaged"] == 2
    assert journal["rule_set"] == "t" and journal["rules_source"] == "rules.toml"
