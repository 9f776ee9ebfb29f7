"""The recovery runbook as a pure state machine, rebuilt from the journal at every look, so a
quit and relaunch (or a kill -9) finds it where it was.

Steps, in order: choose restore point, restore, verify, re-apply settings, cut over (repoint or
repair in place), confirm service, close and report. Each step's state comes from the events
that prove it (restore-started/finished/failed, verified, settings-applied, cutover,
repair-batch/finished, service-confirmed, closed); a later ``runbook-step`` event (step, state,
reason) sets it explicitly, for a skip with its reason or a failure the console cannot see.
Cutover is locked until verification of the restored table passes or an ``override`` event
(step "cutover", typed, reason) unlocks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from lee_console.core.errors import InvalidInput
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.facts import IncidentFacts, Override
from lee_console.core.report.fold import fold_incident
from lee_console.core.report.units import minutes_text
from lee_console.core.runbook_steps import STEPS, StepId, StepInfo, StepState

__all__ = [
    "STEPS",
    "Runbook",
    "Step",
    "StepId",
    "StepInfo",
    "StepState",
    "override_event",
    "runbook_from_facts",
    "step_event",
]
from lee_console.core.timeparse import format_utc

_PER_RESTORE = (StepId.CHOOSE_POINT, StepId.RESTORE, StepId.VERIFY, StepId.SETTINGS)


@dataclass(frozen=True)
class Step:
    id: StepId
    title: str
    what: str
    why: str
    state: StepState
    reason: str | None = None  # why skipped or failed
    evidence: tuple[str, ...] = ()
    at: datetime | None = None  # when it last changed


@dataclass(frozen=True)
class Runbook:
    table: str | None
    restored: str | None  # the restore that counts
    steps: tuple[Step, ...]
    cutover_locked: bool
    lock_reason: str | None  # why it is locked; None when unlocked
    override: Override | None  # the override that unlocked cutover, if one did
    damage_start: datetime | None = None

    @staticmethod
    def from_events(events: Iterable[JournalEvent], table: str | None = None) -> Runbook:
        """Fold the journal. ``table``: the incident's table if known (else the journal's)."""
        return runbook_from_facts(fold_incident(events, table))

    def step(self, step_id: StepId | str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    @property
    def next_step(self) -> Step | None:
        """The first step neither done nor skipped (a failed one is next: retry or skip it)."""
        return next(
            (s for s in self.steps if s.state not in (StepState.DONE, StepState.SKIPPED)), None
        )

    @property
    def complete(self) -> bool:
        return self.next_step is None

    @property
    def override_phrase(self) -> str | None:
        """What the operator types to override the cutover lock: the live table's name."""
        return self.table

    @property
    def next_action(self) -> str:
        """One sentence: what to do now."""
        step = self.next_step
        if step is None:
            return "All steps done: `lee-console report` writes the post-incident report."
        return _next_action(self, step)


def _next_action(book: Runbook, step: Step) -> str:
    restored = book.restored or "the restored table"
    table = book.table or "the live table"
    if step.state is StepState.FAILED:
        return f"{step.title} failed: {step.reason or 'see the journal'}. Fix it, retry or skip."
    if step.state is StepState.RUNNING:
        return f"{step.title} is under way; wait for it to finish."
    if step.id is StepId.CHOOSE_POINT:
        if book.damage_start is not None:
            point = format_utc(book.damage_start.replace(microsecond=0) - timedelta(seconds=1))
            return (
                f"Choose a restore point: the second before the damage began is {point}; or "
                f"repair from exports, no restore: `lee-console damage {table} --since {point}`."
            )
        return "Choose a restore point on the timeline, just before the damage began."
    if step.id is StepId.CUTOVER and book.cutover_locked:
        return book.lock_reason or "Cutover is locked."
    actions = {
        StepId.RESTORE: "Start the restore.",
        StepId.VERIFY: (
            f"Verify {restored}: restored under its own name, it is checked alone (there is no "
            "live table to compare with)."
            if restored == table
            else f"Verify {restored} against {table}."
        ),
        StepId.SETTINGS: f"Re-apply the settings AWS dropped on {restored}.",
        StepId.CUTOVER: f"Cut over: repoint the application to {restored}, or repair {table} "
        "in place.",
        StepId.CONFIRM: "Check the application works on the recovered data, then confirm.",
        StepId.CLOSE: "Close the incident and write the report.",
    }
    return actions[step.id]


