"""core.repoint: which references change, the typed confirmation, rollback from the journal."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from lee_console.core.errors import InvalidInput
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.repoint import (
    Change,
    Reference,
    check_confirmation,
    classify,
    found_result,
    pending_rollbacks,
    plan_repoint,
    reread_failed,
)

AT = datetime(2025, 2, 11, 12, 0, tzinfo=UTC)
SSM = Change("ssm", "/lee/tables/devices", None, "lee-devices", "lee-devices-r")
LAMBDA = Change("lambda", "lee-engine", "DEVICES_TABLE", "lee-devices", "lee-devices-r")


def event(kind: str, **data: Any) -> JournalEvent:
    return JournalEvent(kind=kind, at=AT, data=data)


def test_plan_takes_only_exact_values_ssm_first() -> None:
    refs = [
        Reference("lambda", "lee-engine", "DEVICES_TABLE", "lee-devices"),
        Reference("lambda", "lee-engine", "USERS_TABLE", "lee-users"),
        Reference("ssm", "/lee/tables/devices", None, "lee-devices"),
        Reference("ssm", "/lee/other", None, "lee-devices-old"),
    ]
    assert plan_repoint(refs, "lee-devices", "lee-devices-r") == [SSM, LAMBDA]


def test_plan_refuses_the_same_table() -> None:
    with pytest.raises(InvalidInput, match="same"):
        plan_repoint([], "a", "a")


def test_classify_makes_a_change_only_over_the_old_value() -> None:
    assert classify(SSM, "lee-devices") is None
    assert classify(SSM, "lee-devices-r") == "already"
    assert classify(SSM, "someone-else") == "conflict"
    assert classify(SSM, None) == "conflict"


def test_a_value_found_in_aws_is_shown_but_never_journaled() -> None:
    """A reference someone changed may hold anything: the operator sees it, the journal only
    keeps the change's own table names."""
    conflict = found_result(SSM, "conflict", "FAKESECRET-pasted-here")
    assert conflict.detail == "holds 'FAKESECRET-pasted-here'"
    assert "FAKESECRET" not in str(conflict.to_json())
    assert conflict.to_json()["detail"] == "another value (not recorded)"
    failed = reread_failed(LAMBDA, "FAKESECRET-too")
    assert "FAKESECRET" in failed.detail and "FAKESECRET" not in str(failed.to_json())
    assert found_result(SSM, "conflict", None).to_json()["detail"] == "is gone"
    assert found_result(SSM, "already", "lee-devices-r").to_json()["detail"] == ""
    # the change's own table names are what a cutover may record
    assert found_result(SSM, "conflict", "lee-devices").to_json()["detail"] == "holds 'lee-devices'"


def test_change_json_round_trip_and_inversion() -> None:
    assert Change.from_json(LAMBDA.to_json()) == LAMBDA
    assert LAMBDA.to_json() == {
        "kind": "lambda",
        "name": "lee-engine",
        "variable": "DEVICES_TABLE",
        "old": "lee-devices",
        "new": "lee-devices-r",
    }
    assert SSM.inverted().new == "lee-devices" and SSM.inverted().inverted() == SSM
    assert LAMBDA.label == "lambda lee-engine DEVICES_TABLE"


def test_confirmation_must_be_the_exact_name() -> None:
    check_confirmation("lee-devices-r", "lee-devices-r", "repointing")
    check_confirmation(" lee-devices-r\n", "lee-devices-r", "repointing")
    with pytest.raises(InvalidInput, match="'lee-devices' is not 'lee-devices-r'") as wrong:
        check_confirmation("lee-devices", "lee-devices-r", "repointing")
    assert "\n" not in wrong.value.message
    with pytest.raises(InvalidInput, match="--confirm lee-devices-r"):
        check_confirmation(None, "lee-devices-r", "repointing")


def cutover(cid: str, *changes: Change, started_only: bool = False) -> list[JournalEvent]:
    common = {"cutover_id": cid, "strategy": "repoint", "live": "lee-devices",
              "restored": changes[0].new if changes else "?"}  # fmt: skip
    events = [event(Kind.CUTOVER_STARTED, **common, planned=[c.to_json() for c in changes])]
    if not started_only:
        events.append(event(Kind.CUTOVER, **common, changes=[c.to_json() for c in changes]))
    return events


def test_a_cutover_is_pending_until_a_complete_rollback() -> None:
    events = cutover("c1", SSM, LAMBDA)
    [pending] = pending_rollbacks(events)
    assert pending.cutover_id == "c1"
    assert pending.changes == (SSM.inverted(), LAMBDA.inverted())
    partial = event(Kind.CUTOVER_ROLLED_BACK, cutover_id="c1", complete=False)
    assert len(pending_rollbacks([*events, partial])) == 1
    done = event(Kind.CUTOVER_ROLLED_BACK, cutover_id="c1", complete=True)
    assert pending_rollbacks([*events, partial, done]) == []


def test_rollback_uses_changes_made_not_planned() -> None:
    events = cutover("c1", SSM, LAMBDA)
    events[1] = event(Kind.CUTOVER, **{**events[1].data, "changes": [SSM.to_json()]})
    [pending] = pending_rollbacks(events)
    assert pending.changes == (SSM.inverted(),)


def test_a_cutover_killed_mid_way_rolls_back_its_planned_changes() -> None:
    [pending] = pending_rollbacks(cutover("c1", SSM, started_only=True))
    assert pending.changes == (SSM.inverted(),)


def test_several_cutovers_roll_back_latest_first_and_others_are_ignored() -> None:
    second = Change("ssm", "/lee/tables/devices", None, "lee-devices-r", "lee-devices-r2")
    events = [
        *cutover("c1", SSM),
        event(Kind.CUTOVER, strategy="repair", live="lee-devices", restored="x", repaired=3),
        event(Kind.NOTE, text="hello"),
        *cutover("c2", second),
    ]
    assert [p.cutover_id for p in pending_rollbacks(events)] == ["c2", "c1"]


def test_a_cutover_that_changed_nothing_has_nothing_to_roll_back() -> None:
    events = cutover("c1", SSM)
    events[1] = event(Kind.CUTOVER, **{**events[1].data, "changes": []})
    assert pending_rollbacks(events) == []
