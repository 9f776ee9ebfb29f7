"""The report says only what the journal supports: the true order of what happened, no
negative interval, an unobserved restore end as unknown with its bounds, a partial rollback as
partial with the references it left."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.build import build_report
from lee_console.core.report.truth import GroundTruth

LIVE, RESTORED = "lee-devices", "lee-devices-restored-20261202T031400Z"
POINT = "2026-12-02T03:14:00Z"


def at(minute: int, second: int = 0) -> datetime:
    return datetime(2026, 12, 2, 3, minute, second, tzinfo=UTC)


def ev(kind: str, when: datetime, **data: Any) -> JournalEvent:
    return JournalEvent(kind=kind, at=when, data=data)


def started(when: datetime) -> JournalEvent:
    return ev(Kind.RESTORE_STARTED, when, source=LIVE, target=RESTORED, restore_point=POINT)


def test_declared_after_the_restore_began_shows_the_true_order_and_no_negative_interval() -> None:
    events = [
        started(at(20, 0)),
        ev(
            Kind.INCIDENT_DECLARED,
            at(21, 0),
            table=LIVE,
            damage_start="2026-12-02T03:15:00Z",
            detected_at="2026-12-02T03:20:26Z",
        ),
    ]
    report = build_report(events)
    keys = [m.key for m in report.milestones if m.at is not None]
    assert keys == ["damage-start", "restore-started", "detected"]
    decide = report.measure("time-to-decide")
    assert decide.seconds is None
    assert decide.text == "none: restore started came 26 s before detection"
    markdown = report.to_markdown()
    assert "-26" not in markdown and "- Time to start the restore: none: restore started came" in (
        markdown
    )


def test_a_restore_that_finished_unobserved_is_unknown_with_its_bounds() -> None:
    events = [
        started(at(20, 0)),
        ev(
            Kind.RESTORE_FINISHED,
            at(43, 53),
            source=LIVE,
            target=RESTORED,
            restore_point=POINT,
            duration_seconds=None,
            finished_unobserved=True,
            item_count=300,
        ),
    ]
    report = build_report(events)
    finished = report.milestone("restore-finished")
    assert finished.at is None
    assert finished.missing == (
        "not observed: between 2026-12-02T03:20:00Z and 2026-12-02T03:43:53Z (it finished while "
        "no console was watching)"
    )
    restore = report.measure("time-to-restore")
    assert restore.seconds is None
    assert restore.text == "not known: the end was not observed (at most 23 min 53 s)"
    assert "23 min 53 s" not in report.to_markdown().split("at most")[0]


def test_a_partial_rollback_is_shown_partial_with_the_references_left() -> None:
    changes = [
        {"kind": "ssm", "name": "/lee/tables/devices", "variable": None, "old": LIVE,
         "new": RESTORED},
        {"kind": "lambda", "name": "lee-engine", "variable": "DEVICES_TABLE", "old": LIVE,
         "new": RESTORED},
    ]  # fmt: skip
    inverted = [{**c, "old": RESTORED, "new": LIVE} for c in changes]
    events = [
        started(at(20)),
        ev(Kind.RESTORE_FINISHED, at(21), source=LIVE, target=RESTORED, restore_point=POINT),
        ev(
            Kind.CUTOVER,
            at(25),
            strategy="repoint",
            cutover_id="c1",
            live=LIVE,
            restored=RESTORED,
            changes=changes,
            complete=True,
        ),
        ev(
            Kind.CUTOVER_ROLLED_BACK,
            at(30),
            strategy="repoint",
            cutover_id="c1",
            live=LIVE,
            restored=RESTORED,
            changes=[inverted[0]],
            skipped=[{**inverted[1], "status": "conflict", "detail": "holds another value"}],
            failed=[],
            complete=False,
        ),
    ]
    cut = build_report(events).milestone("cut-over")
    assert cut.at == at(25)
    assert cut.detail.endswith(
        f"; rollback at 2026-12-02T03:30:00Z PARTIAL, not put back to {LIVE}: "
        "lambda lee-engine DEVICES_TABLE (conflict: changed or removed since, left as it is)"
    )


def _truth(writes: list[tuple[str, str]]) -> Any:
    return GroundTruth.from_json(
        {
            "table": LIVE,
            "damage_start": "2026-12-02T03:15:00Z",
            "damaged_keys": [{"device_id": "dev-01724"}, {"device_id": "dev-00007"}],
            "legit_writes_since": "2026-12-02T01:15:00Z",
            "legit_writes": [{"key": {"device_id": d}, "at": t} for d, t in writes],
        },
        "the drill's truth",
    )


WRITES = [
    ("dev-00001", "2026-12-02T03:13:59.900Z"),  # before the restore point: in the copy
    ("dev-01724", "2026-12-02T03:14:30.000Z"),  # between, then damaged: lost by a repair
    ("dev-00002", "2026-12-02T03:14:40.000Z"),  # between, never damaged: kept by a repair
    ("dev-00003", "2026-12-02T03:20:00.000Z"),  # after the damage start, undamaged: kept
]


def test_the_rpo_is_measured_write_by_write_against_a_ground_truth() -> None:
    events = [
        started(at(20)),
        ev(Kind.RESTORE_FINISHED, at(21), source=LIVE, target=RESTORED, restore_point=POINT),
        ev(
            Kind.REPAIR_FINISHED,
            at(25),
            live=LIVE,
            restored=RESTORED,
            damaged=2,
            repaired=2,
            skipped=0,
            left=0,
            complete=True,
        ),
    ]
    rpo = build_report(events, truth=_truth(WRITES)).rpo
    assert rpo.strategy == "repair" and rpo.unknown == ""
    assert rpo.measured is not None
    assert rpo.measured.to_json() == {
        "between_point_and_damage": {"writes": 2, "lost": 1, "kept": 1},
        "after_damage_start": {"writes": 1, "lost": 0, "kept": 1},
        "lost_samples": ['{"device_id":"dev-01724"}'],
    }
    assert rpo.measured.text == (
        "Measured against the drill's truth: 2 legitimate writes between the restore point "
        "(2026-12-02T03:14:00Z) and the damage start 1 min later: 1 kept, 1 lost; 1 after the "
        "damage start: 1 kept, 0 lost. Lost, e.g.: dev-01724."
    )
    repointed = build_report(
        [*events[:2], ev(Kind.CUTOVER, at(25), strategy="repoint", live=LIVE, restored=RESTORED)],
        truth=_truth(WRITES),
    ).rpo
    assert repointed.measured is not None
    assert repointed.measured.to_json()["after_damage_start"] == {"writes": 1, "lost": 1, "kept": 0}


def test_writes_the_application_made_into_the_restored_table_are_not_counted_lost() -> None:
    """A drill sandbox's users keep writing to the table the application reads: after a
    repoint, their writes land in the restored table and nothing of them is lost."""
    truth = GroundTruth.from_json(
        {
            "table": "lee-devices",
            "damage_start": "2026-12-03T11:23:00Z",
            "damaged_keys": [],
            "legit_writes_since": "2026-12-03T09:23:00Z",
            "legit_writes": [
                {"key": {"device_id": "dev-1"}, "at": "2026-12-03T11:30:00Z",
                 "table": "lee-devices"},
                {"key": {"device_id": "dev-2"}, "at": "2026-12-03T11:50:00Z",
                 "table": "lee-devices-restored-20261203T112259Z"},
                {"key": {"device_id": "dev-3"}, "at": "2026-12-03T11:31:00Z"},
            ],
        },
        "a drill",
    )  # fmt: skip
    assert [key for key, _ in truth.writes] == ['{"device_id":"dev-1"}', '{"device_id":"dev-3"}']
