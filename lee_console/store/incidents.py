"""The incidents in the state dir: their ids, which are open, and new ids that are never reused.

An id is ``<kind>-<UTC second>-<4 hex>`` (``adhoc-20261202T035900Z-3f9a``): readable, sortable
by start, and unique even for two drills started in the same second. A journal file is created
by its first event, so an id that is chosen but never written leaves nothing behind.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lee_console.core.journal import Kind
from lee_console.store.journal_file import SUFFIX, JournalReader, list_incidents

ADHOC = "adhoc"  # against AWS (or any --endpoint-url)
DRILL = "drill"  # against the drill sandbox of --sandbox


def journals_dir(state: Path) -> Path:
    return state / "journals"


def new_incident_id(directory: Path, kind: str, now: datetime | None = None) -> str:
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    while True:
        incident = f"{kind}-{moment:%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"
        if not (directory / f"{incident}{SUFFIX}").exists():
            return incident


@dataclass(frozen=True)
class IncidentState:
    incident: str
    table: str | None  # the declared table (the last declaration)
    declared: bool
    closed_at: datetime | None
    first_at: datetime | None
    last_at: datetime | None
    events: int

    @property
    def open(self) -> bool:
        return self.closed_at is None

    @property
    def state(self) -> str:
        return "open" if self.open else "closed"


def incident_state(directory: Path, incident: str) -> IncidentState | None:
    """What the journal of ``incident`` says about it; None when it has no journal."""
    path = directory / f"{incident}{SUFFIX}"
    if not path.exists():
        return None
    reader = JournalReader(path)
    reader.refresh()
    events = reader.events
    table: str | None = None
    declared = False
    for event in events:
        if event.kind == Kind.INCIDENT_DECLARED:
            declared = True
            raw = event.data.get("table")
            table = raw if isinstance(raw, str) else table
    return IncidentState(
        incident,
        table,
        declared,
        reader.closed_at,
        events[0].at if events else None,
        events[-1].at if events else None,
        len(events),
    )


def incident_states(directory: Path) -> list[IncidentState]:
    found = (incident_state(directory, name) for name in list_incidents(directory))
    return [state for state in found if state is not None]


def open_incidents(directory: Path, kind: str) -> list[IncidentState]:
    """The open incidents of this kind (adhoc or drill), oldest first."""
    prefix = f"{kind}-"
    return [s for s in incident_states(directory) if s.open and s.incident.startswith(prefix)]
