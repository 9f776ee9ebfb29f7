"""What the journal says about an incident: the table, the damage, the restore that counts,
its verification and settings, the cutover, the repair, the operator's confirmations, notes
and commands. The report and the runbook are both views of these facts; report/fold.py builds
them from the events.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lee_console.core.journal import JournalEvent, plausible_time
from lee_console.core.settings_runs import InterruptedApply


def time_field(data: Mapping[str, Any], key: str) -> datetime | None:
    """A datetime (in memory) or an ISO-8601 string (from the file) with a zone, in the years a
    journal can mean (core/journal.py plausible_time); anything else is None."""
    value = data.get(key)
    if isinstance(value, str) and value:
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return value if isinstance(value, datetime) and plausible_time(value) else None


def int_field(data: Mapping[str, Any], key: str) -> int | None:
    """A count: a finite number, anything else (true, "5", NaN, 1e309) is None."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return int(value)


def str_field(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def occurred(event: JournalEvent) -> datetime:
    """When it happened: ``occurred_at`` when the operator journaled it later, else ``at``."""
    return time_field(event.data, "occurred_at") or event.at


@dataclass(frozen=True)
class Restore:
    source: str | None
    target: str
    restore_point: datetime | None
    kind: str | None
    started_at: datetime | None
    seq: int  # index of the event that started (or first named) it
    finished_at: datetime | None = None  # when the journal learnt it had finished
    item_count: int | None = None
    item_count_exact: bool = True  # False: DescribeTable's ItemCount, approximate
    failed_at: datetime | None = None
    error: str | None = None
    end_observed: bool = True  # False: it finished while no console watched (finished_at is
    #   then only an upper bound: when a relaunch found it ACTIVE)


@dataclass(frozen=True)
class Verification:
    table: str | None
    against: str | None
    passed: bool
    at: datetime
    seq: int
    violations: int | None  # items of the checked (restored) table breaking the rules
    item_counts: tuple[tuple[str, int], ...]
    legit_writes_after: int | None
    damaged: int | None = None  # the diff's damaged items (restored passes, live does not)
    live_violations: int | None = None  # items of the live table breaking the rules


@dataclass(frozen=True)
class SettingsApplied:
    target: str | None
    settings: tuple[str, ...]
    holds: bool | None
    at: datetime
    seq: int
    errors: tuple[str, ...] = ()  # "setting: sentence" for each setting that failed
    # Settings an interrupted apply had made, found holding by this one before it changed
    # anything (core/settings_runs.py), and when that apply started.
    earlier: tuple[str, ...] = ()
    earlier_at: datetime | None = None


@dataclass(frozen=True)
class Cutover:
    strategy: str  # repoint | repair
    live: str | None
    restored: str | None
    at: datetime
    seq: int
    changes: tuple[str, ...]
    legit_writes_after: int | None
    cutover_id: str | None = None
    complete: bool | None = None  # False: some references failed to change
    failed: int = 0
    rolled_back_at: datetime | None = None
    partly_rolled_back_at: datetime | None = None  # a rollback that left references behind
    left: tuple[str, ...] = ()  # those references, still on the restored table
    via: str | None = None  # "export": repaired from incremental exports, no restore


@dataclass(frozen=True)
class Repair:
    live: str | None
    restored: str | None
    repaired: int
    skipped: int
    left: int | None
    batches: int
    finished_at: datetime | None
    at: datetime
    seq: int
    complete: bool | None = None  # repair-finished: False when items were left (resumable)
    damaged: int | None = None
    legit_writes_after: int | None = None

    @property
    def done(self) -> bool:
        """Finished with nothing left: the live table is repaired."""
        return self.finished_at is not None and self.complete is not False


@dataclass(frozen=True)
class Mark:
    """An explicit runbook-step event: the operator (or the UI) set a step's state."""

    step: str
    state: str
    reason: str | None
    at: datetime
    seq: int


@dataclass(frozen=True)
class Override:
    step: str
    reason: str | None
    typed: str | None
    target: str | None
    at: datetime
    seq: int


@dataclass(frozen=True)
class Entry:
    """A note, a decision or an AWS command line, for the report."""

    at: datetime
    kind: str
    text: str
    identity: str | None = None


@dataclass(frozen=True)
class IncidentFacts:
    table: str | None = None
    damage_start: datetime | None = None
    detected_at: datetime | None = None
    declared_at: datetime | None = None
    rto_clock: str | None = None
    restores: tuple[Restore, ...] = ()  # this table's restores, in start order
    current: str | None = None  # target of the restore that counts
    verifications: tuple[Verification, ...] = ()
    settings: tuple[SettingsApplied, ...] = ()
    settings_interrupted: tuple[InterruptedApply, ...] = ()  # applies with no outcome
    cutover: Cutover | None = None
    cutover_started_at: datetime | None = None  # a repoint begun and not yet journaled done
    cutover_started_id: str | None = None  # its cutover id
    rolled_back: tuple[Cutover, ...] = ()
    repair: Repair | None = None
    service_confirmed_at: datetime | None = None
    closed_at: datetime | None = None
    marks: tuple[Mark, ...] = ()
    overrides: tuple[Override, ...] = ()
    notes: tuple[Entry, ...] = ()
    commands: tuple[Entry, ...] = ()
    aws_errors: int = 0
    event_count: int = 0
    last_seq: Mapping[str, int] = field(default_factory=dict)  # kind -> last event that counted
    first_at: datetime | None = None
    last_at: datetime | None = None

    @property
    def restore(self) -> Restore | None:
        """The restore that counts: the one cut over from, else the latest started."""
        return next((r for r in self.restores if r.target == self.current), None)

    @property
    def verification(self) -> Verification | None:
        """The latest verification of the restore that counts."""
        restore = self.restore
        if restore is None:
            return None
        found = [v for v in self.verifications if restore.target in (v.table, v.against)]
        return found[-1] if found else None

    @property
    def settings_for_restore(self) -> tuple[SettingsApplied, ...]:
        restore = self.restore
        if restore is None:
            return ()
        return tuple(s for s in self.settings if s.target in (None, restore.target))

    @property
    def settings_interrupted_for_restore(self) -> tuple[InterruptedApply, ...]:
        restore = self.restore
        if restore is None:
            return ()
        return tuple(run for run in self.settings_interrupted if run.target == restore.target)

    def override_for(self, step: str) -> Override | None:
        """The latest override of ``step`` made for the restore that counts (an override
        typed for an earlier restore does not carry over to a new one)."""
        restore = self.restore
        since = restore.seq if restore else -1
        found = [
            o
            for o in self.overrides
            if o.step == step
            and o.seq > since
            and (o.target is None or restore is None or o.target == restore.target)
        ]
        return found[-1] if found else None
