"""The post-incident report, built from the journal alone.

``build_report(events, rto_target_minutes, rto_clock)`` folds the events (fold.py, facts.py) and
measures the recovery: the timeline of milestones, time to detect, to restore, to recover, the
RTO verdict, the RPO (what the restore point and the cutover strategy cost in legitimate
writes), the items affected, the settings re-applied and the commands run (by operation and
resource in commands.py; each one in the JSON form). A milestone the
journal does not know is "not recorded"; nothing is guessed. Rendering is in render.py, the RPO
against a ground truth in truth.py.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from lee_console.core.journal import JournalEvent
from lee_console.core.report.commands import CommandGroup, summarise_commands
from lee_console.core.report.facts import Entry, IncidentFacts, Restore
from lee_console.core.report.findings import (
    RpoFinding,
    items_affected,
    rpo_finding,
    settings_lines,
    warnings,
)
from lee_console.core.report.fold import fold_incident
from lee_console.core.report.render import render_markdown, report_dict
from lee_console.core.report.truth import GroundTruth
from lee_console.core.report.units import clock_text, minutes_text

DEFAULT_RTO_TARGET_MINUTES = 60


class RtoClock(StrEnum):
    """Where the RTO clock starts; it always stops when service is confirmed."""

    DAMAGE = "damage"
    DETECTION = "detection"


@dataclass(frozen=True)
class Milestone:
    key: str  # damage-start, detected, restore-started, restore-finished, verified, ...
    label: str
    at: datetime | None
    detail: str = ""
    missing: str = "not recorded"


@dataclass(frozen=True)
class Measure:
    key: str  # time-to-detect, time-to-decide, time-to-restore, ...
    label: str
    seconds: float | None
    span: str  # "damage start -> detection"
    note: str = ""  # why there is no figure, when the journal says more than "not recorded"

    @property
    def text(self) -> str:
        if self.seconds is not None:
            return minutes_text(self.seconds)
        return self.note or "not recorded"


@dataclass(frozen=True)
class RtoVerdict:
    target_minutes: int
    clock: RtoClock
    start: datetime | None
    end: datetime | None
    elapsed_seconds: float | None
    met: bool | None  # None: not known
    verdict: str  # "RTO target 60 min missed by 15 min"
    explanation: str
    other_clock: str  # the same recovery counted with the other clock


@dataclass(frozen=True)
class Report:
    incident: str | None
    table: str | None
    rto_target_minutes: int
    rto_clock: RtoClock
    closed_at: datetime | None
    event_count: int
    first_event_at: datetime | None
    last_event_at: datetime | None
    milestones: tuple[Milestone, ...]
    measures: tuple[Measure, ...]
    rto: RtoVerdict
    rpo: RpoFinding
    items: tuple[str, ...]
    settings: tuple[str, ...]
    warnings: tuple[str, ...]
    notes: tuple[Entry, ...]
    commands: tuple[Entry, ...]
    identities: tuple[str, ...]
    command_groups: tuple[CommandGroup, ...] = ()  # the commands by operation and resource

    def milestone(self, key: str) -> Milestone:
        return next(m for m in self.milestones if m.key == key)

    def measure(self, key: str) -> Measure:
        return next(m for m in self.measures if m.key == key)

    def to_markdown(self) -> str:
        return render_markdown(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: times as ISO-8601 UTC strings, durations in minutes."""
        return report_dict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def build_report(
    events: Iterable[JournalEvent],
    rto_target_minutes: int = DEFAULT_RTO_TARGET_MINUTES,
    rto_clock: RtoClock | str | None = None,
    incident: str | None = None,
    truth: GroundTruth | None = None,
) -> Report:
    """``rto_clock`` None: what the incident was declared with, else the damage start.
    ``truth``: a drill's ground truth, against which the RPO is measured."""
    ordered = list(events)
    facts = fold_incident(ordered)
    clock = RtoClock(rto_clock or facts.rto_clock or RtoClock.DAMAGE)
    milestones = _milestones(facts)
    return Report(
        incident=incident,
        table=facts.table,
        rto_target_minutes=rto_target_minutes,
        rto_clock=clock,
        closed_at=facts.closed_at,
        event_count=facts.event_count,
        first_event_at=facts.first_at,
        last_event_at=facts.last_at,
        milestones=milestones,
        measures=_measures({m.key: m.at for m in milestones}, facts.restore),
        rto=_rto(facts, rto_target_minutes, clock),
        rpo=rpo_finding(facts, truth),
        items=items_affected(facts),
        settings=settings_lines(facts),
        warnings=warnings(facts),
        notes=facts.notes,
        commands=facts.commands,
        identities=tuple(dict.fromkeys(c.identity for c in facts.commands if c.identity)),
        command_groups=summarise_commands(ordered, facts.repair),
    )


