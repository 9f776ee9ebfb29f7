"""Which table a journal's incident is about, and which restores are find-good probes (not the
incident's restores): what the fold needs before it reads the first event."""

from __future__ import annotations

from collections.abc import Sequence

from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.facts import str_field


def incident_table(events: Sequence[JournalEvent]) -> str | None:
    """The table the incident is about: the last one declared, else the source of the first
    restore that is not a find-good probe."""
    declared: str | None = None
    restored: str | None = None
    probes = probe_targets(events)
    for event in events:
        if event.kind == Kind.INCIDENT_DECLARED:
            declared = str_field(event.data, "table") or declared
        elif (
            event.kind == Kind.RESTORE_STARTED
            and restored is None
            and str_field(event.data, "target") not in probes
        ):
            restored = str_field(event.data, "source")
    return declared or restored


def probe_targets(events: Sequence[JournalEvent]) -> set[str]:
    return {
        target
        for event in events
        if event.kind == Kind.PROBE and (target := str_field(event.data, "target"))
    }
