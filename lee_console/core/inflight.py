"""Restores still running when the console starts: from the journals (restores this console
started) and from DescribeTable's RestoreSummary (any restore, whoever started it)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from lee_console.core.journal import JournalEvent
from lee_console.core.pitr import TableSummary
from lee_console.core.restore import RestoreKind, RestoreRequest


@dataclass(frozen=True)
class InFlightRestore:
    request: RestoreRequest
    started_at: datetime
    source_of_truth: str  # "journal" or "RestoreSummary"


def unfinished_in_journal(events: Iterable[JournalEvent]) -> dict[str, InFlightRestore]:
    """restore-started events with no restore-finished for the same target, by target."""
    open_restores: dict[str, InFlightRestore] = {}
    for event in events:
        target = event.data.get("target")
        if not isinstance(target, str):
            continue
        if event.kind == "restore-started":
            point = event.data.get("restore_point")
            request = RestoreRequest(
                kind=RestoreKind(event.data.get("restore_kind", RestoreKind.POINT_IN_TIME.value)),
                source_table=str(event.data.get("source", "?")),
                target_table=target,
                restore_point=datetime.fromisoformat(point.replace("Z", "+00:00"))
                if isinstance(point, str)
                else None,
            )
            open_restores[target] = InFlightRestore(request, event.at, "journal")
        elif event.kind in ("restore-finished", "restore-failed"):
            open_restores.pop(target, None)
    return open_restores


def in_flight_restores(
    tables: Iterable[TableSummary], journal_events: Iterable[JournalEvent]
) -> list[InFlightRestore]:
    """Journal entries whose target is still restoring, plus restoring tables the journals do
    not know (started elsewhere; their creation time is the start). A journal entry whose target
    no longer exists is not in flight (a drill sandbox that was reset, a table deleted since)."""
    by_table = {table.name: table for table in tables}
    found = unfinished_in_journal(journal_events)
    result = [
        entry
        for target, entry in found.items()
        if target in by_table and by_table[target].restoring
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
