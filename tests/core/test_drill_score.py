"""The drill's score card against a ground truth: a good recovery earns every point, and each
mistake loses points with the reason said."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from lee_console.core.drill.card import card_markdown, card_text, facilitator_timeline
from lee_console.core.drill.score import AppState, DrillInfo, score_drill
from lee_console.core.drill.truth import DrillTruth
from lee_console.core.report.facts import (
    Cutover,
    IncidentFacts,
    Restore,
    SettingsApplied,
    Verification,
)

PAGE = datetime(2026, 12, 3, 11, 47, tzinfo=UTC)
DAMAGE = PAGE - timedelta(minutes=24)
RESTORED = "lee-devices-restored-20261203T112259Z"


def truth() -> DrillTruth:
    data: dict[str, Any] = {
        "scenario": "bad-deployment",
        "table": "lee-devices",
        "damage_start": "2026-12-03T11:23:00Z",
        "damaged_keys": [{"device_id": "dev-00001"}],
        "legit_keys_after": [{"device_id": "dev-00002"}],
        "legit_writes_since": "2026-12-03T09:23:00Z",
        "legit_writes": [
            {"key": {"device_id": "dev-00003"}, "at": "2026-12-03T11:22:30.000Z"},
            {"key": {"device_id": "dev-00002"}, "at": "2026-12-03T11:40:00.000Z"},
        ],
        "seed": 7,
        "expected": {"dev-00001": "good1", "dev-00002": "new2", "dev-00003": "new3"},
        "damaged_digests": {"dev-00001": "bad1"},
        "brief": {"symptoms": ["Devices show 'unknown'."], "detected_at": "2026-12-03T11:40:00Z"},
    }
    return DrillTruth.from_json(data)


INFO = DrillInfo("drill-x", "bad-deployment", "alice", 60, PAGE, 7)


def at(minutes: int) -> datetime:
    return PAGE + timedelta(minutes=minutes)


def facts(point: datetime, verified: bool = True, settings: bool = True) -> IncidentFacts:
    restore = Restore("lee-devices", RESTORED, point, "point-in-time", PAGE, 0, finished_at=at(8))
    check = Verification(RESTORED, "lee-devices", True, at(10), 1, 0, (), None)
    applied = SettingsApplied(RESTORED, ("pitr", "ttl"), True, at(12), 2)
    return IncidentFacts(
        table="lee-devices",
        restores=(restore,),
        current=RESTORED,
        verifications=(check,) if verified else (),
        settings=(applied,) if settings else (),
        cutover=Cutover("repoint", "lee-devices", RESTORED, at(15), 3, (), None),
    )


def test_a_good_recovery_earns_every_point() -> None:
    app = AppState(RESTORED, RESTORED, True, {"dev-00001": "good1", "dev-00002": "new2",
                                              "dev-00003": "new3"})  # fmt: skip
    card = score_drill(INFO, truth(), facts(DAMAGE - timedelta(seconds=1)), app, 0, PAGE)
    assert card.total == card.max_total == 100, card_text(card)
    assert card.recovered_seconds == 15 * 60


def test_each_mistake_loses_points_with_its_reason() -> None:
    # restored after the damage began, never verified, no settings, the Lambda not repointed
    app = AppState(RESTORED, "lee-devices", None, None)
    card = score_drill(
        INFO, truth(), facts(DAMAGE + timedelta(minutes=2), False, False), app, 2, PAGE
    )
    lines = {line.key: line for line in card.lines}
    assert lines["restore-point"].points == 0
    assert "after the damage began" in lines["restore-point"].reasons[0]
    assert "damaged data came back" in lines["restore-point"].reasons[0]
    assert lines["verification"].reasons == ("The restored table was never verified.",)
    assert lines["cutover"].points == 0
    assert "the application reads two tables" in lines["cutover"].reasons[0]
    assert lines["hints"].points == -6
    assert lines["time"].points == 0  # half the application reads the damaged table
    assert card.total == 0  # and the hints' cost does not go below zero
    assert "Score 0 / 100" in card_text(card)


def test_writes_lost_and_damage_left_are_counted_from_what_the_application_reads() -> None:
    # the application reads a restored table from a minute before the damage: dev-00003's
    # write 30 s before the damage and dev-00002's since are missing; dev-00001 is good
    app = AppState(RESTORED, RESTORED, False, {"dev-00001": "good1", "dev-00002": "old2",
                                               "dev-00003": "old3"})  # fmt: skip
    card = score_drill(INFO, truth(), facts(DAMAGE - timedelta(minutes=1)), app, 0, PAGE)
    lines = {line.key: line for line in card.lines}
    assert lines["restore-point"].points == 19
    assert "1 legitimate writes in between" in lines["restore-point"].reasons[0]
    assert lines["legit-writes"].points == 13
    assert "dev-00002, dev-00003" in lines["legit-writes"].reasons[0]
    assert lines["settings"].points == 5
    assert "PITR is off on" in lines["settings"].reasons[0]
    assert lines["cutover"].points == 25


def test_a_table_the_application_reads_that_does_not_exist_earns_no_settings_points() -> None:
    # accidental delete: restored under a new name, the application still names the deleted one
    gone = "The application reads lee-devices, which does not exist."
    app = AppState("lee-devices", "lee-devices", None, None, (gone,))
    deleted = Restore("lee-devices", "lee-devices-copy", None, "deleted", PAGE, 0, at(8))
    restored = IncidentFacts(table="lee-devices", restores=(deleted,), current=deleted.target)
    card = score_drill(INFO, truth(), restored, app, 0, PAGE)
    lines = {line.key: line for line in card.lines}
    assert lines["settings"].points == 0 and lines["settings"].reasons == (gone,)
    assert lines["cutover"].points == 0 and lines["cutover"].reasons == (gone,)


def test_the_facilitator_sees_the_truth_beside_the_timeline() -> None:
    moments = facilitator_timeline(truth(), facts(DAMAGE - timedelta(seconds=1)), PAGE, [])
    app = AppState(RESTORED, RESTORED, True, {})
    card = score_drill(INFO, truth(), facts(DAMAGE - timedelta(seconds=1)), app, 0, PAGE)
    markdown = card_markdown(card, moments)
    assert "| 2026-12-03T11:23:00Z | The damage began: 1 items. |  |" in markdown
    assert "Restore to 2026-12-03T11:22:59Z" in markdown
    assert markdown.index("The damage began") < markdown.index("The page went out")
