"""RestoreTableToPointInTime yields exactly the items as of T, for every kind of write."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from sandbox_helpers import by_key, scan_all


def _item(pk: str, sk: int, value: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, "sk": {"N": str(sk)}, "v": {"S": value}, "m": {"M": {"n": {"N": "1"}}}}


def _next_whole_second() -> datetime:
    """Sleep until just after the next whole second; return that second (UTC)."""
    now = time.time()
    target = int(now) + 1
    time.sleep(target - now + 0.05)
    return datetime.fromtimestamp(target, tz=UTC)


def _wait_active(ddb: Any, table: str, timeout: float = 10) -> dict[str, Any]:
    deadline = time.time() + timeout
    while True:
        desc: dict[str, Any] = ddb.describe_table(TableName=table)["Table"]
        if desc["TableStatus"] == "ACTIVE" or time.time() > deadline:
            return desc
        time.sleep(0.1)


def _write_phase(ddb: Any, table: str, phase: str) -> None:
    """Puts, updates, deletes, batch writes and a transaction (one of each, several keys)."""
    base = 0 if phase == "A" else 100
    for i in range(base, base + 6):
        ddb.put_item(TableName=table, Item=_item(f"p{i % 3}", i, f"{phase}-put"))
    # phase B rewrites and deletes some of phase A's items
    ddb.update_item(
        TableName=table,
        Key={"pk": {"S": "p0"}, "sk": {"N": "0"}},
        UpdateExpression="SET v = :v, m.n = m.n + :one",
        ExpressionAttributeValues={":v": {"S": f"{phase}-updated"}, ":one": {"N": "1"}},
    )
    ddb.update_item(  # an update that creates an item
        TableName=table,
        Key={"pk": {"S": f"up-{phase}"}, "sk": {"N": "7"}},
        UpdateExpression="SET v = :v",
        ExpressionAttributeValues={":v": {"S": f"{phase}-upsert"}},
    )
    if phase == "B":
        ddb.delete_item(TableName=table, Key={"pk": {"S": "p1"}, "sk": {"N": "1"}})
    ddb.batch_write_item(
        RequestItems={
            table: [
                {"PutRequest": {"Item": _item(f"batch-{phase}", n, f"{phase}-batch")}}
                for n in range(4)
            ]
            + (
                [{"DeleteRequest": {"Key": {"pk": {"S": "p2"}, "sk": {"N": "2"}}}}]
                if phase == "B"
                else []
            )
        }
    )
    ddb.transact_write_items(
        TransactItems=[
            {"Put": {"TableName": table, "Item": _item(f"txn-{phase}", 1, f"{phase}-txn")}},
            {
                "Update": {
                    "TableName": table,
                    "Key": {"pk": {"S": "p1"}, "sk": {"N": "4"}},
                    "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"S": f"{phase}-txn-update"}},
                }
            },
            *(
                [
                    {
                        "Delete": {
                            "TableName": table,
                            "Key": {"pk": {"S": "batch-A"}, "sk": {"N": "0"}},
                        }
                    }
                ]
                if phase == "B"
                else []
            ),
        ]
    )


def test_restore_at_a_chosen_second_is_exact_for_every_write_kind(
    ddb: Any, make_table: Any
) -> None:
    table = make_table(range_key=True)
    _write_phase(ddb, table, "A")
    expected = by_key(scan_all(ddb, table), "pk", "sk")
    restore_at = _next_whole_second()
    _write_phase(ddb, table, "B")
    after_b = by_key(scan_all(ddb, table), "pk", "sk")
    assert after_b != expected  # phase B changed, deleted and added items

    ddb.restore_table_to_point_in_time(
        SourceTableName=table, TargetTableName=f"{table}-at-t", RestoreDateTime=restore_at
    )
    assert by_key(scan_all(ddb, f"{table}-at-t"), "pk", "sk") == expected

    time.sleep(0.05)
    ddb.restore_table_to_point_in_time(
        SourceTableName=table, TargetTableName=f"{table}-latest", UseLatestRestorableTime=True
    )
    assert by_key(scan_all(ddb, f"{table}-latest"), "pk", "sk") == after_b


def test_cancelled_transaction_leaves_no_history(ddb: Any, make_table: Any) -> None:
    table = make_table()
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"N": "1"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "b"}, "v": {"N": "1"}})
    with pytest.raises(ClientError) as caught:
        ddb.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": table, "Item": {"pk": {"S": "ghost"}, "v": {"N": "9"}}}},
                {
                    "Update": {
                        "TableName": table,
                        "Key": {"pk": {"S": "a"}},
                        "UpdateExpression": "SET v = :v",
                        "ExpressionAttributeValues": {":v": {"N": "2"}},
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": table,
                        "Key": {"pk": {"S": "b"}},
                        "ConditionExpression": "v = :x",
                        "ExpressionAttributeValues": {":x": {"N": "42"}},
                    }
                },
            ]
        )
    assert caught.value.response["Error"]["Code"] == "TransactionCanceledException"
    live = sorted(scan_all(ddb, table), key=lambda i: i["pk"]["S"])
    assert live == [{"pk": {"S": k}, "v": {"N": "1"}} for k in "ab"]
    time.sleep(0.05)
    ddb.restore_table_to_point_in_time(
        SourceTableName=table, TargetTableName=f"{table}-r", UseLatestRestorableTime=True
    )
    assert sorted(scan_all(ddb, f"{table}-r"), key=lambda i: i["pk"]["S"]) == live


def test_source_table_arn_and_billing_mode_override(ddb: Any, make_table: Any) -> None:
    table = make_table()
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    arn = ddb.describe_table(TableName=table)["Table"]["TableArn"]
    time.sleep(0.05)
    restored = ddb.restore_table_to_point_in_time(
        SourceTableArn=arn,
        TargetTableName=f"{table}-r",
        UseLatestRestorableTime=True,
        BillingModeOverride="PROVISIONED",
        ProvisionedThroughputOverride={"ReadCapacityUnits": 7, "WriteCapacityUnits": 3},
    )["TableDescription"]
    assert restored["RestoreSummary"]["SourceTableArn"] == arn
    assert restored["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert restored["ProvisionedThroughput"]["ReadCapacityUnits"] == 7
    assert scan_all(ddb, f"{table}-r") == [{"pk": {"S": "a"}}]


def test_restored_table_is_creating_then_active(ddb: Any, make_table: Any) -> None:
    table = make_table()
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    restore_at = datetime.now(UTC)
    time.sleep(0.05)
    target = f"{table}-r"
    started = time.time()
    response = ddb.restore_table_to_point_in_time(
        SourceTableName=table, TargetTableName=target, RestoreDateTime=restore_at
    )["TableDescription"]
    assert response["TableStatus"] == "CREATING"
    desc = ddb.describe_table(TableName=target)["Table"]
    assert desc["TableStatus"] == "CREATING"
    summary = desc["RestoreSummary"]
    assert summary["RestoreInProgress"] is True
    assert abs((summary["RestoreDateTime"] - restore_at).total_seconds()) < 0.002
    assert summary["SourceTableArn"].endswith(f":table/{table}")
    assert target in ddb.list_tables(Limit=100)["TableNames"] or target in _all_tables(ddb)
    desc = _wait_active(ddb, target)
    elapsed = time.time() - started
    assert desc["TableStatus"] == "ACTIVE"
    assert desc["RestoreSummary"]["RestoreInProgress"] is False
    assert 0.9 <= elapsed < 5  # --restore-seconds 1


def _all_tables(ddb: Any) -> list[str]:
    names: list[str] = []
    for page in ddb.get_paginator("list_tables").paginate():
        names += page["TableNames"]
    return names


def test_settings_not_carried_over_but_schema_is(ddb: Any, make_table: Any) -> None:
    table = make_table(
        range_key=True,
        extra_attrs=[
            {"AttributeName": "g", "AttributeType": "S"},
            {"AttributeName": "l", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": "by-g",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "by-l",
                "KeySchema": [
                    {"AttributeName": "pk", "KeyType": "HASH"},
                    {"AttributeName": "l", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
        Tags=[{"Key": "env", "Value": "prod"}],
        DeletionProtectionEnabled=True,
    )
    ddb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}
    )
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "g": {"S": "x"}})
    time.sleep(0.05)
    target = f"{table}-r"
    ddb.restore_table_to_point_in_time(
        SourceTableName=table, TargetTableName=target, UseLatestRestorableTime=True
    )
    source = ddb.describe_table(TableName=table)["Table"]
    restored = ddb.describe_table(TableName=target)["Table"]
    # carried over
    assert restored["KeySchema"] == source["KeySchema"]
    assert restored["AttributeDefinitions"] == source["AttributeDefinitions"]
    assert [i["IndexName"] for i in restored["GlobalSecondaryIndexes"]] == ["by-g"]
    assert [i["IndexName"] for i in restored["LocalSecondaryIndexes"]] == ["by-l"]
    assert restored["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    query = ddb.query(
        TableName=target,
        IndexName="by-g",
        KeyConditionExpression="g = :g",
        ExpressionAttributeValues={":g": {"S": "x"}},
    )
    assert query["Count"] == 1
    # not carried over
    pitr = ddb.describe_continuous_backups(TableName=target)["ContinuousBackupsDescription"]
    assert pitr["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    assert pitr["ContinuousBackupsStatus"] == "ENABLED"
    ttl = ddb.describe_time_to_live(TableName=target)["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "DISABLED"
    assert ddb.list_tags_of_resource(ResourceArn=restored["TableArn"])["Tags"] == []
    assert "StreamSpecification" not in restored
    assert "LatestStreamArn" not in restored
    assert restored["DeletionProtectionEnabled"] is False
    assert source["DeletionProtectionEnabled"] is True


def _code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return str(excinfo.value.response["Error"]["Code"])


def test_restore_errors(ddb: Any, make_table: Any) -> None:
    table = make_table()
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}})
    now = datetime.now(UTC)
    with pytest.raises(ClientError) as too_early:
        ddb.restore_table_to_point_in_time(
            SourceTableName=table,
            TargetTableName=f"{table}-1",
            RestoreDateTime=now - timedelta(hours=1),
        )
    assert _code(too_early) == "InvalidRestoreTimeException"
    assert "Restore time is out of range" in str(too_early.value)
    with pytest.raises(ClientError) as in_future:
        ddb.restore_table_to_point_in_time(
            SourceTableName=table,
            TargetTableName=f"{table}-2",
            RestoreDateTime=now + timedelta(minutes=5),
        )
    assert _code(in_future) == "InvalidRestoreTimeException"

    other = make_table()
    with pytest.raises(ClientError) as exists:
        ddb.restore_table_to_point_in_time(
            SourceTableName=table, TargetTableName=other, UseLatestRestorableTime=True
        )
    assert _code(exists) == "TableAlreadyExistsException"

    with pytest.raises(ClientError) as missing:
        ddb.restore_table_to_point_in_time(
            SourceTableName="no-such-table",
            TargetTableName=f"{table}-3",
            UseLatestRestorableTime=True,
        )
    assert _code(missing) in ("SourceTableNotFoundException", "TableNotFoundException")

    no_pitr = make_table(pitr=False)
    with pytest.raises(ClientError) as unavailable:
        ddb.restore_table_to_point_in_time(
            SourceTableName=no_pitr, TargetTableName=f"{no_pitr}-r", UseLatestRestorableTime=True
        )
    assert _code(unavailable) == "PointInTimeRecoveryUnavailableException"
    assert f"{table}-1" not in _all_tables(ddb)
