"""Everything the dashboard shows, read in one go (called from a UI worker thread)."""

from __future__ import annotations

from datetime import datetime

from lee_console.aws.inventory import inventory
from lee_console.aws.session import Aws
from lee_console.core.errors import LeeError
from lee_console.core.estimate import PastRestore, history_incidents
from lee_console.core.inflight import in_flight_restores
from lee_console.core.journal import JournalEvent
from lee_console.core.views import DashboardData, Identity, OnTable
from lee_console.store.journal_file import kept_events, list_incidents


def load_identity(aws: Aws) -> Identity:
    try:
        return Identity(account=aws.account(), arn=aws.identity())
    except LeeError:
        return Identity(account="?", arn="unknown caller (sts get-caller-identity failed)")


def incident_journals(aws: Aws) -> dict[str, list[JournalEvent]]:
    """Every incident journal's events, by incident, oldest journal first."""
    if aws.journal is None:
        return {}
    directory = aws.journal.path.parent
    return {
        incident: kept_events(directory / f"{incident}.jsonl")
        for incident in list_incidents(directory)
    }


def _events(journals: dict[str, list[JournalEvent]], incidents: list[str]) -> list[JournalEvent]:
    return [event for incident in incidents for event in journals[incident]]


def journal_events(aws: Aws) -> list[JournalEvent]:
    """Every event of every incident journal, oldest journal first."""
    journals = incident_journals(aws)
    return _events(journals, list(journals))


def history_events(aws: Aws) -> list[JournalEvent]:
    """The events of the journals whose restores may feed this incident's estimates: drill
    journals for a drill, the others otherwise (core.estimate.history_incidents)."""
    return _history(aws, incident_journals(aws))


def _history(aws: Aws, journals: dict[str, list[JournalEvent]]) -> list[JournalEvent]:
    if aws.journal is None:
        return []
    return _events(journals, history_incidents(aws.journal.incident, journals))


MAX_RESTORE_SECONDS = 30 * 86400  # a longer "restore" is a hand edit, not a measurement
MAX_TABLE_BYTES = 2**63


def past_restores(events: list[JournalEvent]) -> tuple[PastRestore, ...]:
    """Finished restores with a duration and a source size (a size of 0 or none is unknown: it
    would skew the estimate's size scaling)."""
    found = []
    for event in events:
        if event.kind != "restore-finished":
            continue
        duration = event.data.get("duration_seconds")
        size = event.data.get("source_size_bytes")
        if (
            isinstance(duration, int | float)
            and not isinstance(duration, bool)
            and 0 < duration < MAX_RESTORE_SECONDS
            and not isinstance(size, bool)
            and isinstance(size, int)
            and 0 < size < MAX_TABLE_BYTES
        ):
            found.append(PastRestore(size_bytes=size, duration_seconds=float(duration)))
    return tuple(found)


def load_dashboard(
    aws: Aws, tables: tuple[str, ...], now: datetime, on_table: OnTable | None = None
) -> DashboardData:
    """``on_table`` is told of each table as soon as it is described (the describes run
    concurrently, paced as aws/tables.py says), before the journals are read."""
    summaries, deleted = inventory(aws, tables or None, on_table)
    journals = incident_journals(aws)
    return DashboardData(
        tables=tuple(summaries),
        loaded_at=now,
        deleted=tuple(deleted),
        in_flight=tuple(in_flight_restores(summaries, _events(journals, list(journals)))),
        past_restores=past_restores(_history(aws, journals)),
    )
