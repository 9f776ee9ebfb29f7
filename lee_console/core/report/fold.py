"""The fold of an incident's journal into IncidentFacts.

It reads events in order and trusts only what they say: a missing field stays None, an unknown
kind or a value of the wrong type is ignored, and events about other tables (another incident's
restore, a find-good probe) do not move this incident's state.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.changes import as_list, change_text, left_text
from lee_console.core.report.facts import (
    Cutover,
    Entry,
    IncidentFacts,
    Mark,
    Override,
    Repair,
    Restore,
    SettingsApplied,
    Verification,
    int_field,
    occurred,
    str_field,
    time_field,
)
from lee_console.core.report.scope import incident_table, probe_targets
from lee_console.core.settings_runs import interrupted_applies

RTO_CLOCKS = ("damage", "detection")  # core/report.py RtoClock


@dataclass(frozen=True)
class _Event:
    seq: int  # position in the journal
    kind: str
    at: datetime  # when journaled
    when: datetime  # when it happened (occurred_at, else at)
    data: Mapping[str, Any]


@dataclass
class _Fold:
    table: str | None
    probes: set[str]
    facts: IncidentFacts = field(default_factory=IncidentFacts)
    # Lists that grow with the journal (commands, notes...), kept apart from the frozen facts
    # and joined once at the end, so a fold stays linear in the number of events.
    collected: dict[str, list[Any]] = field(default_factory=dict)
    took: bool = False

    def collect(self, name: str, item: Any) -> None:
        self.collected.setdefault(name, []).append(item)
        self.took = True

    def finish(self) -> IncidentFacts:
        grown: dict[str, Any] = {
            name: (*getattr(self.facts, name), *items) for name, items in self.collected.items()
        }
        return replace(self.facts, **grown)

    def ours(self, *names: str | None) -> bool:
        """False only when the event names tables and none of them is this incident's."""
        given = [name for name in names if name]
        if not given or self.table is None:
            return True
        restores = {r.target for r in self.facts.restores}
        return any(name == self.table or name in restores for name in given)

    def add(self, seq: int, event: JournalEvent) -> None:
        f = self.facts
        self.facts = replace(
            f, event_count=f.event_count + 1, first_at=f.first_at or event.at, last_at=event.at
        )
        handler = _HANDLERS.get(event.kind)
        if handler is None:
            return
        before, self.took = self.facts, False
        handler(self, _Event(seq, event.kind, event.at, occurred(event), event.data))
        if self.facts is not before or self.took:  # the handler took it: it is this incident's
            self.facts = replace(self.facts, last_seq={**self.facts.last_seq, event.kind: seq})

    def restore_event(self, e: _Event) -> None:
        target = str_field(e.data, "target")
        source = str_field(e.data, "source")
        if target is None or target in self.probes or str_field(e.data, "purpose") == "probe":
            return
        if self.table is not None and source is not None and source != self.table:
            return
        f = self.facts
        known = next((r for r in f.restores if r.target == target), None)
        if e.kind == Kind.RESTORE_STARTED or known is None:
            restore = Restore(
                source=source,
                target=target,
                restore_point=time_field(e.data, "restore_point"),
                kind=str_field(e.data, "restore_kind"),
                started_at=e.when if e.kind == Kind.RESTORE_STARTED else None,
                seq=e.seq,
            )
        else:
            restore = known
        if e.kind == Kind.RESTORE_FINISHED:
            restore = replace(
                restore,
                finished_at=e.when,
                end_observed=e.data.get("finished_unobserved") is not True,
                item_count=int_field(e.data, "item_count"),
                item_count_exact=e.data.get("item_count_exact") is not False,
                restore_point=time_field(e.data, "restore_point") or restore.restore_point,
                failed_at=None,
                error=None,
            )
        elif e.kind == Kind.RESTORE_FAILED:
            restore = replace(restore, failed_at=e.when, error=str_field(e.data, "error"))
        others = tuple(r for r in f.restores if r.target != target)
        current = f.current
        if f.cutover is None or current is None:
            current = target
        self.facts = replace(f, restores=(*others, restore), current=current)


def _declared(fold: _Fold, e: _Event) -> None:
    declared = str_field(e.data, "table")
    if fold.table is not None and declared is not None and declared != fold.table:
        return
    f = fold.facts
    fold.facts = replace(
        f,
        table=declared or f.table,
        damage_start=time_field(e.data, "damage_start") or f.damage_start,
        detected_at=time_field(e.data, "detected_at") or f.detected_at,
        declared_at=f.declared_at or e.at,
        rto_clock=clock if (clock := str_field(e.data, "rto_clock")) in RTO_CLOCKS else f.rto_clock,
    )


def _restore(fold: _Fold, e: _Event) -> None:
    fold.restore_event(e)


