"""Scan and Query pages: complete, disjoint segments, and a page costs the page, not the table."""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sandbox_helpers import scan_all


def _fill(ddb: Any, table: str, count: int, range_key: bool = False) -> None:
    for start in range(0, count, 25):
        requests = []
        for i in range(start, min(start + 25, count)):
            item = {"pk": {"S": f"item-{i:06d}"}, "n": {"N": str(i)}, "pad": {"S": "x" * 40}}
            if range_key:
                item = {"pk": {"S": f"part-{i % 10}"}, "sk": {"N": str(i)}, "n": {"N": str(i)}}
            requests.append({"PutRequest": {"Item": item}})
        ddb.batch_write_item(RequestItems={table: requests})


def test_paginated_scan_returns_every_item_once(ddb: Any, make_table: Any) -> None:
    table = make_table(pitr=False)
    _fill(ddb, table, 1000)
    items = scan_all(ddb, table, Limit=137)
    keys = [i["pk"]["S"] for i in items]
    assert len(keys) == 1000 == len(set(keys))


def test_parallel_segments_are_disjoint_and_cover_the_table(ddb: Any, make_table: Any) -> None:
    table = make_table(pitr=False)
    _fill(ddb, table, 1000)

    def segment(n: int) -> list[str]:
        return [i["pk"]["S"] for i in scan_all(ddb, table, Segment=n, TotalSegments=4, Limit=50)]

    with ThreadPoolExecutor(4) as pool:
        parts = list(pool.map(segment, range(4)))
    assert all(parts)  # every segment has items
    union = [k for part in parts for k in part]
    assert len(union) == len(set(union)) == 1000


def test_scan_continues_after_a_deleted_start_key(ddb: Any, make_table: Any) -> None:
    table = make_table(pitr=False)
    _fill(ddb, table, 100)
    first = ddb.scan(TableName=table, Limit=30)
    last_key = first["LastEvaluatedKey"]
    ddb.delete_item(TableName=table, Key=last_key)
    rest = scan_all(ddb, table, ExclusiveStartKey=last_key)
    seen = {i["pk"]["S"] for i in first["Items"]} | {i["pk"]["S"] for i in rest}
    assert len(seen) == 100 and len(first["Items"]) + len(rest) == 100


def test_filters_projection_and_count(ddb: Any, make_table: Any) -> None:
    table = make_table(pitr=False)
    _fill(ddb, table, 200)
    even = scan_all(
        ddb,
        table,
        FilterExpression="n < :m",
        ExpressionAttributeValues={":m": {"N": "50"}},
        ProjectionExpression="pk",
        Limit=40,
    )
    assert sorted(i["pk"]["S"] for i in even) == [f"item-{i:06d}" for i in range(50)]
    assert all(set(i) == {"pk"} for i in even)
    legacy = scan_all(
        ddb,
        table,
        ScanFilter={"n": {"ComparisonOperator": "GE", "AttributeValueList": [{"N": "190"}]}},
    )
    assert len(legacy) == 10
    assert ddb.scan(TableName=table, Select="COUNT")["Count"] == 200


def test_query_pages_within_a_partition(ddb: Any, make_table: Any) -> None:
    table = make_table(range_key=True, pitr=False)
    _fill(ddb, table, 300, range_key=True)
    items: list[dict[str, Any]] = []
    start = None
    while True:
        kwargs: dict[str, Any] = {"ExclusiveStartKey": start} if start else {}
        page = ddb.query(
            TableName=table,
            KeyConditionExpression="pk = :p AND sk >= :s",
            ExpressionAttributeValues={":p": {"S": "part-3"}, ":s": {"N": "100"}},
            Limit=7,
            **kwargs,
        )
        items += page["Items"]
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    assert [int(i["sk"]["N"]) for i in items] == list(range(103, 300, 10))
    backwards = ddb.query(
        TableName=table,
        KeyConditionExpression="pk = :p",
        ExpressionAttributeValues={":p": {"S": "part-3"}},
        ScanIndexForward=False,
        Limit=3,
    )
    assert [int(i["sk"]["N"]) for i in backwards["Items"]] == [293, 283, 273]


def _page_time(ddb: Any, table: str, **kwargs: Any) -> float:
    samples = []
    for _ in range(5):
        started = time.perf_counter()
        ddb.scan(TableName=table, Limit=20, **kwargs)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def test_a_late_page_costs_no_more_than_the_first(ddb: Any, make_table: Any) -> None:
    """moto re-walks the table from its first item for every page (and hashes every item for
    segments); the sandbox starts where the last page ended."""
    table = make_table(pitr=False)
    _fill(ddb, table, 3000)
    first = _page_time(ddb, table)
    near_end = scan_all(ddb, table, Limit=1000)[-25]
    late = _page_time(ddb, table, ExclusiveStartKey={"pk": near_end["pk"]})
    segment = _page_time(ddb, table, Segment=7, TotalSegments=8)
    assert late < first * 3 + 0.01
    assert segment < first * 3 + 0.01
