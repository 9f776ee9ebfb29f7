"""The runbook state machine, folded from journal events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from lee_console.core.errors import InvalidInput
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.runbook import (
    STEPS,
    Runbook,
    StepId,
    StepState,
    override_event,
    step_event,
)

LIVE, RESTORED = "lee-devices", "lee-devices-restored-1"


def at(hour: int, minute: int) -> datetime:
    return datetime(2025, 2, 14, hour, minute, tzinfo=UTC)


def ev(kind: str, when: datetime, **data: Any) -> JournalEvent:
    return JournalEvent(kind=kind, at=when, data=data)


DECLARED = ev(Kind.INCIDENT_DECLARED, at(11, 49), table=LIVE, damage_start="2025-02-14T11:23:00Z")
STARTED = ev(
    Kind.RESTORE_STARTED,
    at(11, 52),
    source=LIVE,
    target=RESTORED,
    restore_point="2025-02-14T11:22:00Z",
)
FINISHED = ev(Kind.RESTORE_FINISHED, at(12, 27), source=LIVE, target=RESTORED, item_count=3000)
PASSED = ev(Kind.VERIFIED, at(12, 29), table=RESTORED, against=LIVE, passed=True, violations=0)
FAILED = ev(Kind.VERIFIED, at(12, 29), table=RESTORED, against=LIVE, passed=False, violations=7)


def states(book: Runbook) -> dict[str, str]:
    return {step.id.value: step.state.value for step in book.steps}


def test_steps_in_order_with_what_and_why() -> None:
    book = Runbook.from_events([])
    assert [s.id for s in book.steps] == [
        StepId.CHOOSE_POINT,
        StepId.RESTORE,
        StepId.VERIFY,
        StepId.SETTINGS,
        StepId.CUTOVER,
        StepId.CONFIRM,
        StepId.CLOSE,
    ]
    assert all(s.state is StepState.PENDING for s in book.steps)
    for info in STEPS:
        assert info.what.endswith(".") and info.why.endswith(".")
    assert "PITR, TTL, tags" in book.step(StepId.SETTINGS).what
    assert "drops" in book.step(StepId.SETTINGS).why
    assert book.cutover_locked
    assert book.lock_reason == "Nothing restored yet: restore and verify first."
    assert book.next_step is not None and book.next_step.id is StepId.CHOOSE_POINT


def test_declared_damage_suggests_a_point() -> None:
    book = Runbook.from_events([DECLARED])
    assert book.step(StepId.CHOOSE_POINT).evidence == ("damage began 11:23:00Z",)
    assert book.next_action == (
        "Choose a restore point: the second before the damage began is 2025-02-14T11:22:59Z; or "
        "repair from exports, no restore: `lee-console damage lee-devices --since "
        "2025-02-14T11:22:59Z`."
    )
    chooser = book.step(StepId.CHOOSE_POINT)
    for strategy in ("restore + repoint", "restore + repair", "export + repair"):
        assert strategy in chooser.what.lower() or strategy in chooser.why.lower()
    assert "$0.15/GB" in chooser.why and "$0.10/GB of change data" in chooser.why


def test_export_and_repair_skips_the_restore_and_the_report_says_so() -> None:
    """repair --from-export journals repair-finished and the cutover (strategy repair, via
    export) with no restore: the restore's steps are skipped, the cutover done and unlocked, and
    the report records the strategy."""
    from lee_console.core.report.build import build_report
    from lee_console.core.report.render import render_markdown

    source = "exports of lee-devices from 2025-02-14T11:23:05Z"
    repaired = ev(
        Kind.REPAIR_FINISHED,
        at(12, 5),
        live=LIVE,
        restored=source,
        damaged=45,
        repaired=45,
        skipped=0,
        left=0,
        complete=True,
        cancelled=False,
        via="export",
    )
    cut = ev(
        Kind.CUTOVER,
        at(12, 5),
        strategy="repair",
        live=LIVE,
        restored=source,
        via="export",
        changes=["45 items written back from exports"],
    )
    book = Runbook.from_events([DECLARED, repaired, cut])  # fmt: skip
    for step in (StepId.CHOOSE_POINT, StepId.RESTORE, StepId.VERIFY, StepId.SETTINGS):
        assert book.step(step).state is StepState.SKIPPED
        assert book.step(step).reason == "export + repair: nothing restored"
    assert book.step(StepId.CUTOVER).state is StepState.DONE
    assert not book.cutover_locked
    report = render_markdown(build_report([DECLARED, repaired, cut], incident="INC-1"))
    assert "- Cut over: export + repair in place (no restore): 45 items written back" in report


def test_restore_running_then_done() -> None:
    running = Runbook.from_events([DECLARED, STARTED])
    assert states(running)["choose-point"] == "done"
    assert running.step(StepId.CHOOSE_POINT).evidence == (
        "restore point 2025-02-14T11:22:00Z, 1 min before the damage began",
    )
    assert states(running)["restore"] == "running"
    assert running.step(StepId.RESTORE).evidence == (
        f"restoring {LIVE} into {RESTORED} since 11:52:00Z",
    )
    assert running.next_action == "Restore is under way; wait for it to finish."
    done = Runbook.from_events([DECLARED, STARTED, FINISHED])
    restore = done.step(StepId.RESTORE)
    assert restore.state is StepState.DONE
    assert restore.evidence == (f"restored {RESTORED} at 12:27:00Z, 3,000 items (35 min)",)
    assert restore.at == at(12, 27)
    assert done.restored == RESTORED
    assert done.next_step is not None and done.next_step.id is StepId.VERIFY


def test_restore_failed() -> None:
    failed = ev(Kind.RESTORE_FAILED, at(11, 53), source=LIVE, target=RESTORED, error="limit")
    book = Runbook.from_events([DECLARED, STARTED, failed])
    assert book.step(StepId.RESTORE).state is StepState.FAILED
    assert book.step(StepId.RESTORE).reason == "limit"
    assert book.next_action == "Restore failed: limit. Fix it, retry or skip."


def test_cutover_locked_until_verification_passes() -> None:
    unverified = Runbook.from_events([DECLARED, STARTED, FINISHED])
    assert unverified.cutover_locked
    assert unverified.lock_reason == (
        f"Cutover is locked: {RESTORED} is not verified yet; verify it, or type {LIVE} to override."
    )
    failed = Runbook.from_events([DECLARED, STARTED, FINISHED, FAILED])
    assert failed.step(StepId.VERIFY).state is StepState.FAILED
    assert failed.step(StepId.VERIFY).reason == "7 violations"
    assert failed.cutover_locked
    assert "verification of lee-devices-restored-1 failed (7 violations)" in (
        failed.lock_reason or ""
    )
    passed = Runbook.from_events([DECLARED, STARTED, FINISHED, FAILED, PASSED])
    assert passed.step(StepId.VERIFY).state is StepState.DONE
    assert not passed.cutover_locked
    assert passed.lock_reason is None and passed.override is None


def test_override_unlocks_and_is_kept() -> None:
    book = Runbook.from_events([DECLARED, STARTED, FINISHED, FAILED])
    data = override_event(book, f" {LIVE} ", "rules file is out of date")
    assert data == {
        "step": "cutover",
        "typed": LIVE,
        "reason": "rules file is out of date",
        "target": RESTORED,
    }
    unlocked = Runbook.from_events(
        [DECLARED, STARTED, FINISHED, FAILED, ev(Kind.OVERRIDE, at(12, 30), **data)]
    )
    assert not unlocked.cutover_locked
    assert unlocked.override is not None
    assert unlocked.override.reason == "rules file is out of date"
    assert unlocked.step(StepId.VERIFY).state is StepState.FAILED  # still failed: not hidden


def test_override_needs_the_table_name_and_a_reason() -> None:
    book = Runbook.from_events([DECLARED, STARTED, FINISHED])
    with pytest.raises(InvalidInput, match="Type lee-devices exactly"):
        override_event(book, "yes", "because")
    with pytest.raises(InvalidInput, match="reason"):
        override_event(book, LIVE, "  ")


def test_an_override_for_an_earlier_restore_does_not_carry_over() -> None:
    second = "lee-devices-restored-2"
    events = [
        DECLARED,
        STARTED,
        FINISHED,
        ev(Kind.OVERRIDE, at(12, 30), step="cutover", typed=LIVE, reason="x", target=RESTORED),
        ev(Kind.RESTORE_STARTED, at(12, 31), source=LIVE, target=second),
        ev(Kind.RESTORE_FINISHED, at(12, 40), source=LIVE, target=second),
    ]
    book = Runbook.from_events(events)
    assert book.restored == second
    assert book.cutover_locked
    assert book.step(StepId.VERIFY).state is StepState.PENDING


def test_skip_with_reason() -> None:
    with pytest.raises(InvalidInput):
        step_event(StepId.SETTINGS, StepState.SKIPPED, "")
    data = step_event(StepId.SETTINGS, StepState.SKIPPED, "drill: settings do not matter")
    skip = ev(Kind.RUNBOOK_STEP, at(12, 28), **data)
    book = Runbook.from_events([DECLARED, STARTED, FINISHED, PASSED, skip])
    settings = book.step(StepId.SETTINGS)
    assert settings.state is StepState.SKIPPED
    assert settings.reason == "drill: settings do not matter"
    assert book.next_step is not None and book.next_step.id is StepId.CUTOVER
    skip_verify = ev(Kind.RUNBOOK_STEP, at(12, 28), step="verify", state="skipped", reason="r")
    locked = Runbook.from_events([DECLARED, STARTED, FINISHED, skip_verify])
    assert locked.cutover_locked
    assert "verification was skipped (r)" in (locked.lock_reason or "")


def test_a_hand_set_verify_mark_does_not_unlock_cutover() -> None:
    mark = ev(Kind.RUNBOOK_STEP, at(12, 28), step="verify", state="done", reason="looked ok")
    book = Runbook.from_events([DECLARED, STARTED, FINISHED, mark])
    assert book.step(StepId.VERIFY).state is StepState.DONE
    assert book.cutover_locked


def test_a_later_proof_beats_an_earlier_mark() -> None:
    mark = ev(Kind.RUNBOOK_STEP, at(12, 28), step="verify", state="failed", reason="by hand")
    book = Runbook.from_events([DECLARED, STARTED, FINISHED, mark, PASSED])
    assert book.step(StepId.VERIFY).state is StepState.DONE
    earlier = Runbook.from_events([DECLARED, STARTED, FINISHED, PASSED, mark])
    assert earlier.step(StepId.VERIFY).state is StepState.FAILED


def test_settings_repoint_confirm_close() -> None:
    events = [
        DECLARED,
        STARTED,
        FINISHED,
        PASSED,
        ev(
            Kind.SETTINGS_APPLIED,
            at(12, 31),
            source=LIVE,
            target=RESTORED,
            settings=["pitr", "ttl"],
            holds=True,
        ),
        ev(
            Kind.CUTOVER,
            at(12, 35),
            strategy="repoint",
            live=LIVE,
            restored=RESTORED,
            complete=True,
            changes=[
                {
                    "kind": "ssm",
                    "name": "/lee/tables/devices",
                    "variable": None,
                    "old": LIVE,
                    "new": RESTORED,
                }
            ],
        ),
        ev(Kind.SERVICE_CONFIRMED, at(12, 38)),
        ev(Kind.CLOSED, at(13, 0)),
    ]
    book = Runbook.from_events(events)
    assert set(states(book).values()) == {"done"}
    assert book.step(StepId.SETTINGS).evidence == (f"pitr, ttl on {RESTORED} at 12:31:00Z",)
    assert book.step(StepId.CUTOVER).evidence == (
        "repoint at 12:35:00Z",
        f"ssm /lee/tables/devices: {LIVE} -> {RESTORED}",
    )
    assert book.complete and book.next_step is None


def test_settings_that_do_not_hold_fail() -> None:
    applied = ev(
        Kind.SETTINGS_APPLIED,
        at(12, 31),
        target=RESTORED,
        settings=["ttl"],
        holds=False,
        errors={"ttl": "throttled"},
    )
    step = Runbook.from_events([DECLARED, STARTED, FINISHED, applied]).step(StepId.SETTINGS)
    assert step.state is StepState.FAILED
    assert step.evidence == (f"ttl on {RESTORED} at 12:31:00Z", "ttl: throttled")


def test_repair_in_place_running_then_done_and_settings_skipped() -> None:
    batch = ev(Kind.REPAIR_BATCH, at(12, 30), live=LIVE, restored=RESTORED, repaired=25, skipped=0)
    running = Runbook.from_events([DECLARED, STARTED, FINISHED, PASSED, batch])
    assert running.step(StepId.CUTOVER).state is StepState.RUNNING
    assert running.step(StepId.CUTOVER).evidence == (
        "repair in place: 25 repaired so far (1 batches)",
    )
    assert running.step(StepId.SETTINGS).state is StepState.SKIPPED
    assert running.step(StepId.SETTINGS).reason == (
        "repair in place keeps the live table and its settings"
    )
    finished = ev(
        Kind.REPAIR_FINISHED,
        at(12, 33),
        live=LIVE,
        restored=RESTORED,
        repaired=45,
        skipped=1,
        left=0,
    )
    done = Runbook.from_events([DECLARED, STARTED, FINISHED, PASSED, batch, finished])
    assert done.step(StepId.CUTOVER).state is StepState.DONE
    assert done.step(StepId.CUTOVER).evidence == (
        "repair in place: repaired 45, skipped 1, left 0",
    )
    assert done.next_step is not None and done.next_step.id is StepId.CONFIRM


def test_a_stopped_repair_fails_the_step_until_resumed() -> None:
    stopped = ev(
        Kind.REPAIR_FINISHED,
        at(12, 33),
        live=LIVE,
        restored=RESTORED,
        repaired=200,
        skipped=2,
        left=248,
        complete=False,
    )
    book = Runbook.from_events([DECLARED, STARTED, FINISHED, PASSED, stopped])
    cutover = book.step(StepId.CUTOVER)
    assert cutover.state is StepState.FAILED
    assert cutover.reason == "repair stopped with 248 items left: run it again to resume"
    resumed = ev(Kind.REPAIR_BATCH, at(12, 34), live=LIVE, restored=RESTORED, repaired=25)
    book = Runbook.from_events([DECLARED, STARTED, FINISHED, PASSED, stopped, resumed])
    assert book.step(StepId.CUTOVER).state is StepState.RUNNING


def test_incomplete_repoint_fails_and_rollback_reopens() -> None:
    cut = ev(
        Kind.CUTOVER,
        at(12, 35),
        strategy="repoint",
        live=LIVE,
        restored=RESTORED,
        cutover_id="c1",
        complete=False,
        failed=[{"name": "lee-engine"}],
    )
    book = Runbook.from_events([DECLARED, STARTED, FINISHED, PASSED, cut])
    assert book.step(StepId.CUTOVER).state is StepState.FAILED
    assert book.step(StepId.CUTOVER).reason == "1 references failed to change"
    rolled = ev(
        Kind.CUTOVER_ROLLED_BACK,
        at(12, 36),
        live=LIVE,
        restored=RESTORED,
        cutover_id="c1",
        complete=True,
    )
    reopened = Runbook.from_events([DECLARED, STARTED, FINISHED, PASSED, cut, rolled])
    assert reopened.step(StepId.CUTOVER).state is StepState.PENDING
    assert reopened.step(StepId.CUTOVER).evidence == (
        "cutover at 12:35:00Z rolled back at 12:36:00Z",
    )


def test_restore_under_its_own_name_needs_no_cutover() -> None:
    """Accidental delete: restored from the SYSTEM backup under the deleted table's name."""
    events = [
        ev(Kind.RESTORE_STARTED, at(10, 0), source=LIVE, target=LIVE, restore_kind="deleted"),
        ev(Kind.RESTORE_FINISHED, at(10, 9), source=LIVE, target=LIVE, item_count=3000),
    ]
    book = Runbook.from_events(events)
    assert book.table == LIVE
    assert book.step(StepId.CUTOVER).state is StepState.SKIPPED
    assert book.step(StepId.CHOOSE_POINT).evidence == ("deleted: no point in time recorded",)