def cut_over_at(facts: IncidentFacts) -> datetime | None:
    if facts.cutover is not None:
        return facts.cutover.at
    if facts.repair is not None and facts.repair.done:
        return facts.repair.finished_at
    return None


def _milestones(facts: IncidentFacts) -> tuple[Milestone, ...]:
    restore = facts.restore
    verification = facts.verification
    started_detail = finished_detail = verified_detail = cutover_detail = ""
    finished_missing = verified_missing = "not recorded"
    if restore is not None:
        point = clock_text(restore.restore_point) if restore.restore_point else "not recorded"
        started_detail = f"{restore.source or '?'} -> {restore.target}, restore point {point}"
        if restore.item_count is not None:
            about = "" if restore.item_count_exact else "about "
            finished_detail = f"{restore.target} ACTIVE, {about}{restore.item_count:,} items"
        if restore.failed_at is not None and restore.finished_at is None:
            finished_missing = f"FAILED at {clock_text(restore.failed_at)}: {restore.error or '?'}"
        elif not restore.end_observed and restore.finished_at is not None:
            after = clock_text(restore.started_at) if restore.started_at else "its start"
            finished_missing = (
                f"not observed: between {after} and {clock_text(restore.finished_at)} "
                "(it finished while no console was watching)"
            )
    if verification is not None:
        what = (
            f"{verification.table or '?'} against {verification.against}"
            if verification.against
            else f"{verification.table or '?'} alone (no live table to compare)"
        )
        violations = verification.violations
        tail = f", {violations:,} violations" if violations is not None else ""
        if verification.passed:
            verified_detail = f"{what}: passed{tail}"
        else:
            verified_missing = f"not passed: failed at {clock_text(verification.at)}{tail}"
    if facts.cutover is not None:
        cut = facts.cutover
        cutover_detail = (
            f"repoint to {cut.restored or '?'}" if cut.strategy == "repoint" else "repair in place"
        )
        if cut.via == "export":
            cutover_detail = "export + repair in place (no restore)"
        if cut.changes:
            cutover_detail += f": {'; '.join(cut.changes)}"
        if cut.complete is False:
            cutover_detail += f" (INCOMPLETE: {cut.failed} failed)"
        if cut.partly_rolled_back_at is not None:
            left = "; ".join(cut.left) or "not recorded which"
            cutover_detail += (
                f"; rollback at {clock_text(cut.partly_rolled_back_at)} PARTIAL, not put back "
                f"to {cut.live or 'the live table'}: {left}"
            )
    elif facts.repair is not None and facts.repair.done:
        cutover_detail = "repair in place"
    return _in_true_order(
        (
            Milestone("damage-start", "Damage started", facts.damage_start),
            Milestone("detected", "Detected", facts.detected_at),
            Milestone(
                "restore-started",
                "Restore started",
                restore.started_at if restore else None,
                started_detail,
            ),
            Milestone(
                "restore-finished",
                "Restore finished",
                restore.finished_at if restore and restore.end_observed else None,
                finished_detail,
                finished_missing,
            ),
            Milestone(
                "verified",
                "Verified",
                verification.at if verification and verification.passed else None,
                verified_detail,
                verified_missing,
            ),
            Milestone("cut-over", "Cut over", cut_over_at(facts), cutover_detail),
            Milestone("service-confirmed", "Service confirmed", facts.service_confirmed_at),
            Milestone("closed", "Incident closed", facts.closed_at),
        )
    )


def _in_true_order(milestones: tuple[Milestone, ...]) -> tuple[Milestone, ...]:
    """The milestones with a time in the order they happened (an incident declared after its
    restore began shows the restore first); those without one keep their place."""
    timed = iter(sorted((m for m in milestones if m.at is not None), key=lambda m: m.at or 0))
    return tuple(next(timed) if m.at is not None else m for m in milestones)


