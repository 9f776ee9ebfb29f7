"""DescribeContinuousBackups: the restorable window, computed at request time."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError
from sandbox_helpers import client
from sandbox_process import running_sandbox

DAY = timedelta(days=1)


def _pitr(ddb: Any, table: str) -> dict[str, Any]:
    desc = ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert desc["ContinuousBackupsStatus"] == "ENABLED"
    return dict(desc["PointInTimeRecoveryDescription"])


def test_window_starts_at_enable_and_moves_with_time(ddb: Any, make_table: Any) -> None:
    table = make_table(pitr=False)
    assert _pitr(ddb, table) == {"PointInTimeRecoveryStatus": "DISABLED"}
    before = datetime.now(UTC)
    ddb.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    first = _pitr(ddb, table)
    assert first["PointInTimeRecoveryStatus"] == "ENABLED"
    assert first["RecoveryPeriodInDays"] == 35
    earliest = first["EarliestRestorableDateTime"]
    assert (
        before - timedelta(seconds=0.01) <= earliest <= datetime.now(UTC) + timedelta(seconds=0.01)
    )
    assert earliest.microsecond % 1000 == 0  # milliseconds only, rounded up
    time.sleep(1.1)
    second = _pitr(ddb, table)
    assert second["EarliestRestorableDateTime"] == earliest  # window not full yet
    assert second["LatestRestorableDateTime"] - first["LatestRestorableDateTime"] >= timedelta(
        seconds=1
    )
    assert abs(second["LatestRestorableDateTime"] - datetime.now(UTC)) < timedelta(seconds=1)
    # the advertised earliest time is itself restorable
    ddb.restore_table_to_point_in_time(
        SourceTableName=table, TargetTableName=f"{table}-r", RestoreDateTime=earliest
    )


def test_disable_then_enable_resets_the_window(ddb: Any, make_table: Any) -> None:
    table = make_table()
    first = _pitr(ddb, table)["EarliestRestorableDateTime"]
    spec = "PointInTimeRecoverySpecification"
    ddb.update_continuous_backups(TableName=table, **{spec: {"PointInTimeRecoveryEnabled": False}})
    assert _pitr(ddb, table)["PointInTimeRecoveryStatus"] == "DISABLED"
    with pytest.raises(ClientError) as caught:
        ddb.restore_table_to_point_in_time(
            SourceTableName=table, TargetTableName=f"{table}-r", UseLatestRestorableTime=True
        )
    assert caught.value.response["Error"]["Code"] == "PointInTimeRecoveryUnavailableException"
    time.sleep(0.2)
    ddb.update_continuous_backups(TableName=table, **{spec: {"PointInTimeRecoveryEnabled": True}})
    second = _pitr(ddb, table)["EarliestRestorableDateTime"]
    assert second - first >= timedelta(seconds=0.2)
    with pytest.raises(ClientError) as early:
        ddb.restore_table_to_point_in_time(
            SourceTableName=table, TargetTableName=f"{table}-r", RestoreDateTime=first
        )
    assert early.value.response["Error"]["Code"] == "InvalidRestoreTimeException"


def test_recovery_period_is_validated_and_settable(ddb: Any, make_table: Any) -> None:
    table = make_table()
    for bad in (36, 100):  # botocore itself rejects values below 1
        with pytest.raises(ClientError) as caught:
            ddb.update_continuous_backups(
                TableName=table,
                PointInTimeRecoverySpecification={
                    "PointInTimeRecoveryEnabled": True,
                    "RecoveryPeriodInDays": bad,
                },
            )
        assert caught.value.response["Error"]["Code"] == "ValidationException"
    ddb.update_continuous_backups(
        TableName=table,
        PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True,
            "RecoveryPeriodInDays": 7,
        },
    )
    assert _pitr(ddb, table)["RecoveryPeriodInDays"] == 7


def test_full_window_and_lowering_the_period_drops_history(ddb: Any) -> None:
    """lee-devices (seeded) has a full 35-day window; lowering to 1 day drops the older
    history at once, and raising it again does not bring it back."""
    desc = _pitr(ddb, "lee-devices")
    now = datetime.now(UTC)
    assert abs(desc["EarliestRestorableDateTime"] - (now - 35 * DAY)) < timedelta(seconds=5)
    two_days_ago = now - 2 * DAY
    spec = {"PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 1}
    ddb.update_continuous_backups(TableName="lee-devices", PointInTimeRecoverySpecification=spec)
    lowered = _pitr(ddb, "lee-devices")
    assert abs(lowered["EarliestRestorableDateTime"] - (now - DAY)) < timedelta(seconds=5)
    spec["RecoveryPeriodInDays"] = 35
    ddb.update_continuous_backups(TableName="lee-devices", PointInTimeRecoverySpecification=spec)
    raised = _pitr(ddb, "lee-devices")
    assert raised["RecoveryPeriodInDays"] == 35
    assert abs(raised["EarliestRestorableDateTime"] - (now - DAY)) < timedelta(seconds=5)
    with pytest.raises(ClientError) as caught:
        ddb.restore_table_to_point_in_time(
            SourceTableName="lee-devices",
            TargetTableName="lee-devices-old",
            RestoreDateTime=two_days_ago,
        )
    assert caught.value.response["Error"]["Code"] == "InvalidRestoreTimeException"


@pytest.fixture(scope="module")
def lagged() -> Iterator[Any]:
    with running_sandbox(scenario="none", items=50, restore_lag=30, restore_seconds=1) as (
        url,
        _,
    ):
        yield client(url)


def test_latest_restorable_time_lags_now(lagged: Any) -> None:
    latest = _pitr(lagged, "lee-users")["LatestRestorableDateTime"]
    expected = datetime.now(UTC) - timedelta(seconds=30)
    assert abs(latest - expected) < timedelta(seconds=1)
    with pytest.raises(ClientError) as caught:
        lagged.restore_table_to_point_in_time(
            SourceTableName="lee-users",
            TargetTableName="lee-users-r",
            RestoreDateTime=datetime.now(UTC) - timedelta(seconds=10),
        )
    assert caught.value.response["Error"]["Code"] == "InvalidRestoreTimeException"
    restored = lagged.restore_table_to_point_in_time(
        SourceTableName="lee-users", TargetTableName="lee-users-r", UseLatestRestorableTime=True
    )["TableDescription"]["RestoreSummary"]["RestoreDateTime"]
    assert abs(restored - expected) < timedelta(seconds=1)
