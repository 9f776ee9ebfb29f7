"""Writes that moto makes around the backend's write methods are recorded in PITR history too:
PartiQL (ExecuteStatement, BatchExecuteStatement) and ImportTable, which call Table.put_item
and Table.delete_item directly. A restore to the second after such a write has it; a restore
to the second before it does not."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from sandbox_helpers import client, scan_all


def _next_whole_second() -> datetime:
    """Sleep until just after the next whole second; return that second (UTC)."""
    now = time.time()
    target = int(now) + 1
    time.sleep(target - now + 0.05)
    return datetime.fromtimestamp(target, tz=UTC)


def _restored(ddb: Any, table: str, at: datetime) -> dict[str, dict[str, Any]]:
    """The items of ``table`` as restored to ``at``, by partition key."""
    target = f"{table}-{uuid.uuid4().hex[:6]}"
    ddb.restore_table_to_point_in_time(
        SourceTableName=table, TargetTableName=target, RestoreDateTime=at
    )
    return {item["pk"]["S"]: item for item in scan_all(ddb, target)}


def test_execute_statement_insert_update_delete_are_recorded(ddb: Any, make_table: Any) -> None:
    table = make_table()
    ddb.put_item(TableName=table, Item={"pk": {"S": "base"}})
    before_insert = _next_whole_second()
    response = ddb.execute_statement(
        Statement=f"INSERT INTO \"{table}\" VALUE {{'pk': 'a', 'v': 'one', 'm': {{'l': ['x']}}}}"
    )
    assert response["Items"] == []
    after_insert = _next_whole_second()
    ddb.execute_statement(Statement=f"UPDATE \"{table}\" SET v='two' WHERE pk='a'")
    after_update = _next_whole_second()
    ddb.execute_statement(Statement=f"DELETE FROM \"{table}\" WHERE pk='a'")
    after_delete = _next_whole_second()

    inserted = {"pk": {"S": "a"}, "v": {"S": "one"}, "m": {"M": {"l": {"L": [{"S": "x"}]}}}}
    assert set(_restored(ddb, table, before_insert)) == {"base"}
    assert _restored(ddb, table, after_insert)["a"] == inserted
    assert _restored(ddb, table, after_update)["a"] == {**inserted, "v": {"S": "two"}}
    assert set(_restored(ddb, table, after_delete)) == {"base"}
    assert [i["pk"]["S"] for i in scan_all(ddb, table)] == ["base"]


def test_batch_execute_statement_writes_are_recorded(ddb: Any, make_table: Any) -> None:
    table = make_table()
    ddb.put_item(TableName=table, Item={"pk": {"S": "old"}, "v": {"S": "0"}})
    before = _next_whole_second()
    responses = ddb.batch_execute_statement(
        Statements=[
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'b1', 'v': '1'}}"},
            {"Statement": f"INSERT INTO \"{table}\" VALUE {{'pk': 'b2', 'v': '2'}}"},
            {
                "Statement": f'UPDATE "{table}" SET v = ? WHERE pk = ?',
                "Parameters": [{"S": "changed"}, {"S": "old"}],
            },
        ]
    )["Responses"]
    assert all("Error" not in r for r in responses)
    after_writes = _next_whole_second()
    ddb.batch_execute_statement(
        Statements=[{"Statement": f"DELETE FROM \"{table}\" WHERE pk='b1'"}]
    )
    after_delete = _next_whole_second()

    assert _restored(ddb, table, before) == {"old": {"pk": {"S": "old"}, "v": {"S": "0"}}}
    at_writes = _restored(ddb, table, after_writes)
    assert at_writes == {
        "old": {"pk": {"S": "old"}, "v": {"S": "changed"}},
        "b1": {"pk": {"S": "b1"}, "v": {"S": "1"}},
        "b2": {"pk": {"S": "b2"}, "v": {"S": "2"}},
    }
    at_delete = _restored(ddb, table, after_delete)
    assert set(at_delete) == {"old", "b2"}


def _wait_import(ddb: Any, arn: str, timeout: float = 20) -> dict[str, Any]:
    deadline = time.time() + timeout
    while True:
        desc: dict[str, Any] = ddb.describe_import(ImportArn=arn)["ImportTableDescription"]
        if desc["ImportStatus"] != "IN_PROGRESS" or time.time() > deadline:
            return desc
        time.sleep(0.1)


def test_import_table_from_the_sandbox_s3_is_recorded(fast_url: str, ddb: Any) -> None:
    s3 = client(fast_url, "s3")
    bucket = f"imports-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=bucket)
    lines = [
        {"Item": {"pk": {"S": f"imp-{i}"}, "n": {"N": str(i)}, "m": {"M": {"k": {"S": "v"}}}}}
        for i in range(3)
    ]
    s3.put_object(
        Bucket=bucket, Key="data/part-0.json", Body="\n".join(json.dumps(x) for x in lines)
    )
    table = f"imported-{uuid.uuid4().hex[:10]}"
    started = ddb.import_table(
        S3BucketSource={"S3Bucket": bucket, "S3KeyPrefix": "data/"},
        InputFormat="DYNAMODB_JSON",
        TableCreationParameters={
            "TableName": table,
            "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST",
        },
    )["ImportTableDescription"]
    done = _wait_import(ddb, started["ImportArn"])
    assert done["ImportStatus"] == "COMPLETED", done.get("FailureMessage")
    assert done["ImportedItemCount"] == 3 and done["ErrorCount"] == 0

    # The table exists only once the import has written it, so PITR (and with it the window)
    # starts after the import: the earliest restore already holds the imported items.
    ddb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    after_import = _next_whole_second()
    ddb.execute_statement(Statement=f"DELETE FROM \"{table}\" WHERE pk='imp-0'")
    after_delete = _next_whole_second()

    at_import = _restored(ddb, table, after_import)
    assert at_import == {line["Item"]["pk"]["S"]: line["Item"] for line in lines}
    assert set(_restored(ddb, table, after_delete)) == {"imp-1", "imp-2"}
    desc = ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    earliest = desc["PointInTimeRecoveryDescription"]["EarliestRestorableDateTime"]
    assert earliest <= after_import