_MEASURES = (
    ("time-to-detect", "Time to detect", "damage-start", "detected"),
    ("time-to-decide", "Time to start the restore", "detected", "restore-started"),
    ("time-to-restore", "Time to restore", "restore-started", "restore-finished"),
    ("time-to-cut-over", "Verification and cutover", "restore-finished", "cut-over"),
    ("time-to-confirm", "Time to confirm service", "cut-over", "service-confirmed"),
    ("detection-to-recovery", "From detection to recovery", "detected", "service-confirmed"),
    ("damage-to-recovery", "From damage start to recovery", "damage-start", "service-confirmed"),
)

_NAMES = {
    "damage-start": "damage start",
    "detected": "detection",
    "restore-started": "restore started",
    "restore-finished": "restore finished",
    "cut-over": "cut over",
    "service-confirmed": "service confirmed",
}


def _measures(times: dict[str, datetime | None], restore: Restore | None) -> tuple[Measure, ...]:
    """Intervals between milestones. One whose end came first is never shown negative: it
    says which came first and by how much."""
    measures = []
    for key, label, start, end in _MEASURES:
        begin, finish = times.get(start), times.get(end)
        seconds = (finish - begin).total_seconds() if begin and finish else None
        span = f"{_NAMES[start]} -> {_NAMES[end]}"
        note = ""
        if seconds is not None and seconds < 0:
            note = f"none: {_NAMES[end]} came {minutes_text(-seconds)} before {_NAMES[start]}"
            seconds = None
        elif end == "restore-finished" and restore and not restore.end_observed and begin:
            found = restore.finished_at
            bound = f"at most {minutes_text((found - begin).total_seconds())}" if found else ""
            note = f"not known: the end was not observed ({bound})" if bound else ""
        measures.append(Measure(key, label, seconds, span, note))
    return tuple(measures)


def _rto(facts: IncidentFacts, target: int, clock: RtoClock) -> RtoVerdict:
    end = facts.service_confirmed_at
    start = facts.damage_start if clock is RtoClock.DAMAGE else facts.detected_at
    start_name = "the damage start" if clock is RtoClock.DAMAGE else "detection"
    elapsed = (end - start).total_seconds() if start and end else None
    head = f"RTO target {target} min"
    if elapsed is None:
        missing = [
            name
            for name, value in ((start_name, start), ("service confirmed", end))
            if value is None
        ]
        verdict = f"{head}: not known ({' and '.join(missing)} not recorded)"
        explanation = f"The RTO clock starts at {start_name} and stops when service is confirmed."
        met = None
    elif elapsed < 0:  # a journal written before confirm-service refused such a time
        verdict = (
            f"{head}: not known (service confirmed {minutes_text(-elapsed)} before {start_name})"
        )
        explanation = "The RTO clock cannot stop before it starts: one of the two times is wrong."
        met = None
    else:
        met, verdict = _verdict(head, elapsed, target)
        assert start is not None and end is not None
        explanation = (
            f"The RTO clock starts at {start_name} ({clock_text(start)}) and stops when service "
            f"is confirmed ({clock_text(end)}): {minutes_text(elapsed)}."
        )
    other = RtoClock.DETECTION if clock is RtoClock.DAMAGE else RtoClock.DAMAGE
    other_start = facts.damage_start if other is RtoClock.DAMAGE else facts.detected_at
    other_name = "the damage start" if other is RtoClock.DAMAGE else "detection"
    if other_start and end and end < other_start:
        other_text = f"Counted from {other_name} instead: not known (service confirmed before it)."
    elif other_start and end:
        other_elapsed = (end - other_start).total_seconds()
        _, other_verdict = _verdict("", other_elapsed, target)
        other_text = (
            f"Counted from {other_name} instead: {minutes_text(other_elapsed)},{other_verdict}."
        )
    else:
        other_text = f"Counted from {other_name} instead: not known."
    return RtoVerdict(target, clock, start, end, elapsed, met, verdict, explanation, other_text)


def _verdict(head: str, elapsed: float, target: int) -> tuple[bool, str]:
    margin = target * 60 - elapsed
    if margin >= 0:
        return True, f"{head} met with {minutes_text(margin)} to spare"
    return False, f"{head} missed by {minutes_text(-margin)}"
