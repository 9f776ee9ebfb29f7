"""Restores still running when the console starts: from the journals (restores this console
started) and from DescribeTable's RestoreSummary (any restore, whoever started it).

A journaled restore whose target exists but is no longer restoring, with no restore-finished
in the journal (the console quit after the table became ACTIVE but before journaling the
finish), is returned too, with ``still_restoring`` false: following it again finds it done and
journals its finish. A journal entry that cannot be read (an unknown restore kind, a bad time)
is skipped: the dashboard loader must not fail on it.

A process killed after AWS accepted a restore but before it journaled ``restore-started`` left
only the call's own record (``aws-call`` RestoreTableToPointInTime / RestoreTableFromBackup,
journaled before it was sent): such a restore is returned with ``start_journaled`` false, if its
target exists as a restore of that source; whoever follows it journals its start late."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from lee_console.core.journal import JournalEvent
from lee_console.core.pitr import TableSummary
from lee_console.core.restore import RestoreKind, RestoreRequest


@dataclass(frozen=True)
class InFlightRestore:
    request: RestoreRequest
    started_at: datetime
    source_of_truth: str  # "journal" or "RestoreSummary"
    # False: the target exists and is no longer restoring, but the journal has no finish.
    still_restoring: bool = True
    # False: only the restore call is journaled (the process died before restore-started).
    start_journaled: bool = True


def _started_request(event: JournalEvent, target: str) -> RestoreRequest | None:
    """The request of a restore-started event; None when a field cannot be read."""
    point = event.data.get("restore_point")
    try:
        kind = RestoreKind(event.data.get("restore_kind", RestoreKind.POINT_IN_TIME.value))
        restore_point = (
            datetime.fromisoformat(point.replace("Z", "+00:00")) if isinstance(point, str) else None
        )
    except (ValueError, TypeError):
        return None
    return RestoreRequest(
        kind=kind,
        source_table=str(event.data.get("source", "?")),
        target_table=target,
        restore_point=restore_point,
    )


_RESTORE_CALLS = ("RestoreTableToPointInTime", "RestoreTableFromBackup")
_PROBE_KINDS = ("probe-starting", "probe")


def _called_request(event: JournalEvent) -> RestoreRequest | None:
    """The request of a journaled restore call (its parameters as sent); None if unreadable."""
    params = event.data.get("params")
    if event.data.get("operation") not in _RESTORE_CALLS or not isinstance(params, dict):
        return None
    target, backup = params.get("TargetTableName"), params.get("BackupArn")
    if not isinstance(target, str) or not target:
        return None
    if isinstance(backup, str):
        source = _table_of_arn(backup) or "?"
        return RestoreRequest(RestoreKind.BACKUP, source, target, None, backup_arn=backup)
    named, point = params.get("SourceTableName"), params.get("RestoreDateTime")
    try:
        moment = datetime.fromisoformat(point.replace("Z", "+00:00")) if point else None
    except (AttributeError, ValueError, TypeError):
        return None
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    kind = RestoreKind.POINT_IN_TIME if moment else RestoreKind.LATEST
    return RestoreRequest(kind, named if isinstance(named, str) else "?", target, moment)


def _table_of_arn(arn: str) -> str | None:
    """``arn:...:table/NAME`` or ``arn:...:table/NAME/backup/ID`` -> NAME."""
    _, found, rest = arn.partition(":table/")
    name = rest.split("/", 1)[0]
    return name if found and name else None


def unfinished_in_journal(events: Iterable[JournalEvent]) -> dict[str, InFlightRestore]:
    """restore-started events with no restore-finished for the same target, by target, and
    restore calls with neither (``start_journaled`` false; find-good's probes left out). An
    entry that cannot be read is skipped."""
    open_restores: dict[str, InFlightRestore] = {}
    probes: set[str] = set()
    for event in events:
        if event.kind == "aws-call":
            request = _called_request(event)
            if request is not None and request.target_table not in probes:
                entry = InFlightRestore(request, event.at, "journal", start_journaled=False)
                open_restores.setdefault(request.target_table, entry)
            continue
        target = event.data.get("target")
        if not isinstance(target, str):
            continue
        if event.kind in _PROBE_KINDS:
            probes.add(target)
            known = open_restores.get(target)
            if known is not None and not known.start_journaled:
                del open_restores[target]
        elif event.kind == "restore-started":
            request = _started_request(event, target)
            if request is not None:
                open_restores[target] = InFlightRestore(request, event.at, "journal")
        elif event.kind in ("restore-finished", "restore-failed"):
            open_restores.pop(target, None)
    return open_restores


def in_flight_restores(
    tables: Iterable[TableSummary], journal_events: Iterable[JournalEvent]
) -> list[InFlightRestore]:
    """Journal entries whose target exists (``still_restoring`` says whether it is restoring
    now), plus restoring tables the journals do not know (started elsewhere; their creation time
    is the start). A journal entry whose target no longer exists is not returned (a drill
    sandbox that was reset, a table deleted since)."""
    by_table = {table.name: table for table in tables}
    found = {
        target: entry
        for target, entry in unfinished_in_journal(journal_events).items()
        if target in by_table and (entry.start_journaled or _restore_of(by_table[target], entry))
    }
    result = [
        replace(entry, still_restoring=by_table[target].restoring)
        for target, entry in found.items()
    ]
    for table in by_table.values():
        if not table.restoring or table.name in found or table.restore is None:
            continue
        source = (table.restore.source_table_arn or "?").rsplit("/", 1)[-1]
        request = RestoreRequest(
            kind=RestoreKind.POINT_IN_TIME
            if table.restore.source_backup_arn is None
            else RestoreKind.BACKUP,
            source_table=source,
            target_table=table.name,
            restore_point=table.restore.restore_point,
            backup_arn=table.restore.source_backup_arn,
        )
        started = table.created or table.restore.restore_point
        if started is not None:
            result.append(InFlightRestore(request, started, "RestoreSummary"))
    return result


def _restore_of(table: TableSummary, entry: InFlightRestore) -> bool:
    """The table is a restore of the journaled call's source (it landed), not a table of the
    same name that was there before (the call then failed)."""
    info = table.restore
    if info is None:
        return False
    arn = info.source_backup_arn or info.source_table_arn
    request = entry.request
    if request.backup_arn is not None:
        return info.source_backup_arn == request.backup_arn
    return arn is not None and _table_of_arn(arn) == request.source_table