def _verified(fold: _Fold, e: _Event) -> None:
    """core/verify.py journals violations as {items, by_rule, against_items} and diff as the
    diff's counts (added, removed, changed, damaged, ...); a plain count is read too."""
    table, against = str_field(e.data, "table"), str_field(e.data, "against")
    if not fold.ours(table, against):
        return
    violations = e.data.get("violations")
    live_violations = None
    if isinstance(violations, dict):
        count = int_field(violations, "items")
        live_violations = int_field(violations, "against_items")
    elif isinstance(violations, list):
        count = len(violations)
    else:
        count = int_field(e.data, "violations")
    raw_counts = e.data.get("counts")
    counts = (
        tuple((str(k), v) for k, v in raw_counts.items() if isinstance(v, int))
        if isinstance(raw_counts, dict)
        else ()
    )
    diff = e.data.get("diff")
    diff = diff if isinstance(diff, dict) else {}
    damaged = int_field(diff, "damaged")
    legit = int_field(e.data, "legit_writes_after")
    if legit is None:
        legit = int_field(diff, "legit_writes_after")
    if legit is None and damaged is not None:
        moved = [int_field(diff, name) for name in ("added", "removed", "changed")]
        if all(n is not None for n in moved):
            legit = max(0, sum(n or 0 for n in moved) - damaged)
    verification = Verification(
        table, against, e.data.get("passed") is True, e.when, e.seq, count, counts, legit,
        damaged, live_violations,
    )  # fmt: skip
    fold.collect("verifications", verification)


def _settings(fold: _Fold, e: _Event) -> None:
    target = str_field(e.data, "target")
    if not fold.ours(target, str_field(e.data, "source")):
        return
    raw = e.data.get("settings")
    names = tuple(str(s) for s in raw) if isinstance(raw, list | tuple) else ()
    holds = e.data.get("holds")
    raw_errors = e.data.get("errors")
    errors = (
        tuple(f"{k}: {v}" for k, v in raw_errors.items()) if isinstance(raw_errors, dict) else ()
    )
    resumed = [r for r in as_list(e.data.get("resumed")) if isinstance(r, dict)]
    earlier = tuple(str(s) for r in resumed for s in as_list(r.get("held")))
    starts = [t for r in resumed if (t := time_field(r, "started_at")) is not None]
    applied = SettingsApplied(
        target, names, holds if isinstance(holds, bool) else None, e.when, e.seq, errors,
        earlier, min(starts, default=None),
    )  # fmt: skip
    fold.collect("settings", applied)


def _cutover(fold: _Fold, e: _Event) -> None:
    live, restored = str_field(e.data, "live"), str_field(e.data, "restored")
    if not fold.ours(live, restored):
        return
    f = fold.facts
    cutover_id = str_field(e.data, "cutover_id")
    if e.kind == Kind.CUTOVER_STARTED:
        fold.facts = replace(f, cutover_started_at=e.when, cutover_started_id=cutover_id)
        return
    if e.kind == Kind.CUTOVER_ROLLED_BACK:
        cut = f.cutover
        same = cut is not None and (cutover_id is None or cut.cutover_id in (None, cutover_id))
        if not same and _rolled_back_unfinished(fold, e, cutover_id):
            return
        if cut is not None and same and e.data.get("complete") is not False:
            fold.facts = replace(
                f, cutover=None, rolled_back=(*f.rolled_back, replace(cut, rolled_back_at=e.when))
            )
        elif cut is not None and same:  # refused or failed for some references: still partly on
            entries = [
                entry
                for name in ("skipped", "failed")
                for entry in as_list(e.data.get(name))
                if not (isinstance(entry, dict) and entry.get("status") == "already")
            ]
            left = [left_text(entry) for entry in entries]
            partial = replace(cut, partly_rolled_back_at=e.when, left=tuple(left))
            fold.facts = replace(f, cutover=partial)
        return
    raw = e.data.get("changes")
    changes = tuple(change_text(c) for c in raw) if isinstance(raw, list | tuple) else ()
    failed = e.data.get("failed")
    complete = e.data.get("complete")
    cutover = Cutover(
        strategy=str_field(e.data, "strategy") or "repoint",
        live=live,
        restored=restored,
        at=e.when,
        seq=e.seq,
        changes=changes,
        legit_writes_after=int_field(e.data, "legit_writes_after"),
        cutover_id=cutover_id,
        complete=complete if isinstance(complete, bool) else None,
        failed=len(failed) if isinstance(failed, list) else 0,
        via=str_field(e.data, "via"),
    )
    current = restored if any(r.target == restored for r in f.restores) else f.current
    fold.facts = replace(
        f, cutover=cutover, current=current, cutover_started_at=None, cutover_started_id=None
    )


def _rolled_back_unfinished(fold: _Fold, e: _Event, cutover_id: str | None) -> bool:
    """A complete rollback of a repoint interrupted before its outcome ends it, as a cutover
    rolled back; an incomplete one leaves it (and its warning) on."""
    f, started, raw = fold.facts, fold.facts.cutover_started_at, e.data.get("changes")
    if started is None or cutover_id is None or cutover_id != f.cutover_started_id:
        return False
    if e.data.get("complete") is True:
        texts = tuple(change_text(c) for c in raw) if isinstance(raw, list) else ()
        live, restored = str_field(e.data, "live"), str_field(e.data, "restored")
        undone = Cutover("repoint", live, restored, started, e.seq, texts, None, cutover_id)
        fold.facts = replace(
            f,
            rolled_back=(*f.rolled_back, replace(undone, rolled_back_at=e.when)),
            cutover_started_at=None,
            cutover_started_id=None,
        )
    return True


