"""Which tables there are: the ones that exist, and the deleted ones AWS can still restore
(a table deleted with PITR on leaves a `TABLE$DeletedTableBackup` SYSTEM backup)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from lee_console.aws.backups import list_backups
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_outcomes, describe_tables, list_table_names
from lee_console.core.errors import LeeError, TableNotFound
from lee_console.core.pitr import TableSummary
from lee_console.core.views import BackupSummary, OnTable


def inventory(
    aws: Aws, wanted: tuple[str, ...] | None, on_table: OnTable | None = None
) -> tuple[list[TableSummary], list[BackupSummary]]:
    """The existing tables (``wanted`` or all) described, and the newest deleted-table backup
    of each table that is gone. A wanted table that is neither is an error. ``on_table`` is
    told of each table as it is described. The backups are listed while the tables are
    described (the dashboard's first row does not wait for ListBackups' pages).

    Named tables asked for without ``on_table`` (status --tables): _named_tables. The dashboard
    (``on_table``) always lists first: a row it was told of is not taken back."""
    if wanted and on_table is None:
        return _named_tables(aws, wanted)
    present = set(list_table_names(aws))
    names = [name for name in wanted if name in present] if wanted else sorted(present)
    if wanted and len(names) == len(wanted):  # all there: no deleted one to look for
        return describe_tables(aws, names, on_table), []
    with ThreadPoolExecutor(max_workers=1) as pool:
        listing = pool.submit(_deleted_backups, aws, present, wanted)
        if wanted and len(names) < len(wanted):  # an unknown table: said before any describe
            _check_known(aws, wanted, present, listing.result())
        summaries = describe_tables(aws, names, on_table)
        newest = listing.result()
    _check_known(aws, wanted or (), present, newest)
    return summaries, sorted(newest.values(), key=lambda backup: backup.table)


def _named_tables(
    aws: Aws, wanted: tuple[str, ...]
) -> tuple[list[TableSummary], list[BackupSummary]]:
    """Described directly, as a script would, without ListTables; ListBackups only when one
    is not there, to find it among the deleted or to say it is unknown, before any other
    error. Every describe runs to its end: the error said does not depend on timing."""
    outcomes = describe_outcomes(aws, wanted).values()
    summaries = [outcome for outcome in outcomes if isinstance(outcome, TableSummary)]
    present = {summary.name for summary in summaries}
    newest: dict[str, BackupSummary] = {}
    if any(isinstance(outcome, TableNotFound) for outcome in outcomes):
        newest = _deleted_backups(aws, present, wanted)
        _check_known(aws, wanted, present, newest)
    for outcome in outcomes:
        if isinstance(outcome, LeeError) and not isinstance(outcome, TableNotFound):
            raise outcome
    return summaries, sorted(newest.values(), key=lambda backup: backup.table)


def _deleted_backups(
    aws: Aws, present: set[str], wanted: tuple[str, ...] | None
) -> dict[str, BackupSummary]:
    newest: dict[str, BackupSummary] = {}
    for backup in list_backups(aws, None, backup_type="SYSTEM"):
        if not backup.of_deleted_table or backup.table in present:
            continue
        if wanted and backup.table not in wanted:
            continue
        if backup.table not in newest or backup.created > newest[backup.table].created:
            newest[backup.table] = backup
    return newest


def _check_known(
    aws: Aws, wanted: tuple[str, ...], present: set[str], newest: dict[str, BackupSummary]
) -> None:
    unknown = [name for name in wanted if name not in present and name not in newest]
    if unknown:
        raise TableNotFound(
            f"Table {unknown[0]} does not exist in {aws.where} and has no deleted-table backup; "
            "`lee-console status` lists the tables there."
        )
