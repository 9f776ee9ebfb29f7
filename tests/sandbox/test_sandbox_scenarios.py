"""Each scenario: tables, a full window, truth that matches the data, and the AWS context."""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer
from sandbox_helpers import client, scan_all
from sandbox_process import running_sandbox

from lee_console.sandbox.scenarios.states import device_problems
from lee_console.sandbox.truth import ScenarioTruth

ITEMS = 1000
_plain = TypeDeserializer()


@dataclass
class Running:
    scenario: str
    url: str
    truth: ScenarioTruth | None

    def client(self, service: str = "dynamodb") -> Any:
        return client(self.url, service)


@contextmanager
def _running(scenario: str, truth_file: Path) -> Iterator[Running]:
    with running_sandbox(
        scenario=scenario,
        items=ITEMS,
        restore_seconds=0,
        restore_lag=0,
        truth_file=truth_file,
    ) as (url, _):
        truth = None
        if truth_file.exists():
            truth = ScenarioTruth.from_json(json.loads(truth_file.read_text()))
        yield Running(scenario, url, truth)


def _plain_item(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain.deserialize(v) for k, v in item.items()}


def _devices(ddb: Any, table: str) -> dict[str, dict[str, Any]]:
    return {i["device_id"]["S"]: _plain_item(i) for i in scan_all(ddb, table)}


def _tables_and_full_window(sandbox: Running) -> None:
    ddb = sandbox.client()
    names = set(ddb.list_tables()["TableNames"])
    expected = {"lee-users", "lee-sessions"} | (
        set() if sandbox.scenario == "accidental-delete" else {"lee-devices"}
    )
    assert names == expected
    now = datetime.now(UTC)
    for table in sorted(expected):
        pitr = ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"
        ]
        assert pitr["PointInTimeRecoveryStatus"] == "ENABLED"
        assert abs(pitr["EarliestRestorableDateTime"] - (now - timedelta(days=35))) < timedelta(
            minutes=1
        )
        desc = ddb.describe_table(TableName=table)["Table"]
        assert desc["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
        tags = ddb.list_tags_of_resource(ResourceArn=desc["TableArn"])["Tags"]
        assert {"Key": "project", "Value": "lee"} in tags
    sessions_ttl = ddb.describe_time_to_live(TableName="lee-sessions")["TimeToLiveDescription"]
    assert sessions_ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"}
    if "lee-devices" in names:
        devices = ddb.describe_table(TableName="lee-devices")["Table"]
        assert devices["ItemCount"] == ITEMS
        assert devices["DeletionProtectionEnabled"] is True
        assert devices["StreamSpecification"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    users = ddb.describe_table(TableName="lee-users")["Table"]
    assert users["ItemCount"] == ITEMS // 10


def _truth_matches_the_data(sandbox: Running) -> None:
    truth = sandbox.truth
    if sandbox.scenario == "none":
        assert truth is None
        return
    assert truth is not None and truth.scenario == sandbox.scenario
    assert truth.table == "lee-devices"
    ddb = sandbox.client()
    now = datetime.now(UTC)
    age = now - truth.damage_start
    expected_age = {
        "bad-deployment": timedelta(minutes=25),
        "accidental-delete": timedelta(minutes=10),
        "gradual-corruption": timedelta(days=7),
    }[sandbox.scenario]
    assert abs(age - expected_age) < timedelta(minutes=2)

    damaged = {k["device_id"] for k in truth.damaged_keys}
    legit = {k["device_id"] for k in truth.legit_keys_after}
    assert not damaged & legit

    before = truth.damage_start - timedelta(minutes=1)
    if sandbox.scenario == "accidental-delete":
        system = ddb.list_backups(TableName="lee-devices", BackupType="SYSTEM")["BackupSummaries"]
        assert [b["BackupName"] for b in system] == ["lee-devices$DeletedTableBackup"]
        assert system[0]["BackupCreationDateTime"] == truth.damage_start
        ddb.restore_table_from_backup(
            TargetTableName="devices-from-system", BackupArn=system[0]["BackupArn"]
        )
        restored = _devices(ddb, "devices-from-system")
        assert set(restored) == damaged and len(damaged) == ITEMS
        assert legit == set()
        assert all(not device_problems(item) for item in restored.values())
        return

    share = len(damaged) / ITEMS
    if sandbox.scenario == "bad-deployment":
        assert 0.13 <= share <= 0.17
    else:
        assert 10 <= len(damaged) <= ITEMS * 0.1
    assert legit, "users kept making legitimate changes after the damage began"
    live = _devices(ddb, "lee-devices")
    target = f"devices-before-{sandbox.scenario}"
    ddb.restore_table_to_point_in_time(
        SourceTableName="lee-devices", TargetTableName=target, RestoreDateTime=before
    )
    restored = _devices(ddb, target)
    assert set(restored) == set(live)
    for key in damaged:
        assert device_problems(live[key]), f"{key} should be damaged in the live table"
        assert not device_problems(restored[key]), f"{key} should be intact before the damage"
    for key in legit:
        assert not device_problems(live[key])
        assert live[key] != restored[key]
        assert live[key]["updated_at"] >= truth.damage_start.strftime("%Y-%m-%dT%H:%M:%SZ")
    untouched = set(live) - damaged - legit
    settled = before.strftime("%Y-%m-%dT%H:%M:%SZ")  # last written before the restore point
    assert all(live[k] == restored[k] for k in untouched if live[k]["updated_at"] < settled)
    assert all(not device_problems(live[k]) for k in untouched)


def _write_metrics(sandbox: Running) -> None:
    cloudwatch = sandbox.client("cloudwatch")
    now = datetime.now(UTC)
    table = "lee-users" if sandbox.scenario == "accidental-delete" else "lee-devices"
    stats = cloudwatch.get_metric_statistics(
        Namespace="AWS/DynamoDB",
        MetricName="ConsumedWriteCapacityUnits",
        Dimensions=[{"Name": "TableName", "Value": table}],
        StartTime=now - timedelta(hours=24),
        EndTime=now,
        Period=60,
        Statistics=["Sum"],
    )["Datapoints"]
    assert len(stats) >= 1400
    data = cloudwatch.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "w",
                "MetricStat": {
                    "Metric": {
                        "Namespace": "AWS/DynamoDB",
                        "MetricName": "ConsumedWriteCapacityUnits",
                        "Dimensions": [{"Name": "TableName", "Value": "lee-devices"}],
                    },
                    "Period": 60,
                    "Stat": "Sum",
                },
            }
        ],
        StartTime=now - timedelta(hours=2),
        EndTime=now,
    )["MetricDataResults"][0]
    assert len(data["Values"]) >= 100  # lee-devices' metrics outlive the table
    if sandbox.scenario == "bad-deployment":
        assert sandbox.truth is not None
        start = sandbox.truth.damage_start
        points = {p["Timestamp"]: p["Sum"] for p in stats}
        before = [v for t, v in points.items() if start - timedelta(hours=1) <= t < start]
        after = [v for t, v in points.items() if start + timedelta(minutes=1) <= t]
        assert statistics.mean(after) > 2 * statistics.mean(before)


