"""Restores still running when the console starts: from the journals (restores this console
started) and from DescribeTable's RestoreSummary (any restore, whoever started it).

A journaled restore whose target exists but is no longer restoring, with no restore-finished
in the journal (the console quit after the table became ACTIVE but before journaling the
finish), is returned too, with ``still_restoring`` false: following it again finds it done and
journals its finish. A journal entry that cannot be read (an unknown restore kind, a bad time)
is skipped: the dashboard loader must not fail on it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

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


def unfinished_in_journal(events: Iterable[JournalEvent]) -> dict[str, InFlightRestore]:
    """restore-started events with no restore-finished for the same target, by target. An
    entry that cannot be read is skipped."""
    open_restores: dict[str, InFlightRestore] = {}
    for event in events:
        target = event.data.get("target")
        if not isinstance(target, str):
            continue
        if event.kind == "restore-started":
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
    found = unfinished_in_journal(journal_events)
    result = [
        replace(entry, still_restoring=by_table[target].restoring)
        for target, entry in found.items()
        if target in by_table
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
