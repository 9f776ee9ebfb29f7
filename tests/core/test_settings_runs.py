"""core.settings_runs: an apply journaled as started and never as finished is found until a later
apply names it, says what it left, and the runbook and the report never count it as re-applied."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from lee_console.core.drift import Drift
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.build import build_report
from lee_console.core.runbook import Runbook, StepId, StepState
from lee_console.core.settings_runs import interrupted_applies, resumed_fields, said

AT = datetime(2025, 2, 14, 11, 40, tzinfo=UTC)
LIVE, RESTORED = "lee-devices", "lee-devices-r"


def event(kind: str, minute: int = 0, **data: Any) -> JournalEvent:
    return JournalEvent(kind=kind, at=AT + timedelta(minutes=minute), data=data)


def drift(setting: str, in_sync: bool) -> Drift:
    return Drift(setting, "on", "on" if in_sync else "off", in_sync, "" if in_sync else "apply")


RESTORE = [
    event(Kind.RESTORE_STARTED, source=LIVE, target=RESTORED, restore_point=AT),
    event(Kind.RESTORE_FINISHED, source=LIVE, target=RESTORED, restore_point=AT),
]
APPLYING = event(
    Kind.SETTINGS_APPLYING, 1, run_id="r1", source=LIVE, target=RESTORED,
    settings=["pitr", "tags", "stream"], pid=99, host="bastion",
)  # fmt: skip
NOW = [drift("pitr", True), drift("tags", False), drift("stream", False)]


def test_an_apply_without_outcome_is_interrupted_until_a_later_apply_names_it() -> None:
    [run] = interrupted_applies([APPLYING], RESTORED)
    assert (run.run_id, run.source, run.pid) == ("r1", LIVE, 99)
    assert run.settings == ("pitr", "tags", "stream")
    assert interrupted_applies([APPLYING], "another-table") == []
    own = event(Kind.SETTINGS_APPLIED, 2, run_id="r1", target=RESTORED, settings=["pitr"])
    assert interrupted_applies([APPLYING, own]) == []
    later = event(Kind.SETTINGS_APPLIED, 2, run_id="r2", target=RESTORED,
                  resumed=resumed_fields([run], NOW))  # fmt: skip
    assert interrupted_applies([APPLYING, later]) == []


def test_what_it_left_is_said_from_the_diff_read_now() -> None:
    [run] = interrupted_applies([APPLYING])
    text = said(run, NOW)
    assert "(started 2025-02-14T11:41:00Z, pid 99) was interrupted" in text
    assert "of its 3 setting(s), 1 hold now (pitr); 2 do not (tags, stream)" in text
    assert said(run, [drift(s, True) for s in run.settings]).endswith(
        "nothing of it is left to apply."
    )
    assert resumed_fields([run], NOW)[0]["held"] == ["pitr"]


def test_the_runbook_and_the_report_do_not_count_it_as_re_applied() -> None:
    book = Runbook.from_events([*RESTORE, APPLYING])
    assert book.step(StepId.SETTINGS).state is StepState.RUNNING
    report = build_report([*RESTORE, APPLYING])
    assert [line for line in report.settings if "NO OUTCOME" in line]
    assert not [line for line in report.settings if "holds" in line]
    [run] = interrupted_applies([APPLYING])
    finished = event(
        Kind.SETTINGS_APPLIED, 2, run_id="r2", source=LIVE, target=RESTORED,
        settings=["tags", "stream"], holds=True, resumed=resumed_fields([run], NOW),
    )  # fmt: skip
    book = Runbook.from_events([*RESTORE, APPLYING, finished])
    assert book.step(StepId.SETTINGS).state is StepState.DONE
    assert book.step(StepId.SETTINGS).evidence[0].startswith("tags, stream, pitr on")
    report = build_report([*RESTORE, APPLYING, finished])
    [line] = report.settings
    assert "tags, stream (re-read: holds); pitr applied by an apply interrupted at" in line
