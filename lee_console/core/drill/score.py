"""The drill's score card, computed against the ground truth once the participant closes the
incident (never before: nothing here is shown while the drill runs).

Seven lines, 100 points, each with the reason for every point lost:
- restore point (20): after the damage start the damage came back; before it, every
  legitimate write in between is missing from the restored table (1 point each, down to 5);
- verification (10): the restored table verified before the application was moved to it;
- settings (15): PITR on the table the application now reads (10), the other settings a restore
  drops re-applied (5);
- cutover (25): the SSM parameter and the Lambda variable name the same table, and its items
  are the good ones (a share of 25 for every damaged or missing item left);
- legitimate writes (15): 1 point for each legitimate write the application's table lost;
- time to recover (15): from the page to the application reading good data, against the RTO
  (full within it, nothing at twice it);
- hints: 3 points each.

The items are judged from what the application reads at the end (AppState, gathered from AWS)
against the digest of every item a perfect recovery leaves (the truth's "expected"); the restore
point, verification and timings from the journal (IncidentFacts). What could not be measured
scores nothing and says so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from lee_console.core.drill.hints import HINT_COST
from lee_console.core.drill.truth import DrillTruth
from lee_console.core.report.facts import IncidentFacts
from lee_console.core.report.units import clock_text, minutes_text
from lee_console.core.restore import RestoreKind

SAMPLES = 5


@dataclass(frozen=True)
class DrillInfo:
    incident: str
    scenario: str  # the scenario played (random resolved)
    participant: str
    rto_minutes: int
    started_at: datetime  # when the page went out: the drill's clock starts here
    seed: int | None


@dataclass(frozen=True)
class AppState:
    """What the application reads at the end of the drill."""

    ssm_table: str | None  # the SSM parameter's value (None: gone or unreadable)
    lambda_table: str | None  # the Lambda function's table variable
    pitr_enabled: bool | None  # of the table the application reads (None: not known)
    digests: Mapping[str, str] | None  # device id -> item digest in that table (None: unread)
    problems: tuple[str, ...] = ()  # what could not be read, one sentence each


@dataclass(frozen=True)
class ItemOutcome:
    correct: int
    damaged_left: int
    lost_writes: int  # an older image than the last legitimate one: a legitimate write lost
    missing: int
    extra: int  # items no perfect recovery has
    lost_samples: tuple[str, ...]
    damaged_samples: tuple[str, ...]


@dataclass(frozen=True)
class ScoreLine:
    key: str
    label: str
    points: int
    max_points: int
    reasons: tuple[str, ...]  # why points were lost, or what earned them


@dataclass(frozen=True)
class ScoreCard:
    info: DrillInfo
    lines: tuple[ScoreLine, ...]
    items: ItemOutcome | None  # None: the application's table could not be read
    app_table: str | None
    recovered_seconds: float | None  # page -> application reading good data
    hints_used: int
    finished_at: datetime

    @property
    def total(self) -> int:
        return max(0, sum(line.points for line in self.lines))

    @property
    def max_total(self) -> int:
        return sum(line.max_points for line in self.lines)


def judge_items(truth: DrillTruth, digests: Mapping[str, str]) -> ItemOutcome:
    correct = damaged = lost = missing = 0
    lost_samples: list[str] = []
    damaged_samples: list[str] = []
    for device, expected in sorted(truth.expected.items()):
        found = digests.get(device)
        if found is None:
            missing += 1
        elif found == expected:
            correct += 1
        elif found == truth.damaged_digests.get(device):
            damaged += 1
            if len(damaged_samples) < SAMPLES:
                damaged_samples.append(device)
        else:
            lost += 1
            if len(lost_samples) < SAMPLES:
                lost_samples.append(device)
    extra = sum(1 for device in digests if device not in truth.expected)
    return ItemOutcome(
        correct, damaged, lost, missing, extra, tuple(lost_samples), tuple(damaged_samples)
    )


def score_drill(
    info: DrillInfo,
    truth: DrillTruth,
    facts: IncidentFacts,
    app: AppState,
    hints_used: int,
    finished_at: datetime,
) -> ScoreCard:
    app_table = app.ssm_table if app.ssm_table == app.lambda_table else None
    items = judge_items(truth, app.digests) if app.digests is not None and truth.expected else None
    recovered = _recovered_at(facts, app_table, truth)
    seconds = (recovered - info.started_at).total_seconds() if recovered else None
    if not _good(items):
        seconds = None
    lines = (
        _restore_point(truth, facts),
        _verification(facts),
        _settings(truth, facts, app, app_table),
        _cutover(truth, app, items),
        _legit_writes(items, truth),
        _time(info, seconds, recovered, items),
        _hints(hints_used),
    )
    return ScoreCard(info, lines, items, app_table, seconds, hints_used, finished_at)


def _restore_point(truth: DrillTruth, facts: IncidentFacts) -> ScoreLine:
    line = _line("restore-point", "Restore point", 20)
    restore = facts.restore
    start = truth.ground.damage_start
    if restore is None:
        if facts.repair is None:
            return line(0, "No restore was made.")
        if (facts.repair.restored or "").startswith("export:"):
            return line(20, "Repaired from exports of the changes since the damage began.")
        return line(0, "The repair's source was not a restore this incident journaled.")
    if restore.kind == RestoreKind.DELETED.value:
        return line(20, "Restored from the deleted table's backup: its items as of the deletion.")
    point = restore.restore_point
    if point is None:
        return line(10, f"{restore.target} was restored from a backup whose time is unknown.")
    if point >= start:
        late = minutes_text((point - start).total_seconds())
        return line(
            0,
            f"The restore point {clock_text(point)} is {late} after the damage began at "
            f"{clock_text(start)}: damaged data came back.",
        )
    between = sum(1 for _, when in truth.ground.writes if point < when < start)
    gap = minutes_text((start - point).total_seconds())
    points = 20 - min(15, between)
    if between == 0:
        return line(
            points, f"{clock_text(point)}, {gap} before the damage began: no write in between."
        )
    return line(
        points,
        f"{clock_text(point)} is {gap} before the damage began at {clock_text(start)}: "
        f"{between:,} legitimate writes in between are not in the restored table.",
    )


def _verification(facts: IncidentFacts) -> ScoreLine:
    line = _line("verification", "Verification", 10)
    verification = facts.verification
    if facts.repair is not None and (facts.repair.restored or "").startswith("export:"):
        if any(entry.text.startswith("damage ") for entry in facts.notes):
            return line(10, "The damage was measured from exports before the repair.")
        return line(5, "Repaired from exports without measuring the damage first (damage).")
    if verification is None:
        return line(0, "The restored table was never verified.")
    cutover = facts.cutover or facts.repair
    if cutover is not None and verification.at > cutover.at:
        return line(5, "Verified only after the application was moved to it.")
    if not verification.passed:
        return line(4, "Verified, but the verification failed and the recovery went on.")
    return line(10, f"Verified at {clock_text(verification.at)}, before the cutover.")


def _settings(
    truth: DrillTruth, facts: IncidentFacts, app: AppState, app_table: str | None
) -> ScoreLine:
    line = _line("settings", "Settings re-applied", 15)
    if app_table is None:
        return line(0, "The application does not read one table (see cutover).")
    if facts.restore is None and facts.repair is None:
        return line(0, "Nothing was restored or repaired.")
    if app.digests is None and app.pitr_enabled is None:  # the table could not be read at all
        return line(0, app.problems[0] if app.problems else f"{app_table} could not be read.")
    if app_table == truth.ground.table and facts.restore is None:
        return line(15, f"The application still reads {app_table}, whose settings never changed.")
    reasons: list[str] = []
    points = 0
    if app.pitr_enabled:
        points += 10
    elif app.pitr_enabled is None:
        reasons.append(f"Whether PITR is on for {app_table} could not be read.")
    else:
        reasons.append(
            f"PITR is off on {app_table}, which the application reads: damage there from now on "
            "cannot be undone."
        )
    in_place = app_table == truth.ground.table
    if in_place and app.pitr_enabled:
        return line(15, f"Repaired in place: {app_table} kept PITR and its other settings.")
    if any(applied.holds for applied in facts.settings_for_restore) or in_place:
        points += 5
    else:
        reasons.append("The other settings a restore drops (TTL, tags, streams...) not re-applied.")
    return line(points, *(reasons or ["PITR and the other settings hold on the new table."]))


def _cutover(truth: DrillTruth, app: AppState, items: ItemOutcome | None) -> ScoreLine:
    line = _line("cutover", "Cutover", 25)
    if app.ssm_table != app.lambda_table:
        return line(
            0,
            f"The SSM parameter names {app.ssm_table or 'nothing'} and the Lambda variable "
            f"{app.lambda_table or 'nothing'}: the application reads two tables.",
        )
    if items is None:
        why = app.problems[0] if app.problems else f"{app.ssm_table} could not be read."
        return line(0, why)
    damaged = len(truth.damaged_ids) or len(truth.expected)
    bad = items.damaged_left + items.missing
    points = round(25 * max(0.0, 1 - bad / max(1, damaged)))
    if bad == 0:
        return line(points, f"The application reads {app.ssm_table}: no damaged item left.")
    reasons = []
    if items.damaged_left:
        sample = ", ".join(items.damaged_samples)
        reasons.append(
            f"{items.damaged_left:,} items still damaged in {app.ssm_table} (e.g. {sample})."
        )
    if items.missing:
        reasons.append(f"{items.missing:,} items missing from {app.ssm_table}.")
    return line(points, *reasons)


def _legit_writes(items: ItemOutcome | None, truth: DrillTruth) -> ScoreLine:
    line = _line("legit-writes", "Legitimate writes kept", 15)
    if items is None:
        return line(0, "Not measured: the application's table could not be read.")
    damaged = len(truth.damaged_ids) or len(truth.expected)
    if damaged and items.damaged_left + items.missing >= damaged:
        return line(0, "Nothing was recovered, so no write was kept by a recovery.")
    if items.lost_writes == 0:
        return line(15, "Every legitimate write is in the table the application reads.")
    return line(
        max(0, 15 - items.lost_writes),
        f"{items.lost_writes:,} items hold an older image than their last legitimate write "
        f"(e.g. {', '.join(items.lost_samples)}).",
    )


def _good(items: ItemOutcome | None) -> bool:
    return items is not None and items.damaged_left == 0 and items.missing == 0


def _time(
    info: DrillInfo, seconds: float | None, recovered: datetime | None, items: ItemOutcome | None
) -> ScoreLine:
    line = _line("time", f"Time to recover (RTO {info.rto_minutes} min)", 15)
    if recovered is not None and not _good(items):
        return line(0, "The application was moved, but to damaged or missing data: not recovered.")
    if seconds is None or recovered is None:
        return line(0, "The application was never moved to good data alone (cutover, repair).")
    rto = info.rto_minutes * 60.0
    took = minutes_text(max(0.0, seconds))
    if seconds <= rto:
        return line(15, f"{took} from the page to good data: within the RTO.")
    points = round(15 * max(0.0, 1 - (seconds - rto) / rto))
    return line(points, f"{took} from the page to good data: the RTO was missed.")


def _hints(used: int) -> ScoreLine:
    if used == 0:
        return ScoreLine("hints", "Hints", 0, 0, ("No hint used.",))
    return ScoreLine(
        "hints", "Hints", -HINT_COST * used, 0, (f"{used} hint(s), {HINT_COST} points each.",)
    )


def _recovered_at(
    facts: IncidentFacts, app_table: str | None, truth: DrillTruth
) -> datetime | None:
    """When the application first read good data: the cutover, the repair's end, or (a table
    restored under the name the application already uses) the restore's end. Never while the
    application reads two tables."""
    if app_table is None:
        return None
    cutover = facts.cutover
    if cutover is not None and cutover.strategy == "repoint" and cutover.complete is not False:
        return cutover.at
    if facts.repair is not None and facts.repair.done:
        return facts.repair.finished_at
    restore = facts.restore
    if restore is not None and restore.target == app_table:
        return restore.finished_at
    return None


def _line(key: str, label: str, most: int) -> _LineMaker:
    return _LineMaker(key, label, most)


@dataclass(frozen=True)
class _LineMaker:
    key: str
    label: str
    most: int

    def __call__(self, points: int, *reasons: str) -> ScoreLine:
        return ScoreLine(self.key, self.label, max(0, min(points, self.most)), self.most, reasons)
