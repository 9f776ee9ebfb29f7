"""core.drift_backup: a deleted table's settings as its backup records them, and the drift of
the table restored from it (assumed PITR period, unknown tags, deletion protection
recommended on, auto scaling and alarms kept by name)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from lee_console.core.drift import (
    Alarm,
    Drift,
    ScalableTarget,
    TableSettings,
    canonical,
    copied_alarm,
    plan_drift,
)
from lee_console.core.drift_backup import (
    UNKNOWN,
    backup_table_name,
    index_names,
    settings_from_backup,
)

DEVICES = "lee-devices"
ARN = f"arn:aws:dynamodb:us-east-1:123456789012:table/{DEVICES}/backup/01-abc"
CREATED = datetime(2026, 11, 25, 3, 52, tzinfo=UTC)


def description(
    name: str = f"{DEVICES}$DeletedTableBackup",
    backup_type: str = "SYSTEM",
    features: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "BackupDetails": {
            "BackupArn": ARN,
            "BackupName": name,
            "BackupType": backup_type,
            "BackupCreationDateTime": CREATED,
        },
        "SourceTableDetails": {"TableName": DEVICES},
    }
    if features is not None:
        body["SourceTableFeatureDetails"] = features
    return body


FEATURES: dict[str, Any] = {
    "TimeToLiveDescription": {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires_at"},
    "StreamDescription": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    "GlobalSecondaryIndexes": [{"IndexName": "user_id-index", "KeySchema": []}],
}


def by_setting(drifts: list[Drift]) -> dict[str, Drift]:
    return {d.setting: d for d in drifts}


def test_a_deleted_table_backup_gives_ttl_stream_and_pitr_on_with_the_period_assumed() -> None:
    source = settings_from_backup(DEVICES, description(features=FEATURES))
    assert source.table == DEVICES
    assert source.pitr_enabled and source.recovery_period_days is None
    assert (source.ttl_status, source.ttl_attribute) == ("ENABLED", "expires_at")
    assert (source.stream_enabled, source.stream_view_type) == (True, "NEW_AND_OLD_IMAGES")
    assert source.tags == () and source.deletion_protection
    backup = source.backup
    assert backup is not None and backup.deleted_table
    assert (backup.arn, backup.backup_type) == (ARN, "SYSTEM")
    assert backup.assumed == {"pitr"} and backup.unknown == {"tags"}
    assert backup.created == "2026-11-25T03:52:00+00:00"
    note = backup.note()
    assert note.startswith(
        f"Source: the deleted table's SYSTEM backup {DEVICES}$DeletedTableBackup"
    )
    assert "assumed: 35 days" in note and "tags" in note
    assert index_names(description(features=FEATURES)) == ["user_id-index"]
    assert backup_table_name(description()) == DEVICES


def test_the_drift_against_the_restored_table() -> None:
    source = settings_from_backup(DEVICES, description(features=FEATURES))
    drifts = by_setting(plan_drift(source, TableSettings(table=DEVICES)))
    pitr = drifts["pitr"]
    assert (pitr.source_value, pitr.restored_value) == ("on, 35 days (period assumed)", "off")
    assert pitr.to_apply
    assert drifts["ttl"].to_apply and drifts["stream"].to_apply
    tags = drifts["tags"]
    assert (tags.source_value, tags.action) == (UNKNOWN, "set by hand")
    assert not tags.in_sync and not tags.automatic
    protection = drifts["deletion-protection"]
    assert (protection.source_value, protection.restored_value) == ("off at deletion", "off")
    assert protection.action == "turn on (recommended after an accidental delete)"
    assert protection.to_apply


def test_once_applied_everything_but_the_tags_is_in_sync_and_set_tags_count() -> None:
    source = settings_from_backup(DEVICES, description(features=FEATURES))
    restored = TableSettings(
        table=DEVICES,
        pitr_enabled=True,
        recovery_period_days=35,
        ttl_status="ENABLED",
        ttl_attribute="expires_at",
        stream_enabled=True,
        stream_view_type="NEW_AND_OLD_IMAGES",
        deletion_protection=True,
    )
    drifts = plan_drift(source, restored)
    assert [d.setting for d in drifts if not d.in_sync] == ["tags"]
    tagged = replace(restored, tags=(("project", "lee"),))
    assert all(d.in_sync for d in plan_drift(source, tagged))
    assert by_setting(plan_drift(source, tagged))["tags"].source_value == UNKNOWN


def test_no_ttl_or_stream_in_the_features_means_off() -> None:
    features = {"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}
    source = settings_from_backup(DEVICES, description(features=features))
    assert not source.ttl_on and not source.stream_enabled
    drifts = by_setting(plan_drift(source, TableSettings(table=DEVICES)))
    assert drifts["ttl"].in_sync and drifts["stream"].in_sync
    assert index_names(description(features=features)) == []


def test_without_feature_details_ttl_and_stream_are_unknown() -> None:
    source = settings_from_backup(DEVICES, description(features=None))
    assert source.backup is not None and source.backup.unknown == {"tags", "ttl", "stream"}
    drifts = by_setting(plan_drift(source, TableSettings(table=DEVICES)))
    for setting in ("ttl", "stream"):
        assert drifts[setting].source_value == UNKNOWN and not drifts[setting].automatic


def test_a_user_backup_leaves_pitr_unknown() -> None:
    source = settings_from_backup(DEVICES, description("nightly", "USER", FEATURES))
    backup = source.backup
    assert backup is not None and not backup.deleted_table
    assert not source.pitr_enabled and backup.assumed == frozenset()
    assert "pitr" in backup.unknown
    drifts = by_setting(plan_drift(source, TableSettings(table=DEVICES)))
    assert drifts["pitr"].source_value == UNKNOWN and not drifts["pitr"].automatic
    assert drifts["deletion-protection"].source_value == UNKNOWN
    assert drifts["deletion-protection"].to_apply  # still recommended on
    on = plan_drift(source, TableSettings(table=DEVICES, pitr_enabled=True))
    assert by_setting(on)["pitr"].in_sync


def test_scaling_and_alarms_kept_by_name_are_in_sync_under_the_same_name() -> None:
    target = ScalableTarget("table", "dynamodb:table:ReadCapacityUnits", 5, 500)
    spec = canonical({"Dimensions": [{"Name": "TableName", "Value": DEVICES}]})
    alarm = Alarm("read-throttles", spec)  # its name does not mention the table
    assert copied_alarm(alarm, DEVICES, DEVICES) == alarm
    source = replace(
        settings_from_backup(DEVICES, description(features=FEATURES)),
        scalable_targets=(target,),
        alarms=(alarm,),
    )
    restored = TableSettings(table=DEVICES, scalable_targets=(target,), alarms=(alarm,))
    drifts = by_setting(plan_drift(source, restored))
    assert drifts["scaling-target table dynamodb:table:ReadCapacityUnits"].in_sync
    assert drifts["alarm read-throttles"].in_sync
