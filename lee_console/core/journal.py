"""Journal events: what happened during an incident, in order, enough to rebuild state and
write the report. Serialised one JSON object per line."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lee_console.core.timeparse import format_utc


@dataclass(frozen=True)
class JournalEvent:
    kind: str  # aws-call, aws-result, aws-error, restore-started, note, decision, ...
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)

    def to_line(self) -> str:
        return json.dumps(
            {"kind": self.kind, "at": format_utc_ms(self.at), **self.data},
            default=_default,
            sort_keys=False,
        )

    @staticmethod
    def from_line(line: str) -> JournalEvent:
        """Raises ValueError (with why) for a line that is not one journal event."""
        raw = json.loads(line)
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
        kind, at = raw.pop("kind", None), raw.pop("at", None)
        if not isinstance(kind, str) or not kind or not isinstance(at, str):
            raise ValueError('no "kind" and "at" text fields')
        moment = datetime.fromisoformat(at.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError('"at" has no time zone')
        if not plausible_time(moment):
            raise ValueError('"at" is not a time a journal can hold')
        if "\\ud" in line.lower() and not _valid_unicode(raw):  # a lone surrogate escape
            raise ValueError("it holds text that is not valid Unicode")
        return JournalEvent(kind=kind, at=moment, data=raw)


def _valid_unicode(raw: dict[str, Any]) -> bool:
    try:
        json.dumps(raw, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def plausible_time(moment: datetime) -> bool:
    """A zoned time a journal can mean: after 1970, well before the calendar ends (so that
    arithmetic on it, a minute before a damage start, cannot overflow)."""
    if moment.tzinfo is None:
        return False
    try:
        return EARLIEST <= moment.astimezone(UTC) < LATEST
    except OverflowError:
        return False


def format_utc_ms(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_utc(value)
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    return str(value)


class Kind:
    """The event kinds the console writes. The report and the runbook are rebuilt from them.

    Times in fields are ISO-8601 UTC strings (datetimes when built in memory). Any event may
    carry ``occurred_at``: when the thing happened, if it was journaled later (an operator
    confirming service after the fact); the report and runbook use it instead of ``at``.
    Every field is optional to the readers: a missing one shows as "not recorded".
    """

    AWS_CALL = "aws-call"  # service, operation, params, cli, identity (before sending)
    AWS_RESULT = "aws-result"  # service, operation, status
    AWS_ERROR = "aws-error"  # service, operation, error_code, error_message
    AWS_REFUSED = "aws-refused"  # operation, reason: refused by --read-only, never sent
    INCIDENT_DECLARED = "incident-declared"  # table, damage_start, detected_at, rto_clock
    RESTORE_STARTED = "restore-started"  # source, target, restore_point, restore_kind
    RESTORE_FINISHED = "restore-finished"  # source, target, restore_point, duration_seconds,
    #   item_count, ...
    RESTORE_FAILED = "restore-failed"  # source, target, error
    VERIFIED = "verified"  # table, against, passed, counts, violations, diff,
    #   legit_writes_after: int, items legitimately written in the live table after the restore
    #   point: what a repoint would lose (else the report takes added + removed + changed -
    #   damaged from the diff's counts)
    SETTINGS_APPLYING = "settings-applying"  # before the first change: run_id, source, target,
    #   settings: [names about to be applied], pid, host (core/settings_runs.py)
    SETTINGS_APPLIED = "settings-applied"  # source, target, settings: [names], holds: bool
    #   results: {setting: "holds"|"does-not-hold"}, errors: {setting: sentence} (core/drift.py)
    #   run_id; resumed: [{run_id, started_at, settings, held}] of interrupted applies it ends
    CUTOVER = "cutover"  # strategy: repoint|repair, live, restored, changes / counts,
    #   legit_writes_after (as in verified)
    CUTOVER_ROLLED_BACK = "cutover-rolled-back"  # changes restored to their old values
    #   repoint: cutover_id, live, restored, changes, skipped, failed, complete (core/repoint.py)
    CUTOVER_STARTED = "cutover-started"  # repoint, before the first change: cutover_id,
    #   strategy, live, restored, planned: [{kind: ssm|lambda, name, variable, old, new}], pid,
    #   host; cutover (repoint) then adds cutover_id, changes: [made], unchanged, failed,
    #   complete; one finishing an interrupted repoint (core/repoint_runs.py) adds resumed: true
    #   and by_interrupted_run: [the changes the killed run made, found holding the new value]
    REPAIR_PLANNED = "repair-planned"  # live, restored, keys: [every key this run will write]:
    #   a key planned, absent from every batch and no longer differing on resume was written
    #   by a run killed mid-batch (its PutItems are journaled by batch, not one by one)
    REPAIR_BATCH = "repair-batch"  # live, restored, batch (1, 2, ... over resumed runs),
    #   repaired, skipped (counts), keys: [key dicts written], skipped_keys: [{key, reason}]
    REPAIR_FINISHED = "repair-finished"  # live, restored, totals over resumed runs: damaged,
    #   repaired, skipped, left, complete (left == 0), cancelled, deleted_in_live,
    #   legit_writes_after, skipped_keys (this run's, at most 100) (core/repair.py)
    SERVICE_CONFIRMED = "service-confirmed"  # by the operator; text, occurred_at
    RUNBOOK_STEP = "runbook-step"  # step (a core.runbook.StepId), state, reason
    OVERRIDE = "override"  # step, typed, reason, target: the operator unlocked a locked step
    NOTE = "note"  # text
    DECISION = "decision"  # text
    PROBE_STARTING = "probe-starting"  # find-good, before a probe's restore is sent: table,
    #   target, restore_point, round, search_id, source_arn, pid, host (core/probe_leftovers.py)
    PROBE = "probe"  # find-good: table, restore_point, target, round, good (null: not
    #   checked), violations, items, deleted (true; false: left; null: not created), error,
    #   search_id; leftover: true when a later run deleted a probe a killed run left; swept:
    #   true when the run's last sweep deleted a probe its first event said was left
    DRTEST_STARTING = "drtest-starting"  # dr-test, before its scratch table's restore is
    #   sent: as probe-starting (search_id: the dr-test's run id) (core/probe_leftovers.py)
    DRTEST = "drtest"  # dr-test: table, target, search_id, deleted (true; false: left; null:
    #   kept or not created), verdict, restore_seconds, items, error; leftover: true when a
    #   later run deleted a scratch table a killed run left
    CLOSED = "closed"  # the incident is closed; the report can be final; text
