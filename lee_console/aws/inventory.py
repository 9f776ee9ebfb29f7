"""Which tables there are: the ones that exist, and the deleted ones AWS can still restore
(a table deleted with PITR on leaves a `TABLE$DeletedTableBackup` SYSTEM backup)."""

from __future__ import annotations

from lee_console.aws.backups import list_backups
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_tables, list_table_names
from lee_console.core.errors import TableNotFound
from lee_console.core.pitr import TableSummary
from lee_console.core.views import BackupSummary, OnTable


def inventory(
    aws: Aws, wanted: tuple[str, ...] | None, on_table: OnTable | None = None
) -> tuple[list[TableSummary], list[BackupSummary]]:
    """The existing tables (``wanted`` or all) described, and the newest deleted-table backup
    of each table that is gone. A wanted table that is neither is an error. ``on_table`` is
    told of each table as it is described."""
    present = set(list_table_names(aws))
    names = [name for name in wanted if name in present] if wanted else sorted(present)
    newest: dict[str, BackupSummary] = {}
    for backup in list_backups(aws, None, backup_type="SYSTEM"):
        if not backup.of_deleted_table or backup.table in present:
            continue
        if wanted and backup.table not in wanted:
            continue
        if backup.table not in newest or backup.created > newest[backup.table].created:
            newest[backup.table] = backup
    unknown = [name for name in wanted or () if name not in present and name not in newest]
    if unknown:
        raise TableNotFound(
            f"Table {unknown[0]} does not exist in {aws.where} and has no deleted-table backup; "
            "`lee-console status` lists the tables there."
        )
    deleted = sorted(newest.values(), key=lambda backup: backup.table)
    return describe_tables(aws, names, on_table), deleted