def _hm(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%H:%M:%SZ")


def runbook_from_facts(facts: IncidentFacts) -> Runbook:
    derived = {info.id: _derive(info.id, facts) for info in STEPS}
    restore = facts.restore
    since = restore.seq if restore else -1
    steps = []
    for info in STEPS:
        state, reason, evidence, at, seq = derived[info.id]
        for mark in facts.marks:
            if mark.step != info.id or mark.seq <= seq:
                continue
            if info.id in (*_PER_RESTORE, StepId.CUTOVER) and mark.seq <= since:
                continue  # set for an earlier restore
            if mark.state in StepState.__members__.values():
                state, reason, at, seq = StepState(mark.state), mark.reason, mark.at, mark.seq
        steps.append(Step(info.id, info.title, info.what, info.why, state, reason, evidence, at))
    target = restore.target if restore else None
    book = Runbook(facts.table, target, tuple(steps), True, None, None, facts.damage_start)
    return _lock(book, facts)


def _lock(book: Runbook, facts: IncidentFacts) -> Runbook:
    restore = facts.restore
    verify = book.step(StepId.VERIFY)
    override = facts.override_for(StepId.CUTOVER)
    if restore is None and facts.cutover is not None and facts.cutover.via == "export":
        return replace(book, cutover_locked=False)  # repaired from exports: nothing to lock
    if restore is None or restore.finished_at is None:
        return replace(book, lock_reason="Nothing restored yet: restore and verify first.")
    if facts.verification is not None and facts.verification.passed:
        return replace(book, cutover_locked=False)  # a verified event, not a hand-set mark
    if override is not None:
        return replace(book, cutover_locked=False, override=override)
    unlock = f"or type {book.table} to override" if book.table else "or type the override"
    if verify.state is StepState.FAILED:
        why = f"verification of {restore.target} failed ({verify.reason or 'see the journal'})"
    elif verify.state is StepState.SKIPPED:
        why = f"verification was skipped ({verify.reason or 'no reason given'})"
    else:
        why = f"{restore.target} is not verified yet"
    return replace(book, lock_reason=f"Cutover is locked: {why}; verify it, {unlock}.")


_CUTOVER_KINDS: tuple[str, ...] = (Kind.CUTOVER, Kind.CUTOVER_STARTED, Kind.CUTOVER_ROLLED_BACK)
_CUTOVER_KINDS += (Kind.REPAIR_BATCH, Kind.REPAIR_FINISHED)
_Derived = tuple[StepState, str | None, tuple[str, ...], datetime | None, int]


def _d(
    state: StepState,
    reason: str | None = None,
    evidence: tuple[str, ...] = (),
    at: datetime | None = None,
    seq: int = -1,
) -> _Derived:
    """A derived state: ``seq`` is the journal position of the event that proves it."""
    return (state, reason, evidence, at, seq)


def _derive(step: StepId, facts: IncidentFacts) -> _Derived:
    restore, seq = facts.restore, facts.last_seq
    cut = facts.cutover
    if step in _PER_RESTORE and restore is None and cut is not None and cut.via == "export":
        return _d(StepState.SKIPPED, "export + repair: nothing restored", (), cut.at, cut.seq)
    if step is StepId.CHOOSE_POINT:
        if restore is not None:
            return _d(
                StepState.DONE, None, (_point_evidence(facts),), restore.started_at, restore.seq
            )
        damage = facts.damage_start
        return _d(StepState.PENDING, evidence=(f"damage began {_hm(damage)}",) if damage else ())
    if step is StepId.RESTORE:
        return _restore(facts)
    if step is StepId.VERIFY:
        return _verify(facts)
    if step is StepId.SETTINGS:
        return _settings(facts)
    if step is StepId.CUTOVER:
        return _cutover(facts)
    confirmed, closed = facts.service_confirmed_at, facts.closed_at
    if step is StepId.CONFIRM and confirmed is not None:
        evidence = (f"confirmed at {_hm(confirmed)}",)
        return _d(StepState.DONE, None, evidence, confirmed, seq.get(Kind.SERVICE_CONFIRMED, -1))
    if step is StepId.CLOSE and closed is not None:
        return _d(
            StepState.DONE, None, (f"closed at {_hm(closed)}",), closed, seq.get(Kind.CLOSED, -1)
        )
    return _d(StepState.PENDING)


def _restore(facts: IncidentFacts) -> _Derived:
    restore = facts.restore
    if restore is None:
        return _d(StepState.PENDING)
    kinds = (Kind.RESTORE_STARTED, Kind.RESTORE_FINISHED, Kind.RESTORE_FAILED)
    last = max(facts.last_seq.get(k, -1) for k in kinds)
    if restore.finished_at is not None:
        text = f"restored {restore.target} at {_hm(restore.finished_at)}"
        if restore.item_count is not None:
            about = "" if restore.item_count_exact else "about "
            text += f", {about}{restore.item_count:,} items"
        if restore.started_at is not None:
            text += f" ({minutes_text((restore.finished_at - restore.started_at).total_seconds())})"
        return _d(StepState.DONE, None, (text,), restore.finished_at, last)
    if restore.failed_at is not None:
        return _d(
            StepState.FAILED, restore.error or "the restore failed", (), restore.failed_at, last
        )
    text = f"restoring {restore.source or '?'} into {restore.target}"
    if restore.started_at is not None:
        text += f" since {_hm(restore.started_at)}"
    return _d(StepState.RUNNING, None, (text,), restore.started_at, last)


def _point_evidence(facts: IncidentFacts) -> str:
    restore = facts.restore
    assert restore is not None
    point, damage = restore.restore_point, facts.damage_start
    if point is None:
        return f"{restore.kind or 'restore'}: no point in time recorded"
    text = f"restore point {format_utc(point)}"
    if damage is None:
        return text
    gap = (damage - point).total_seconds()
    if gap >= 0:
        return f"{text}, {minutes_text(gap)} before the damage began"
    return f"{text}, {minutes_text(-gap)} AFTER the damage began: it holds damage"


def verified_what(table: str | None, against: str | None) -> str:
    """``lee-devices-r1 vs lee-devices``; a table verified alone (a deleted table restored
    under its own name: no live table to compare) is said so, not ``vs ?``."""
    if against is None:
        return f"{table or 'the restored table'} alone (no live table to compare)"
    return f"{table or 'the restored table'} vs {against}"


def _verify(facts: IncidentFacts) -> _Derived:
    verification = facts.verification
    if verification is None:
        return _d(StepState.PENDING)
    parts = [verified_what(verification.table, verification.against)]
    if verification.item_counts:
        parts.append(", ".join(f"{n:,} items" for _, n in verification.item_counts))
    if verification.violations is not None:
        parts.append(f"{verification.violations:,} violations")
    evidence = ("; ".join(parts),)
    if verification.passed:
        return _d(StepState.DONE, None, evidence, verification.at, verification.seq)
    count = verification.violations
    reason = f"{count:,} violations" if count else "checks did not pass"
    return _d(StepState.FAILED, reason, evidence, verification.at, verification.seq)


def _settings(facts: IncidentFacts) -> _Derived:
    applied = facts.settings_for_restore
    unfinished = facts.settings_interrupted_for_restore
    if unfinished and (not applied or unfinished[-1].seq > applied[-1].seq):
        run = unfinished[-1]
        text = (
            f"apply of {', '.join(run.settings)} to {run.target} started at "
            f"{_hm(run.started_at)}, no outcome yet; if nothing is making it, it was "
            "interrupted: apply again (it diffs again and finishes)"
        )
        return _d(StepState.RUNNING, None, (text,), run.started_at, run.seq)
    if not applied:
        cut = facts.cutover
        if facts.repair is not None or (cut is not None and cut.strategy == "repair"):
            why = "repair in place keeps the live table and its settings"
            return _d(StepState.SKIPPED, why, (), None, -1)
        return _d(StepState.PENDING)
    last = applied[-1]
    names = ", ".join((*last.settings, *last.earlier)) or "settings"
    evidence = (f"{names} on {last.target or '?'} at {_hm(last.at)}", *last.errors)
    if last.holds is False:
        return _d(StepState.FAILED, "did not hold on re-read", evidence, last.at, last.seq)
    return _d(StepState.DONE, None, evidence, last.at, last.seq)


def _cutover(facts: IncidentFacts) -> _Derived:
    restore, cut, repair = facts.restore, facts.cutover, facts.repair
    seq = max(facts.last_seq.get(k, -1) for k in _CUTOVER_KINDS)
    if restore is not None and facts.table is not None and restore.target == facts.table:
        why = "restored under the table's own name: the application already uses it"
        return _d(StepState.SKIPPED, why, (), None, -1)
    if repair is not None and repair.finished_at and repair.complete is False:
        why = f"repair stopped with {repair.left or 'some'} items left: run it again to resume"
        return _d(StepState.FAILED, why, (), repair.finished_at, seq)
    if repair is not None and repair.done and (cut is None or cut.strategy == "repair"):
        text = f"repaired {repair.repaired:,}, skipped {repair.skipped:,}"
        if repair.left is not None:
            text += f", left {repair.left:,}"
        return _d(StepState.DONE, None, (f"repair in place: {text}",), repair.finished_at, seq)
    if cut is not None:
        evidence = (f"{cut.strategy} at {_hm(cut.at)}", *cut.changes)
        if cut.complete is False:
            why = f"{cut.failed} references failed to change"
            return _d(StepState.FAILED, why, evidence, cut.at, seq)
        return _d(StepState.DONE, None, evidence, cut.at, seq)
    if repair is not None:
        text = f"repair in place: {repair.repaired:,} repaired so far ({repair.batches} batches)"
        return _d(StepState.RUNNING, None, (text,), repair.at, seq)
    if facts.cutover_started_at is not None:
        text = (
            f"repoint started at {_hm(facts.cutover_started_at)}, no result yet; if nothing is "
            "making it, it was interrupted: repoint again to finish it, or roll it back"
        )
        return _d(StepState.RUNNING, None, (text,), facts.cutover_started_at, seq)
    rolled = tuple(
        f"cutover at {_hm(r.at)} rolled back at {_hm(r.rolled_back_at)}"
        for r in facts.rolled_back
        if r.rolled_back_at
    )
    return _d(StepState.PENDING, None, rolled, None, seq)


def step_event(step: StepId, state: StepState, reason: str | None = None) -> dict[str, Any]:
    """The fields of a ``runbook-step`` event; a skip or a failure needs its reason."""
    if state in (StepState.SKIPPED, StepState.FAILED) and not (reason and reason.strip()):
        raise InvalidInput(f"Say why the step is {state.value}: the report will show it.")
    return {"step": step.value, "state": state.value, "reason": reason}


def override_event(book: Runbook, typed: str, reason: str) -> dict[str, Any]:
    """The fields of an ``override`` event unlocking cutover; the operator must type the live
    table's name and give a reason."""
    expected = book.override_phrase
    if expected is None or typed.strip() != expected:
        raise InvalidInput(f"Type {expected or 'the live table name'} exactly to override.")
    if not reason.strip():
        raise InvalidInput("Give a reason for the override: the report will show it.")
    step, target = StepId.CUTOVER.value, book.restored
    return {"step": step, "typed": typed.strip(), "reason": reason.strip(), "target": target}
