"""The source settings of a restore whose source table is gone, taken from its backup.

After an accidental delete the table is restored (usually under its own name) from the SYSTEM
backup AWS kept, ``TABLE$DeletedTableBackup``; there is no source table left to read settings
from. What stands in for it, setting by setting:

- TTL and stream: read from DescribeBackup's SourceTableFeatureDetails (the table's TTL and
  stream when the backup was taken). A description without SourceTableFeatureDetails leaves
  them unknown.
- PITR: a deleted-table SYSTEM backup exists only because PITR was on, so it was ENABLED; the
  recovery period is not recorded, so the AWS default of 35 days is *assumed*. For any other
  backup PITR is unknown.
- deletion protection: not in a backup. The table could be deleted, so it was off; turning it
  on is recommended after an accidental delete, and apply does that.
- tags: not in a backup: unknown, to be set by hand.
- auto scaling targets and policies and CloudWatch alarms are keyed by the table name and
  outlive the table in AWS: aws/settings_backup.py reads them for the name.

Pure: aws/settings_backup.py calls DescribeBackup and reads the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lee_console.core.drift import TableSettings

DELETED_TABLE_SUFFIX = "$DeletedTableBackup"
DEFAULT_RECOVERY_DAYS = 35
UNKNOWN = "unknown: not kept in the backup"


@dataclass(frozen=True)
class BackupSource:
    """Where a backup-made TableSettings came from, and which of its values are not read."""

    arn: str
    name: str
    backup_type: str  # USER | SYSTEM | AWS_BACKUP
    created: str
    assumed: frozenset[str] = frozenset()  # settings whose source value is assumed ("pitr")
    unknown: frozenset[str] = frozenset()  # settings the backup does not record ("tags", ...)

    @property
    def deleted_table(self) -> bool:
        """The SYSTEM backup AWS keeps when a table with PITR on is deleted."""
        return self.backup_type == "SYSTEM" and self.name.endswith(DELETED_TABLE_SUFFIX)

    def label(self) -> str:
        if self.deleted_table:
            return f"the deleted table's SYSTEM backup {self.name}"
        return f"the {self.backup_type} backup {self.name}"

    def note(self) -> str:
        """One sentence for the operator: the source, and what is assumed or unknown."""
        parts = [f"Source: {self.label()} of {self.created}"]
        if "pitr" in self.assumed:
            parts.append(f"PITR was on (recovery period assumed: {DEFAULT_RECOVERY_DAYS} days)")
        if self.unknown:
            parts.append(f"not kept in the backup: {', '.join(sorted(self.unknown))} (by hand)")
        return "; ".join(parts) + "."


def backup_table_name(description: dict[str, Any]) -> str:
    return str(description.get("SourceTableDetails", {}).get("TableName", ""))


def index_names(description: dict[str, Any]) -> list[str]:
    """The global secondary indexes the table had (auto scaling targets may name them)."""
    features = description.get("SourceTableFeatureDetails") or {}
    return [g["IndexName"] for g in features.get("GlobalSecondaryIndexes", []) if "IndexName" in g]


def settings_from_backup(table: str, description: dict[str, Any]) -> TableSettings:
    """The settings of ``table`` as its backup (a DescribeBackup BackupDescription) records
    them; auto scaling and alarms are left empty for the caller to read by name."""
    details = description.get("BackupDetails", {})
    name = str(details.get("BackupName", ""))
    backup_type = str(details.get("BackupType", "USER"))
    created = details.get("BackupCreationDateTime")
    deleted = backup_type == "SYSTEM" and name.endswith(DELETED_TABLE_SUFFIX)
    unknown = {"tags"}
    assumed = set()
    if deleted:
        assumed.add("pitr")
    else:
        unknown.add("pitr")
    features = description.get("SourceTableFeatureDetails")
    ttl: dict[str, Any] = {}
    stream: dict[str, Any] = {}
    if isinstance(features, dict):
        ttl = features.get("TimeToLiveDescription") or {}
        stream = features.get("StreamDescription") or {}
    else:
        unknown |= {"ttl", "stream"}
    stream_on = bool(stream.get("StreamEnabled"))
    source = BackupSource(
        arn=str(details.get("BackupArn", "")),
        name=name,
        backup_type=backup_type,
        created=created.isoformat() if hasattr(created, "isoformat") else str(created or "?"),
        assumed=frozenset(assumed),
        unknown=frozenset(unknown),
    )
    return TableSettings(
        table=table,
        pitr_enabled=deleted,
        recovery_period_days=None,  # not recorded; apply leaves AWS its default (35 days)
        ttl_status=str(ttl.get("TimeToLiveStatus", "DISABLED")),
        ttl_attribute=ttl.get("AttributeName"),
        tags=(),
        stream_enabled=stream_on,
        stream_view_type=stream.get("StreamViewType") if stream_on else None,
        deletion_protection=True,  # recommended on: see _protection in core.drift
        backup=source,
    )
