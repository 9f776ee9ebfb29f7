"""AWS response shapes turned into core models."""

from __future__ import annotations

from typing import Any

from lee_console.core.pitr import PitrWindow, RestoreInfo, TableSummary


def pitr_window(response: dict[str, Any]) -> PitrWindow:
    description = response.get("ContinuousBackupsDescription", {})
    pitr = description.get("PointInTimeRecoveryDescription", {})
    enabled = pitr.get("PointInTimeRecoveryStatus") == "ENABLED"
    if not enabled:
        return PitrWindow(enabled=False)
    return PitrWindow(
        enabled=True,
        earliest=pitr.get("EarliestRestorableDateTime"),
        latest=pitr.get("LatestRestorableDateTime"),
        recovery_period_days=pitr.get("RecoveryPeriodInDays", 35),
    )


def restore_info(table: dict[str, Any]) -> RestoreInfo | None:
    summary = table.get("RestoreSummary")
    if not summary:
        return None
    return RestoreInfo(
        in_progress=bool(summary.get("RestoreInProgress")),
        restore_point=summary.get("RestoreDateTime"),
        source_table_arn=summary.get("SourceTableArn"),
        source_backup_arn=summary.get("SourceBackupArn"),
    )


def table_summary(table: dict[str, Any], pitr: PitrWindow) -> TableSummary:
    billing = table.get("BillingModeSummary", {}).get("BillingMode", "PROVISIONED")
    return TableSummary(
        name=table["TableName"],
        status=table.get("TableStatus", "?"),
        item_count=int(table.get("ItemCount", 0)),
        size_bytes=int(table.get("TableSizeBytes", 0)),
        deletion_protection=bool(table.get("DeletionProtectionEnabled", False)),
        billing_mode=billing,
        pitr=pitr,
        arn=table.get("TableArn", ""),
        restore=restore_info(table),
        created=table.get("CreationDateTime"),
    )
