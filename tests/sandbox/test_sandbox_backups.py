"""On-demand backups, the SYSTEM backup a PITR table leaves when deleted, ListBackups filters."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from sandbox_helpers import by_key, scan_all


def _wait_active(ddb: Any, table: str) -> dict[str, Any]:
    deadline = time.time() + 10
    while True:
        desc: dict[str, Any] = ddb.describe_table(TableName=table)["Table"]
        if desc["TableStatus"] == "ACTIVE" or time.time() > deadline:
            return desc
        time.sleep(0.1)


def _backups(ddb: Any, table: str, **kwargs: Any) -> list[dict[str, Any]]:
    summaries: list[dict[str, Any]] = ddb.list_backups(TableName=table, **kwargs)["BackupSummaries"]
    return summaries


def test_deleting_a_pitr_table_leaves_a_system_backup(ddb: Any, make_table: Any) -> None:
    table = make_table()
    for i in range(5):
        ddb.put_item(TableName=table, Item={"pk": {"S": f"k{i}"}, "v": {"N": str(i)}})
    ddb.delete_item(TableName=table, Key={"pk": {"S": "k4"}})
    expected = by_key(scan_all(ddb, table), "pk")
    ddb.delete_table(TableName=table)

    assert _backups(ddb, table) == []  # default BackupType is USER
    system = _backups(ddb, table, BackupType="SYSTEM")
    assert [b["BackupName"] for b in system] == [f"{table}$DeletedTableBackup"]
    assert system[0]["BackupType"] == "SYSTEM"
    assert _backups(ddb, table, BackupType="ALL") == system

    target = f"{table}-back"
    restored = ddb.restore_table_from_backup(
        TargetTableName=target, BackupArn=system[0]["BackupArn"]
    )["TableDescription"]
    assert restored["TableStatus"] == "CREATING"
    assert restored["RestoreSummary"]["RestoreInProgress"] is True
    assert restored["RestoreSummary"]["SourceBackupArn"] == system[0]["BackupArn"]
    assert _wait_active(ddb, target)["RestoreSummary"]["RestoreInProgress"] is False
    assert by_key(scan_all(ddb, target), "pk") == expected


def test_deleting_a_table_without_pitr_leaves_nothing(ddb: Any, make_table: Any) -> None:
    table = make_table(pitr=False)
    ddb.delete_table(TableName=table)
    assert _backups(ddb, table, BackupType="ALL") == []


def test_on_demand_backup_restores_items_as_of_its_creation(ddb: Any, make_table: Any) -> None:
    table = make_table()
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"S": "old"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "b"}, "v": {"S": "old"}})
    expected = by_key(scan_all(ddb, table), "pk")
    arn = ddb.create_backup(TableName=table, BackupName="before")["BackupDetails"]["BackupArn"]
    ddb.put_item(TableName=table, Item={"pk": {"S": "a"}, "v": {"S": "new"}})
    ddb.delete_item(TableName=table, Key={"pk": {"S": "b"}})
    ddb.put_item(TableName=table, Item={"pk": {"S": "c"}, "v": {"S": "new"}})
    ddb.restore_table_from_backup(TargetTableName=f"{table}-b", BackupArn=arn)
    assert by_key(scan_all(ddb, f"{table}-b"), "pk") == expected
    described = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    assert described["SourceTableDetails"]["ItemCount"] == 2


def test_list_backups_time_range(ddb: Any, make_table: Any) -> None:
    table = make_table()
    first = ddb.create_backup(TableName=table, BackupName="one")["BackupDetails"]
    time.sleep(0.3)
    middle = datetime.now(UTC)
    time.sleep(0.3)
    second = ddb.create_backup(TableName=table, BackupName="two")["BackupDetails"]
    names = [b["BackupName"] for b in _backups(ddb, table)]
    assert names == ["one", "two"]
    assert [b["BackupName"] for b in _backups(ddb, table, TimeRangeLowerBound=middle)] == ["two"]
    assert [b["BackupName"] for b in _backups(ddb, table, TimeRangeUpperBound=middle)] == ["one"]
    assert first["BackupCreationDateTime"] < middle < second["BackupCreationDateTime"]
    wide = _backups(
        ddb,
        table,
        TimeRangeLowerBound=middle - timedelta(minutes=1),
        TimeRangeUpperBound=middle + timedelta(minutes=1),
    )
    assert len(wide) == 2


def test_describe_backup_carries_the_tables_features_when_the_backup_was_taken(
    ddb: Any, make_table: Any
) -> None:
    """SourceTableFeatureDetails, as AWS gives it: TTL, stream and indexes at backup time."""
    index_attr = [{"AttributeName": "g", "AttributeType": "S"}]
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "g", "KeyType": "RANGE"}]
    table = make_table(
        range_key=True,
        extra_attrs=index_attr,
        GlobalSecondaryIndexes=[
            {
                "IndexName": "g-index",
                "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
        LocalSecondaryIndexes=[
            {
                "IndexName": "l-index",
                "KeySchema": keys,
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"},
    )
    ddb.update_time_to_live(
        TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"}
    )
    arn = ddb.create_backup(TableName=table, BackupName="with-features")["BackupDetails"]
    ddb.update_time_to_live(  # changed after the backup: the backup keeps what it saw
        TableName=table, TimeToLiveSpecification={"Enabled": False, "AttributeName": "exp"}
    )
    features = ddb.describe_backup(BackupArn=arn["BackupArn"])["BackupDescription"][
        "SourceTableFeatureDetails"
    ]
    assert features["TimeToLiveDescription"] == {
        "TimeToLiveStatus": "ENABLED",
        "AttributeName": "exp",
    }
    assert features["StreamDescription"] == {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}
    [gsi] = features["GlobalSecondaryIndexes"]
    assert gsi["IndexName"] == "g-index" and gsi["Projection"] == {"ProjectionType": "ALL"}
    assert "IndexStatus" not in gsi
    [lsi] = features["LocalSecondaryIndexes"]
    assert (lsi["IndexName"], lsi["KeySchema"]) == ("l-index", keys)

    ddb.delete_table(TableName=table)  # the SYSTEM backup carries them too: TTL now off
    [system] = _backups(ddb, table, BackupType="SYSTEM")
    deleted = ddb.describe_backup(BackupArn=system["BackupArn"])["BackupDescription"]
    features = deleted["SourceTableFeatureDetails"]
    assert features["TimeToLiveDescription"]["TimeToLiveStatus"] == "DISABLED"
    assert features["StreamDescription"]["StreamViewType"] == "NEW_IMAGE"
    assert [g["IndexName"] for g in features["GlobalSecondaryIndexes"]] == ["g-index"]