def test_unknown_kinds_bad_fields_and_other_tables_are_ignored() -> None:
    other = "lee-users-restored-9"
    events = [
        DECLARED,
        ev("future-kind", at(11, 50), step="restore", state="done"),
        ev(Kind.RESTORE_STARTED, at(11, 51), source="lee-users", target=other),
        ev(Kind.RESTORE_FINISHED, at(11, 55), source="lee-users", target=other),
        ev(Kind.VERIFIED, at(11, 56), table=other, against="lee-users", passed=True),
        ev(Kind.PROBE, at(11, 57), target="lee-devices-probe-1"),
        ev(Kind.RESTORE_STARTED, at(11, 57), source=LIVE, target="lee-devices-probe-1"),
        ev(Kind.RUNBOOK_STEP, at(11, 58), step="verify", state="bogus"),
        ev(Kind.RUNBOOK_STEP, at(11, 58), step="verify"),
        ev(Kind.OVERRIDE, at(11, 59)),
        ev(Kind.CUTOVER, at(12, 0), live="lee-users", restored=other),
        ev(Kind.SETTINGS_APPLIED, at(12, 0), source="lee-users", target=other, holds=True),
        ev(Kind.RESTORE_STARTED, at(12, 1), source=LIVE),
    ]
    book = Runbook.from_events(events)
    assert book.table == LIVE
    assert book.restored is None
    assert set(states(book).values()) == {"pending"}
    assert book.cutover_locked
    # the same journal seen for the other table
    users = Runbook.from_events(events, table="lee-users")
    assert users.restored == other
    assert users.step(StepId.RESTORE).state is StepState.DONE
    assert users.step(StepId.VERIFY).state is StepState.DONE
    assert users.step(StepId.CUTOVER).state is StepState.DONE


