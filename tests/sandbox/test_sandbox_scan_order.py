"""A full scan returns items in plain moto's order (partition key, then sort key, numbers as
numbers), page by page: the cases of moto's test_scan_with_alternating_hash_keys and
test_scan_with_numeric_range_key, compared with a stock moto Table fed the same writes."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models.table import Table


def _plain_moto_pages(
    items: list[dict[str, Any]], range_type: str, limit: int
) -> list[list[dict[str, Any]]]:
    """The scan pages stock moto returns for these writes (its own Table, in this process)."""
    table = Table(
        "plain",
        account_id=DEFAULT_ACCOUNT_ID,
        region="us-east-1",
        schema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        attr=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": range_type},
        ],
    )
    for item in items:
        table.put_item(item)
    pages: list[list[dict[str, Any]]] = []
    start = None
    while True:
        results, _, start = table.scan({}, limit, start)
        pages.append([r.to_json()["Attributes"] for r in results])
        if not start:
            return pages


def _sandbox_pages(ddb: Any, table: str, limit: int) -> list[list[dict[str, Any]]]:
    pages: list[list[dict[str, Any]]] = []
    start: dict[str, Any] | None = None
    while True:
        page = ddb.scan(
            TableName=table, Limit=limit, **({"ExclusiveStartKey": start} if start else {})
        )
        pages.append(page["Items"])
        start = page.get("LastEvaluatedKey")
        if not start:
            return pages


def _writes(range_type: str) -> list[dict[str, Any]]:
    """moto's case: alternating partition keys B, A, ..., then A's sort keys in reverse."""
    first = [{"pk": {"S": "A" if i % 2 else "B"}, "sk": {range_type: str(i)}} for i in range(8)]
    reverse = [{"pk": {"S": "A"}, "sk": {range_type: str(i)}} for i in range(20, 15, -1)]
    return first + reverse


@pytest.mark.parametrize("range_type", ["S", "N"])
def test_full_scan_pages_follow_plain_moto_order(ddb: Any, range_type: str) -> None:
    table = f"order-{range_type}-{uuid.uuid4().hex[:10]}"
    ddb.create_table(
        TableName=table,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": range_type},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    items = _writes(range_type)
    for start in range(0, len(items), 25):
        ddb.batch_write_item(
            RequestItems={table: [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]}
        )
    expected = _plain_moto_pages(items, range_type, limit=3)
    assert _sandbox_pages(ddb, table, limit=3) == expected
    # moto's own expectation (verified against AWS): A before B, sort keys in natural order.
    flat = [(i["pk"]["S"], i["sk"][range_type]) for page in expected for i in page]
    a_keys = [sk for pk, sk in flat if pk == "A"]
    assert [pk for pk, _ in flat] == ["A"] * 9 + ["B"] * 4
    key = int if range_type == "N" else str
    assert a_keys == sorted(a_keys, key=key)


def test_segments_stay_complete_after_writes_following_a_segmented_scan(
    ddb: Any, make_table: Any
) -> None:
    """The per-segment index is built by the first segmented scan and kept in step after."""
    table = make_table(range_key=True, pitr=False)

    def put(keys: range) -> None:
        for i in keys:
            ddb.put_item(TableName=table, Item={"pk": {"S": f"p{i % 7}"}, "sk": {"N": str(i)}})

    def segments() -> list[tuple[str, str]]:
        keys: list[tuple[str, str]] = []
        for segment in range(3):
            start: dict[str, Any] | None = None
            while True:
                page = ddb.scan(
                    TableName=table,
                    Segment=segment,
                    TotalSegments=3,
                    Limit=4,
                    **({"ExclusiveStartKey": start} if start else {}),
                )
                keys += [(i["pk"]["S"], i["sk"]["N"]) for i in page["Items"]]
                start = page.get("LastEvaluatedKey")
                if not start:
                    break
        return keys

    put(range(40))
    assert len(segments()) == 40
    put(range(40, 60))
    for i in range(0, 60, 5):
        ddb.delete_item(TableName=table, Key={"pk": {"S": f"p{i % 7}"}, "sk": {"N": str(i)}})
    seen = segments()
    expected = {(f"p{i % 7}", str(i)) for i in range(60) if i % 5}
    assert len(seen) == len(set(seen)) and set(seen) == expected
