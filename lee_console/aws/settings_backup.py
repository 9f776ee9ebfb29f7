"""The source settings of a restore when the source table is gone: read from its backup.

After an accidental delete the table is restored from the SYSTEM backup AWS kept
(``TABLE$DeletedTableBackup``), usually under its own name, so SOURCE no longer exists (or is
RESTORED itself). ``read_source_settings`` then takes the source settings from the backup the
restored table came from (its RestoreSummary.SourceBackupArn), or from a backup named with
``backup_arn``; core.drift_backup says what the backup records and what is assumed or
unknown. Auto scaling and CloudWatch alarms are keyed by the table name and outlive the
table in AWS, so they are read for the name.

For the UI: returns data and prints nothing; call it from a thread worker.
"""

from __future__ import annotations

from dataclasses import replace

from lee_console.aws.restore import describe_backup, find_deleted_table_backup
from lee_console.aws.session import Aws
from lee_console.aws.settings import read_alarms, read_scaling, read_settings
from lee_console.aws.tables import describe_table_raw
from lee_console.core.drift import TableSettings
from lee_console.core.drift_backup import backup_table_name, index_names, settings_from_backup
from lee_console.core.errors import BackupNotFound, InvalidInput, TableNotFound


def read_backup_settings(aws: Aws, table: str, backup_arn: str) -> TableSettings:
    """``table``'s settings as the backup records them, with the auto scaling targets and
    policies and the alarms that exist now for the table's name."""
    description = describe_backup(aws, backup_arn)
    owner = backup_table_name(description) or table
    if owner != table:
        raise InvalidInput(f"Backup {backup_arn} is a backup of {owner}, not of {table}.")
    settings = settings_from_backup(table, description)
    targets, policies = read_scaling(aws, table, index_names(description))
    return replace(
        settings,
        scalable_targets=targets,
        scaling_policies=policies,
        alarms=read_alarms(aws, table),
    )


def restored_from_backup_of(aws: Aws, source: str, restored: str) -> str | None:
    """The ARN of the backup of ``source`` that ``restored`` was restored from: its
    RestoreSummary.SourceBackupArn, or, for a point-in-time restore of ``source`` after it was
    deleted, ``source``'s deleted-table SYSTEM backup. None when it was restored otherwise."""
    summary = describe_table_raw(aws, restored).get("RestoreSummary") or {}
    arn = summary.get("SourceBackupArn")
    if arn:
        return str(arn) if f":table/{source}/backup/" in str(arn) else None
    if str(summary.get("SourceTableArn", "")).endswith(f":table/{source}"):
        try:
            return str(find_deleted_table_backup(aws, source)["BackupArn"])
        except BackupNotFound:
            return None
    return None


def read_source_settings(
    aws: Aws, source: str, restored: str, backup_arn: str | None = None
) -> TableSettings:
    """SOURCE's settings, from the table while it exists, else from a backup of it:
    ``backup_arn`` when given; else, when SOURCE is gone or is RESTORED itself, the backup of
    SOURCE that RESTORED was restored from."""
    if backup_arn:
        return read_backup_settings(aws, source, backup_arn)
    if source != restored:
        try:
            return read_settings(aws, source)
        except TableNotFound as gone:
            arn = restored_from_backup_of(aws, source, restored)
            if arn is None:
                raise TableNotFound(
                    f"{gone.message} {restored} was not restored from a backup of {source}; "
                    "pass --from-backup ARN to take the source settings from a backup."
                ) from None
            return read_backup_settings(aws, source, arn)
    arn = restored_from_backup_of(aws, source, restored)
    if arn is None:
        raise InvalidInput(
            f"SOURCE and RESTORED are the same table ({source}) and it was not restored from a "
            "backup of itself: there is no source to compare with (pass --from-backup ARN)."
        )
    return read_backup_settings(aws, source, arn)