def test_survives_a_round_trip_through_the_journal_file(tmp_path: Any) -> None:
    from lee_console.store.journal_file import Journal

    journal = Journal(tmp_path, "inc-1")
    for event in (DECLARED, STARTED, FINISHED, PASSED):
        journal.append(event.kind, **event.data)
    book = Runbook.from_events(journal.events())
    assert states(book)["verify"] == "done"
    assert not book.cutover_locked


def test_a_table_verified_alone_is_said_so_not_vs_a_question_mark() -> None:
    from lee_console.core.runbook import verified_what

    assert verified_what("lee-devices", None) == ("lee-devices alone (no live table to compare)")
    assert verified_what("lee-devices-r1", "lee-devices") == "lee-devices-r1 vs lee-devices"


def test_a_table_restored_under_its_own_name_is_verified_alone() -> None:
    at = datetime(2026, 12, 3, 8, 52, tzinfo=UTC)
    events = [
        JournalEvent(Kind.RESTORE_STARTED, at, {"source": "lee-devices", "target": "lee-devices",
                                                "restore_kind": "deleted"}),
        JournalEvent(Kind.RESTORE_FINISHED, at, {"source": "lee-devices", "target": "lee-devices",
                                                 "item_count": 3000}),
    ]  # fmt: skip
    book = Runbook.from_events(events, "lee-devices")
    assert "against" not in book.next_action
    assert book.next_action.startswith("Verify lee-devices: restored under its own name")