def _repair(fold: _Fold, e: _Event) -> None:
    live, restored = str_field(e.data, "live"), str_field(e.data, "restored")
    if not fold.ours(live, restored):
        return
    f = fold.facts
    repaired = int_field(e.data, "repaired") or 0
    skipped = int_field(e.data, "skipped") or 0
    if e.kind == Kind.REPAIR_FINISHED:  # totals over every run (core/repair.py)
        complete = e.data.get("complete")
        repair = Repair(
            live, restored, repaired, skipped, int_field(e.data, "left"),
            f.repair.batches if f.repair else 0, e.when, e.when, e.seq,
            complete if isinstance(complete, bool) else None, int_field(e.data, "damaged"),
            int_field(e.data, "legit_writes_after"),
        )  # fmt: skip
    else:
        before = f.repair if f.repair and f.repair.finished_at is None else None
        repair = Repair(
            live,
            restored,
            repaired + (before.repaired if before else 0),
            skipped + (before.skipped if before else 0),
            None,
            (before.batches if before else 0) + 1,
            None,
            e.when,
            e.seq,
        )
    current = restored if any(r.target == restored for r in f.restores) else f.current
    fold.facts = replace(f, repair=repair, current=current)


def _service(fold: _Fold, e: _Event) -> None:
    fold.facts = replace(fold.facts, service_confirmed_at=e.when)
    _note(fold, e)


def _closed(fold: _Fold, e: _Event) -> None:
    fold.facts = replace(fold.facts, closed_at=e.when)
    _note(fold, e)


def _step(fold: _Fold, e: _Event) -> None:
    step, state = str_field(e.data, "step"), str_field(e.data, "state")
    if step is None or state is None or not fold.ours(str_field(e.data, "table")):
        return
    mark = Mark(step, state, str_field(e.data, "reason"), e.when, e.seq)
    fold.collect("marks", mark)


def _override(fold: _Fold, e: _Event) -> None:
    step = str_field(e.data, "step")
    if step is None:
        return
    override = Override(
        step,
        str_field(e.data, "reason"),
        str_field(e.data, "typed"),
        str_field(e.data, "target"),
        e.when,
        e.seq,
    )
    fold.collect("overrides", override)


def _note(fold: _Fold, e: _Event) -> None:
    text = str_field(e.data, "text") or str_field(e.data, "choice")
    if text is not None:
        entry = Entry(e.when, e.kind, text)
        fold.collect("notes", entry)


def _aws_call(fold: _Fold, e: _Event) -> None:
    cli = str_field(e.data, "cli")
    if cli is None:
        service, operation = str_field(e.data, "service"), str_field(e.data, "operation")
        cli = f"({service or '?'} {operation or '?'}: no CLI line recorded)"
    entry = Entry(e.when, e.kind, cli, str_field(e.data, "identity"))
    fold.collect("commands", entry)


def _aws_error(fold: _Fold, e: _Event) -> None:
    fold.facts = replace(fold.facts, aws_errors=fold.facts.aws_errors + 1)


_HANDLERS = {
    Kind.INCIDENT_DECLARED: _declared,
    Kind.RESTORE_STARTED: _restore,
    Kind.RESTORE_FINISHED: _restore,
    Kind.RESTORE_FAILED: _restore,
    Kind.VERIFIED: _verified,
    Kind.SETTINGS_APPLIED: _settings,
    Kind.CUTOVER: _cutover,
    Kind.CUTOVER_ROLLED_BACK: _cutover,
    Kind.CUTOVER_STARTED: _cutover,
    Kind.REPAIR_BATCH: _repair,
    Kind.REPAIR_FINISHED: _repair,
    Kind.SERVICE_CONFIRMED: _service,
    Kind.CLOSED: _closed,
    Kind.RUNBOOK_STEP: _step,
    Kind.OVERRIDE: _override,
    Kind.NOTE: _note,
    Kind.DECISION: _note,
    Kind.AWS_CALL: _aws_call,
    Kind.AWS_ERROR: _aws_error,
}


def fold_incident(events: Iterable[JournalEvent], table: str | None = None) -> IncidentFacts:
    """``table``: the incident's table when the caller knows it; else the journal says."""
    ordered = list(events)
    fold = _Fold(table or incident_table(ordered), probe_targets(ordered))
    for seq, event in enumerate(ordered):
        fold.add(seq, event)
    facts = fold.finish()
    unfinished = tuple(interrupted_applies(ordered))
    return replace(facts, table=fold.table or facts.table, settings_interrupted=unfinished)
