"""The report's findings beyond the clock: the RPO (what the restore point and the cutover
strategy cost in legitimate writes), the items affected, the settings re-applied, and the
warnings about what was skipped or went wrong. Each reads only the folded facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lee_console.core.report.facts import IncidentFacts
from lee_console.core.report.truth import GroundTruth, RpoCount, measure_rpo
from lee_console.core.report.units import clock_text, count_text, minutes_text

DROPPED_ON_RESTORE = (
    "PITR, TTL, tags, streams, auto scaling, CloudWatch alarms and deletion protection"
)


@dataclass(frozen=True)
class RpoFinding:
    restore_point: datetime | None
    damage_start: datetime | None
    point_text: str  # restore point vs damage start
    strategy: str | None  # repoint | repair | None (not cut over)
    outcome: str  # lost | kept | not-cut-over | unknown
    legit_writes: int | None  # lost (repoint) or kept (repair); None: not known
    text: str
    measured: RpoCount | None = None  # against a ground truth (a drill's)
    unknown: str = ""  # what the journal and the tables cannot tell, without a ground truth


def legit_writes_after(facts: IncidentFacts) -> int | None:
    """Legitimate writes to the live table after the restore point, if the journal counted
    them (the cutover's count, else the latest verification's)."""
    if facts.cutover is not None and facts.cutover.legit_writes_after is not None:
        return facts.cutover.legit_writes_after
    if facts.repair is not None and facts.repair.legit_writes_after is not None:
        return facts.repair.legit_writes_after
    restore = facts.restore
    for verification in reversed(facts.verifications):
        ours = restore is None or restore.target in (verification.table, verification.against)
        if ours and verification.legit_writes_after is not None:
            return verification.legit_writes_after
    return None


def strategy(facts: IncidentFacts) -> str | None:
    if facts.cutover is not None:
        return facts.cutover.strategy
    if facts.repair is not None and facts.repair.done:
        return "repair"
    return None


def rpo_finding(facts: IncidentFacts, truth: GroundTruth | None = None) -> RpoFinding:
    restore = facts.restore
    point = restore.restore_point if restore else None
    damage = facts.damage_start
    if restore is None:
        point_text = "No restore recorded."
    elif point is None:
        point_text = "Restore point: not recorded."
    elif damage is None:
        point_text = f"Restore point {clock_text(point)}; damage start not recorded."
    else:
        gap = (damage - point).total_seconds()
        if gap > 0:
            where = f"{minutes_text(gap)} before the damage start ({clock_text(damage)})"
        elif gap == 0:
            where = "exactly at the damage start"
        else:
            where = (
                f"{minutes_text(-gap)} AFTER the damage start ({clock_text(damage)}): "
                "the restored table holds that much damage"
            )
        point_text = f"Restore point {clock_text(point)}, {where}."
    chosen = strategy(facts)
    count = legit_writes_after(facts)
    table = facts.table or "the live table"
    since = f"after the restore point ({clock_text(point)})" if point else "after the restore point"
    how_many = (
        f"{count:,} items" if count is not None else "unknown how many (no diff in the journal)"
    )
    if restore is None:
        outcome, text = "unknown", "Nothing restored: no write lost or kept by a restore."
    elif chosen == "repair":
        outcome = "kept"
        kept = f"{count:,} items" if count is not None else "how many: not recorded"
        text = (
            f"Repaired in place: {table} keeps the legitimate changes the diff found {since} on "
            f"items the damage did not touch ({kept}); only the damaged items were written back."
        )
    elif chosen == "repoint" or (restore.target == facts.table and restore.finished_at):
        outcome = "lost"
        cut = facts.cutover
        if cut is not None and cut.restored != facts.table:
            lead = f"Repointed to {cut.restored or restore.target}"
        else:
            lead = "Restored under the table's own name"
        window = ""
        if point and cut is not None:
            span = minutes_text((cut.at - point).total_seconds())
            window = f" Data-loss window: {clock_text(point)} to {clock_text(cut.at)} ({span})."
        text = f"{lead}: legitimate writes made to {table} {since} are lost: {how_many}.{window}"
    else:
        outcome = "not-cut-over"
        text = (
            f"Not cut over: nothing lost yet. A repoint would lose the legitimate writes made "
            f"{since}: {how_many}; a repair in place keeps them."
        )
    measured = measure_rpo(truth, point, chosen) if truth and point and restore else None
    return RpoFinding(
        restore_point=point,
        damage_start=damage,
        point_text=point_text,
        strategy=chosen,
        outcome=outcome,
        legit_writes=count,
        text=text,
        measured=measured,
        unknown="" if measured or restore is None else _unknown(facts, chosen, point, damage),
    )


def _unknown(
    facts: IncidentFacts, chosen: str | None, point: datetime | None, damage: datetime | None
) -> str:
    """What a report without ground truth cannot say about lost writes, and why."""
    repaired = facts.repair.repaired if facts.repair else None
    items = f"the {repaired:,} items written back" if repaired is not None else "damaged items"
    if point is not None and damage is not None and damage > point:
        gap = minutes_text((damage - point).total_seconds())
        window = f"between the restore point and the damage start ({gap} later)"
    else:
        window = "after the restore point"
    if chosen == "repoint":
        return (
            f"Not known without a ground truth: how many writes those items were and how many "
            f"fell {window}; the tables keep no history of them."
        )
    return (
        f"Not known without a ground truth: how many legitimate writes were made {window} to "
        f"{items}; each such write is lost (neither table holds it)."
    )


def items_affected(facts: IncidentFacts) -> tuple[str, ...]:
    lines: list[str] = []
    restore = facts.restore
    if restore is not None and restore.item_count is not None:
        about = "" if restore.item_count_exact else " (DescribeTable's ItemCount, approximate)"
        lines.append(f"Restored table {restore.target}: {restore.item_count:,} items{about}.")
    verification = facts.verification
    if verification is not None:
        result = "passed" if verification.passed else "FAILED"
        violations = count_text(verification.violations, "not recorded")
        line = (
            f"Verification of {verification.table or '?'} "
            + (f"against {verification.against}" if verification.against else "alone")
            + f": {result}, integrity violations {violations}"
        )
        if verification.live_violations is not None:
            line += f" (live table: {verification.live_violations:,})"
        if verification.damaged is not None:
            line += f"; damaged items in the diff {verification.damaged:,}"
        if verification.item_counts:
            counts = ", ".join(f"{name} {n:,}" for name, n in verification.item_counts)
            line += f"; items: {counts}"
        lines.append(line + ".")
    repair = facts.repair
    if repair is not None:
        if repair.finished_at is not None:
            damaged = f"{repair.damaged:,} damaged items: " if repair.damaged is not None else ""
            stopped = "" if repair.complete is not False else " The repair STOPPED early."
            lines.append(
                f"Repair in place: {damaged}{repair.repaired:,} repaired, {repair.skipped:,} "
                "skipped (changed since the diff, left as they are), "
                f"{count_text(repair.left, 'not recorded')} left.{stopped}"
            )
        else:
            lines.append(
                f"Repair in place NOT finished: {repair.repaired:,} repaired and "
                f"{repair.skipped:,} skipped so far, in {repair.batches} batches."
            )
    return tuple(lines)


def settings_lines(facts: IncidentFacts) -> tuple[str, ...]:
    lines = []
    for applied in facts.settings_for_restore:
        names = ", ".join(applied.settings) or "settings not named"
        if applied.holds is True:
            holds = "re-read: holds"
        elif applied.holds is False:
            holds = "re-read: did NOT hold"
        else:
            holds = "not re-read"
        errors = f"; errors: {'; '.join(applied.errors)}" if applied.errors else ""
        line = f"{clock_text(applied.at)} {applied.target or '?'}: {names} ({holds}{errors})"
        if applied.earlier:
            since = f" at {clock_text(applied.earlier_at)}" if applied.earlier_at else ""
            line += (
                f"; {', '.join(applied.earlier)} applied by an apply interrupted{since}, found "
                "holding"
            )
        lines.append(line + ".")
    for run in facts.settings_interrupted_for_restore:
        lines.append(
            f"{clock_text(run.started_at)} {run.target}: apply of {', '.join(run.settings)} "
            "started, NO OUTCOME in the journal (interrupted?): not counted as re-applied."
        )
    if not lines and strategy(facts) == "repair":
        lines.append("None needed: a repair in place keeps the live table and its settings.")
    return tuple(lines)


def warnings(facts: IncidentFacts) -> tuple[str, ...]:
    found: list[str] = []
    restore = facts.restore
    damage, detected = facts.damage_start, facts.detected_at
    if damage and detected and detected < damage:
        found.append("Detection is recorded before the damage start: check the declared times.")
    for failed in facts.restores:
        if failed.failed_at is not None and failed.finished_at is None:
            found.append(
                f"Restore into {failed.target} failed at {clock_text(failed.failed_at)}: "
                f"{failed.error or 'no reason recorded'}."
            )
    if restore and restore.restore_point and damage and restore.restore_point > damage:
        found.append(
            "The restore point is after the damage start: the restored table holds damage."
        )
    cut = facts.cutover
    chosen = strategy(facts)
    if chosen is not None:
        verification = facts.verification
        if verification is None or not verification.passed:
            override = facts.override_for("cutover")
            if override is not None:
                reason = f": {override.reason}" if override.reason else ""
                found.append(
                    "Cut over without a passing verification: the operator overrode the lock "
                    f"at {clock_text(override.at)}{reason}."
                )
            else:
                found.append("Cut over with no passing verification in the journal.")
    if chosen == "repoint" and cut is not None and not facts.settings_for_restore:
        found.append(
            f"Repointed to {cut.restored or '?'} with no settings re-applied in the journal: "
            f"AWS restores a table without {DROPPED_ON_RESTORE}."
        )
    for run in facts.settings_interrupted_for_restore:
        found.append(
            f"A settings apply to {run.target} started at {clock_text(run.started_at)} has no "
            "outcome in the journal (killed?): its settings may be partly applied; `lee-console "
            f"settings apply {run.source or 'SOURCE'} {run.target}` diffs again and finishes it."
        )
    for applied in facts.settings_for_restore:
        if applied.holds is False:
            found.append(f"Settings re-applied to {applied.target or '?'} did not hold on re-read.")
    if cut is not None and cut.complete is False:
        found.append(
            f"The repoint did not complete: {cut.failed} references failed to change, so parts "
            "of the application may still read the damaged table."
        )
    if facts.cutover_started_at is not None:
        found.append(
            f"A repoint started at {clock_text(facts.cutover_started_at)} has no result in the "
            "journal (killed?): check every reference, or roll it back."
        )
    for rolled in facts.rolled_back:
        when = clock_text(rolled.rolled_back_at) if rolled.rolled_back_at else "?"
        found.append(f"The cutover of {clock_text(rolled.at)} was rolled back at {when}.")
    if facts.closed_at is not None and facts.service_confirmed_at is None:
        found.append("Closed with no service confirmation in the journal.")
    if facts.aws_errors:
        found.append(f"{facts.aws_errors} AWS calls returned an error (see the journal).")
    return tuple(found)