def _lambda_versions_mark_deployments(sandbox: Running) -> None:
    lam = sandbox.client("lambda")
    function = lam.get_function(FunctionName="lee-engine")["Configuration"]
    assert function["Runtime"] == "python3.12"
    assert function["Environment"]["Variables"]["DEVICES_TABLE"] == "lee-devices"
    versions = [
        v
        for v in lam.list_versions_by_function(FunctionName="lee-engine")["Versions"]
        if v["Version"] != "$LATEST"
    ]
    assert len(versions) >= 5
    modified = [
        datetime.strptime(v["LastModified"][:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
        for v in versions
    ]
    assert min(modified) < datetime.now(UTC) - timedelta(days=25)
    if sandbox.truth is not None and sandbox.scenario != "accidental-delete":
        assert sandbox.truth.damage_start in modified


def _ssm_parameters(sandbox: Running) -> None:
    ssm = sandbox.client("ssm")
    for short in ("devices", "users", "sessions"):
        value = ssm.get_parameter(Name=f"/lee/tables/{short}")["Parameter"]["Value"]
        assert value == f"lee-{short}"


def _daily_backups_restore_as_of_their_time(sandbox: Running) -> None:
    ddb = sandbox.client()
    backups = ddb.list_backups(TableName="lee-users")["BackupSummaries"]
    assert len(backups) == 3
    times = [b["BackupCreationDateTime"] for b in backups]
    assert all(t.hour == 3 and t.minute == 0 for t in times)
    assert [round((b - a).total_seconds()) for a, b in pairwise(times)] == [86400, 86400]
    devices_backups = ddb.list_backups(TableName="lee-devices")["BackupSummaries"]
    assert len(devices_backups) == 3
    oldest = backups[0]
    suffix = sandbox.scenario
    ddb.restore_table_from_backup(
        TargetTableName=f"users-backup-{suffix}", BackupArn=oldest["BackupArn"]
    )
    ddb.restore_table_to_point_in_time(
        SourceTableName="lee-users",
        TargetTableName=f"users-pitr-{suffix}",
        RestoreDateTime=oldest["BackupCreationDateTime"],
    )
    from_backup = scan_all(ddb, f"users-backup-{suffix}")
    from_pitr = scan_all(ddb, f"users-pitr-{suffix}")
    key = lambda i: i["user_id"]["S"]  # noqa: E731
    assert sorted(from_backup, key=key) == sorted(from_pitr, key=key)
    assert len(from_backup) == ITEMS // 10


@pytest.mark.parametrize(
    "scenario", ["none", "bad-deployment", "accidental-delete", "gradual-corruption"]
)
def test_scenario(scenario: str, tmp_path: Path) -> None:
    """One sandbox per scenario (one test each, so ``-n auto`` starts each scenario once)."""
    with _running(scenario, tmp_path / "truth.json") as sandbox:
        _tables_and_full_window(sandbox)
        _truth_matches_the_data(sandbox)
        _write_metrics(sandbox)
        _lambda_versions_mark_deployments(sandbox)
        _ssm_parameters(sandbox)
        _daily_backups_restore_as_of_their_time(sandbox)
