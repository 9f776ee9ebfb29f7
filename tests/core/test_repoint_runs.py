"""core.repoint_runs: a repoint journaled as started and never as done is found, each of its
references said as changed, left or neither, and finishing it names every change it made."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.repoint import Change, ChangeResult, pending_rollbacks
from lee_console.core.repoint_runs import (
    assess,
    finished_fields,
    interrupted_repoints,
    refuse_other_target,
)
from lee_console.core.report.fold import fold_incident
from lee_console.core.runbook import Runbook, StepId, StepState

AT = datetime(2025, 2, 14, 11, 40, tzinfo=UTC)
LIVE, RESTORED = "lee-devices", "lee-devices-r"
SSM = Change("ssm", "/lee/tables/devices", None, LIVE, RESTORED)
LAMBDA = Change("lambda", "lee-engine", "DEVICES_TABLE", LIVE, RESTORED)
COMMON = {"cutover_id": "c1", "strategy": "repoint", "live": LIVE, "restored": RESTORED}


def event(kind: str, **data: Any) -> JournalEvent:
    return JournalEvent(kind=kind, at=AT, data=data)


STARTED = event(
    Kind.CUTOVER_STARTED, **COMMON, planned=[SSM.to_json(), LAMBDA.to_json()], pid=4242,
    host="bastion",
)  # fmt: skip


def test_a_started_repoint_without_outcome_is_interrupted() -> None:
    [run] = interrupted_repoints([STARTED])
    assert (run.cutover_id, run.live, run.restored) == ("c1", LIVE, RESTORED)
    assert run.planned == (SSM, LAMBDA)
    assert (run.pid, run.host) == (4242, "bastion")
    done = event(Kind.CUTOVER, **COMMON, changes=[SSM.to_json(), LAMBDA.to_json()])
    assert interrupted_repoints([STARTED, done]) == []
    rolled = event(Kind.CUTOVER_ROLLED_BACK, **COMMON, changes=[], complete=False)
    assert interrupted_repoints([STARTED, rolled]) == []  # a rollback took it over


def test_each_reference_is_changed_left_or_neither() -> None:
    [run] = interrupted_repoints([STARTED])
    state = assess(run, {SSM.label: RESTORED, LAMBDA.label: LIVE})
    assert (state.changed, state.left, state.other, state.mixed) == ((SSM,), (LAMBDA,), (), True)
    assert (
        "was interrupted: 1 of 2 reference(s) changed (ssm /lee/tables/devices); still "
        "lee-devices: lambda lee-engine DEVICES_TABLE."
    ) in state.summary()
    assert "cutover repoint lee-devices --to lee-devices-r` finishes it" in state.offer()
    odd = assess(run, {SSM.label: "pasted-secret", LAMBDA.label: None})
    assert odd.other == ((SSM, "pasted-secret"), (LAMBDA, None))
    assert "neither: ssm /lee/tables/devices holds 'pasted-secret'" in odd.summary()
    # the journal never keeps a value that is not one of the change's table names
    assert "pasted-secret" not in str(finished_fields(odd, []))


def test_finishing_names_the_killed_runs_changes_so_that_rollback_puts_them_back() -> None:
    [run] = interrupted_repoints([STARTED])
    state = assess(run, {SSM.label: RESTORED, LAMBDA.label: LIVE})
    fields = finished_fields(state, [ChangeResult(LAMBDA, "changed")])
    assert fields["complete"] is True and fields["resumed"] is True
    assert fields["by_interrupted_run"] == [SSM.to_json()]
    done = event(Kind.CUTOVER, **COMMON, **fields)
    [pending] = pending_rollbacks([STARTED, done])
    assert pending.changes == (SSM.inverted(), LAMBDA.inverted())
    book = Runbook.from_events([STARTED, done])
    assert book.step(StepId.CUTOVER).state is StepState.DONE


def test_a_repoint_to_another_table_waits_for_the_interrupted_one() -> None:
    [run] = interrupted_repoints([STARTED])
    state = assess(run, {SSM.label: RESTORED, LAMBDA.label: LIVE})
    assert refuse_other_target([state], LIVE, RESTORED) is None
    refusal = refuse_other_target([state], LIVE, "lee-devices-other")
    assert refusal is not None and "finish it" in refusal and "roll it back" in refusal


def test_a_complete_rollback_of_an_interrupted_repoint_ends_it_in_the_report() -> None:
    assert fold_incident([STARTED]).cutover_started_at == AT
    book = Runbook.from_events([STARTED])
    assert book.step(StepId.CUTOVER).state is StepState.RUNNING
    rolled = event(Kind.CUTOVER_ROLLED_BACK, **COMMON, changes=[SSM.inverted().to_json()],
                   complete=True)  # fmt: skip
    facts = fold_incident([STARTED, rolled])
    assert facts.cutover_started_at is None and facts.cutover is None
    [undone] = facts.rolled_back
    assert undone.cutover_id == "c1" and undone.rolled_back_at == AT
    partial = event(Kind.CUTOVER_ROLLED_BACK, **COMMON, changes=[], complete=False)
    assert fold_incident([STARTED, partial]).cutover_started_at == AT  # still on
