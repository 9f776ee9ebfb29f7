"""Everything the dashboard shows, read in one go (called from a UI worker thread)."""

from __future__ import annotations

from datetime import datetime

from lee_console.aws.inventory import inventory
from lee_console.aws.session import Aws
from lee_console.core.errors import LeeError
from lee_console.core.estimate import PastRestore
from lee_console.core.inflight import in_flight_restores
from lee_console.core.journal import JournalEvent
from lee_console.core.views import DashboardData, Identity
from lee_console.store.journal_file import list_incidents, read_journal


def load_identity(aws: Aws) -> Identity:
    try:
        return Identity(account=aws.account(), arn=aws.identity())
    except LeeError:
        return Identity(account="?", arn="unknown caller (sts get-caller-identity failed)")


def journal_events(aws: Aws) -> list[JournalEvent]:
    """Every event of every incident journal, oldest journal first."""
    if aws.journal is None:
        return []
    directory = aws.journal.path.parent
    events: list[JournalEvent] = []
    for incident in list_incidents(directory):
        events.extend(read_journal(directory / f"{incident}.jsonl"))
    return events


def past_restores(events: list[JournalEvent]) -> tuple[PastRestore, ...]:
    found = []
    for event in events:
        if event.kind != "restore-finished":
            continue
        duration = event.data.get("duration_seconds")
        size = event.data.get("source_size_bytes", 0)
        if isinstance(duration, int | float) and isinstance(size, int):
            found.append(PastRestore(size_bytes=size, duration_seconds=float(duration)))
    return tuple(found)


def load_dashboard(aws: Aws, tables: tuple[str, ...], now: datetime) -> DashboardData:
    summaries, deleted = inventory(aws, tables or None)
    events = journal_events(aws)
    return DashboardData(
        tables=tuple(summaries),
        loaded_at=now,
        deleted=tuple(deleted),
        in_flight=tuple(in_flight_restores(summaries, events)),
        past_restores=past_restores(events),
    )
