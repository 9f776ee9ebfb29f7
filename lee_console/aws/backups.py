"""On-demand backups: create, list, delete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from lee_console.aws.errors import translate
from lee_console.aws.session import Aws
from lee_console.core.views import BackupSummary


def _summary(raw: dict[str, Any]) -> BackupSummary:
    return BackupSummary(
        arn=raw["BackupArn"],
        name=raw.get("BackupName", ""),
        table=raw.get("TableName", ""),
        created=raw["BackupCreationDateTime"],
        status=raw.get("BackupStatus", "?"),
        backup_type=raw.get("BackupType", "USER"),
        size_bytes=int(raw.get("BackupSizeBytes", 0)),
    )


def list_backups(
    aws: Aws, table: str | None = None, backup_type: str = "ALL"
) -> list[BackupSummary]:
    params: dict[str, Any] = {"BackupType": backup_type}
    if table:
        params["TableName"] = table
    try:
        found: list[BackupSummary] = []
        for page in aws.dynamodb.get_paginator("list_backups").paginate(**params):
            found.extend(_summary(raw) for raw in page.get("BackupSummaries", []))
    except Exception as error:
        raise translate(error, f"list the backups of {table or 'the account'}") from None
    return sorted(found, key=lambda backup: backup.created)


def create_backup(aws: Aws, table: str, now: datetime) -> BackupSummary:
    name = f"{table}-backup-{now.astimezone(UTC):%Y%m%d-%H%M%S}"
    try:
        details = aws.dynamodb.create_backup(TableName=table, BackupName=name)["BackupDetails"]
    except Exception as error:
        raise translate(error, f"create a backup of {table}") from None
    return _summary({**details, "TableName": table})


def delete_backup(aws: Aws, arn: str) -> None:
    try:
        aws.dynamodb.delete_backup(BackupArn=arn)
    except Exception as error:
        raise translate(error, f"delete backup {arn}") from None


def expired_user_backups(
    backups: list[BackupSummary], retention_days: int, now: datetime
) -> list[BackupSummary]:
    """USER backups older than the retention: the only ones cleanup ever deletes."""
    cutoff = now - timedelta(days=retention_days)
    return [b for b in backups if b.backup_type == "USER" and b.created < cutoff]
