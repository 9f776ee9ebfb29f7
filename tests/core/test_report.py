"""The post-incident report, built from journal events alone."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.build import RtoClock, build_report
from lee_console.core.report.units import minutes_text


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2025, 2, 14, hour, minute, second, tzinfo=UTC)


def ev(kind: str, when: datetime, **data: Any) -> JournalEvent:
    return JournalEvent(kind=kind, at=when, data=data)


LIVE, RESTORED = "lee-devices", "lee-devices-restored-20250214-1122"


def dec_incident() -> list[JournalEvent]:
    """The decision record's February 2025 incident, as the console would have journaled it."""
    return [
        ev(
            Kind.INCIDENT_DECLARED,
            at(11, 49),
            table=LIVE,
            damage_start="2025-02-14T11:23:00Z",
            detected_at="2025-02-14T11:47:00Z",
        ),
        ev(Kind.NOTE, at(11, 50), text="devices show wrong states since the 11:23 deploy"),
        ev(
            Kind.AWS_CALL,
            at(11, 52),
            service="dynamodb",
            operation="RestoreTableToPointInTime",
            params={"SourceTableName": LIVE, "TargetTableName": RESTORED},
            cli=f"aws dynamodb restore-table-to-point-in-time --source-table-name {LIVE}",
            identity="arn:aws:iam::123456789012:user/oncall",
        ),
        ev(
            Kind.AWS_RESULT,
            at(11, 52),
            service="dynamodb",
            operation="RestoreTableToPointInTime",
            status=200,
        ),
        ev(
            Kind.RESTORE_STARTED,
            at(11, 52),
            source=LIVE,
            target=RESTORED,
            restore_point="2025-02-14T11:22:00Z",
            restore_kind="point-in-time",
        ),
        ev(
            Kind.RESTORE_FINISHED,
            at(12, 27),
            source=LIVE,
            target=RESTORED,
            restore_point="2025-02-14T11:22:00Z",
            duration_seconds=2100.0,
            item_count=3000,
        ),
        ev(Kind.CUTOVER, at(12, 35), strategy="repoint", live=LIVE, restored=RESTORED),
        ev(Kind.SERVICE_CONFIRMED, at(12, 38)),
    ]


def test_the_decision_records_incident_missed_its_rto() -> None:
    report = build_report(dec_incident(), rto_target_minutes=60, rto_clock="damage")
    minutes = {m.key: m.seconds / 60 for m in report.measures if m.seconds is not None}
    assert minutes["time-to-detect"] == 24
    assert minutes["time-to-restore"] == 35
    assert minutes["detection-to-recovery"] == 51
    assert minutes["damage-to-recovery"] == 75
    assert report.rto.verdict == "RTO target 60 min missed by 15 min"
    assert report.rto.met is False
    assert report.rto.elapsed_seconds == 75 * 60
    assert report.rpo.restore_point == at(11, 22)
    assert report.rpo.point_text.startswith("Restore point 2025-02-14T11:22:00Z, 1 min before")
    assert report.rpo.outcome == "lost"
    assert report.rpo.legit_writes is None
    markdown = report.to_markdown()
    assert "**RTO target 60 min missed by 15 min.**" in markdown
    assert "the RTO clock starts at the damage start" in markdown


def test_the_same_incident_with_the_clock_at_detection_meets_it() -> None:
    report = build_report(dec_incident(), rto_target_minutes=60, rto_clock=RtoClock.DETECTION)
    assert report.rto.elapsed_seconds == 51 * 60
    assert report.rto.verdict == "RTO target 60 min met with 9 min to spare"
    assert report.rto.met is True
    assert report.rto.other_clock == (
        "Counted from the damage start instead: 75 min, missed by 15 min."
    )
    assert "the RTO clock starts at detection" in report.to_markdown()


def test_service_confirmed_before_the_damage_began_is_no_rto_met() -> None:
    """A journal from before confirm-service refused such a time (`--at -2h` for `-2m`)."""
    events = [
        *dec_incident()[:1],
        ev(Kind.SERVICE_CONFIRMED, at(11, 49), occurred_at="2025-02-14T09:38:00Z"),
    ]
    report = build_report(events, rto_target_minutes=60, rto_clock="damage")
    assert report.rto.met is None
    assert report.rto.verdict == (
        "RTO target 60 min: not known (service confirmed 105 min before the damage start)"
    )
    assert report.rto.other_clock == (
        "Counted from detection instead: not known (service confirmed before it)."
    )
    assert "met" not in report.to_markdown().split("RTO target")[1].split(".")[0]


def test_markdown_key_lines() -> None:
    lines = build_report(dec_incident(), 60, "damage", incident="feb-2025").to_markdown()
    expected = [
        "# Incident report: feb-2025",
        "- Table: lee-devices",
        "- Status: open (not closed)",
        "**RTO target 60 min missed by 15 min.** The RTO clock starts at the damage start",
        "(2025-02-14T11:23:00Z) and stops when service is confirmed",
        "(2025-02-14T12:38:00Z): 75 min.",
        "Counted from detection instead: 51 min, met with 9 min to spare.",
        "| Milestone         | Time                 | Since previous |",
        "| Damage started    | 2025-02-14T11:23:00Z |                |",
        "| Detected          | 2025-02-14T11:47:00Z | +24 min        |",
        "| Restore started   | 2025-02-14T11:52:00Z | +5 min         |",
        "| Restore finished  | 2025-02-14T12:27:00Z | +35 min        |",
        "| Verified          | not recorded         |                |",
        "| Cut over          | 2025-02-14T12:35:00Z | +8 min         |",
        "| Service confirmed | 2025-02-14T12:38:00Z | +3 min         |",
        "| Incident closed   | not recorded         |                |",
        f"- Restore started: {LIVE} -> {RESTORED}, restore",
        "  point 2025-02-14T11:22:00Z",
        f"- Restore finished: {RESTORED} ACTIVE, 3,000 items",
        f"- Cut over: repoint to {RESTORED}",
        "- Time to detect: 24 min (damage start -> detection)",
        "- Time to start the restore: 5 min (detection -> restore started)",
        "- Time to restore: 35 min (restore started -> restore finished)",
        "- Verification and cutover: 8 min (restore finished -> cut over)",
        "- Time to confirm service: 3 min (cut over -> service confirmed)",
        "- From detection to recovery: 51 min (detection -> service confirmed)",
        "- From damage start to recovery: 75 min (damage start -> service confirmed)",
        "- Restore point 2025-02-14T11:22:00Z, 1 min before the damage start",
        f"- Restored table {RESTORED}: 3,000 items.",
        "- Cut over with no passing verification in the journal.",
        "- 2025-02-14T11:50:00Z note: devices show wrong states since the 11:23 deploy",
        "As arn:aws:iam::123456789012:user/oncall.",
        f"- 2025-02-14T11:52:00Z dynamodb restore-table-to-point-in-time {LIVE} ->",
        f"  {RESTORED}",
    ]
    present = lines.splitlines()
    for line in expected:
        assert line in present, line
    assert any(line.startswith(f"- Repointed to {RESTORED} with no settings") for line in present)
    assert max(len(line) for line in present) <= 80


def test_json_carries_the_same_numbers() -> None:
    document = json.loads(build_report(dec_incident(), 60, "damage").to_json())
    assert document["rto"]["verdict"] == "RTO target 60 min missed by 15 min"
    assert document["rto"]["elapsed_minutes"] == 75
    assert document["rto"]["clock"] == "damage"
    assert document["measures"]["time-to-detect"]["minutes"] == 24
    assert document["measures"]["detection-to-recovery"]["minutes"] == 51
    assert document["rpo"]["restore_point"] == "2025-02-14T11:22:00Z"
    assert document["rpo"]["strategy"] == "repoint"
    assert [c["cli"] for c in document["commands"]] == [
        f"aws dynamodb restore-table-to-point-in-time --source-table-name {LIVE}"
    ]
    timeline = {row["key"]: row for row in document["timeline"]}
    assert timeline["verified"] == {
        "key": "verified",
        "label": "Verified",
        "at": None,
        "detail": None,
        "missing": "not recorded",
    }


def test_clock_from_the_declaration_when_not_given() -> None:
    events = dec_incident()
    events[0] = ev(
        Kind.INCIDENT_DECLARED, at(11, 49), **{**events[0].data, "rto_clock": "detection"}
    )
    assert build_report(events, 60).rto_clock is RtoClock.DETECTION
    assert build_report(events, 60, "damage").rto_clock is RtoClock.DAMAGE


def test_an_empty_journal_reports_everything_not_recorded() -> None:
    report = build_report([], 60)
    assert all(m.at is None for m in report.milestones)
    assert all(m.text == "not recorded" for m in report.measures)
    assert report.rto.met is None
    assert report.rto.verdict == (
        "RTO target 60 min: not known (the damage start and service confirmed not recorded)"
    )
    markdown = report.to_markdown()
    assert "| Damage started    | not recorded |                |" in markdown
    assert "- No mutating AWS call in the journal." in markdown


def test_missing_service_confirmation_leaves_recovery_unknown() -> None:
    events = [e for e in dec_incident() if e.kind != Kind.SERVICE_CONFIRMED]
    report = build_report(events, 60)
    assert report.measure("time-to-restore").seconds == 35 * 60
    assert report.measure("damage-to-recovery").seconds is None
    assert report.rto.verdict == "RTO target 60 min: not known (service confirmed not recorded)"


def test_repair_in_place_keeps_the_legitimate_writes() -> None:
    events = [e for e in dec_incident() if e.kind not in (Kind.CUTOVER, Kind.SERVICE_CONFIRMED)]
    events += [
        ev(
            Kind.VERIFIED,
            at(12, 30),
            table=RESTORED,
            against=LIVE,
            passed=True,
            violations=0,
            legit_writes_after=1204,
            counts={RESTORED: 3000, LIVE: 3012},
        ),
        ev(Kind.REPAIR_BATCH, at(12, 31), live=LIVE, restored=RESTORED, repaired=25, skipped=1),
        ev(Kind.REPAIR_BATCH, at(12, 32), live=LIVE, restored=RESTORED, repaired=20, skipped=0),
        ev(
            Kind.REPAIR_FINISHED,
            at(12, 33),
            live=LIVE,
            restored=RESTORED,
            repaired=45,
            skipped=1,
            left=0,
        ),
        ev(Kind.SERVICE_CONFIRMED, at(12, 36), text="dashboards green"),
    ]
    report = build_report(events, 60)
    assert report.rpo.outcome == "kept"
    assert report.rpo.strategy == "repair"
    assert report.rpo.legit_writes == 1204
    assert "keeps the legitimate changes the diff found" in report.rpo.text
    assert "(1,204 items)" in report.rpo.text
    assert report.rpo.unknown == (
        "Not known without a ground truth: how many legitimate writes were made between the "
        "restore point and the damage start (1 min later) to the 45 items written back; each "
        "such write is lost (neither table holds it)."
    )
    assert report.milestone("cut-over").at == at(12, 33)
    assert report.milestone("verified").at == at(12, 30)
    assert report.items[-1] == (
        "Repair in place: 45 repaired, 1 skipped (changed since the diff, left as they are), "
        "0 left."
    )
    assert (
        "integrity violations 0; items: lee-devices-restored-20250214-1122 3,000"
        in (report.items[1])
    )
    assert report.settings == (
        "None needed: a repair in place keeps the live table and its settings.",
    )
    assert report.warnings == ()
    assert report.rto.verdict == "RTO target 60 min missed by 13 min"


def test_a_stopped_repair_is_not_a_cutover() -> None:
    """core/repair.py journals totals with complete=False when items were left; the repair
    resumes later. Until then nothing is cut over."""
    events = [e for e in dec_incident() if e.kind not in (Kind.CUTOVER, Kind.SERVICE_CONFIRMED)]
    stopped = ev(
        Kind.REPAIR_FINISHED,
        at(12, 33),
        live=LIVE,
        restored=RESTORED,
        damaged=450,
        repaired=200,
        skipped=2,
        left=248,
        complete=False,
        cancelled=True,
        legit_writes_after=1204,
    )
    report = build_report([*events, stopped], 60)
    assert report.milestone("cut-over").at is None
    assert report.rpo.outcome == "not-cut-over"
    assert report.items[-1] == (
        "Repair in place: 450 damaged items: 200 repaired, 2 skipped (changed since the diff, "
        "left as they are), 248 left. The repair STOPPED early."
    )
    done = ev(
        Kind.REPAIR_FINISHED,
        at(12, 40),
        live=LIVE,
        restored=RESTORED,
        damaged=450,
        repaired=448,
        skipped=2,
        left=0,
        complete=True,
        legit_writes_after=1204,
    )
    cut = ev(
        Kind.CUTOVER,
        at(12, 40),
        strategy="repair",
        live=LIVE,
        restored=RESTORED,
        counts={"repaired": 448},
        legit_writes_after=1204,
        complete=True,
    )
    finished = build_report([*events, stopped, done, cut], 60)
    assert finished.milestone("cut-over").at == at(12, 40)
    assert finished.milestone("cut-over").detail == "repair in place"
    assert finished.rpo.outcome == "kept" and finished.rpo.legit_writes == 1204


def test_repoint_with_a_counted_loss_and_settings() -> None:
    events = dec_incident()
    events.insert(
        6,
        ev(
            Kind.VERIFIED,
            at(12, 30),
            table=RESTORED,
            against=LIVE,
            passed=True,
            diff={"changed": 1500, "legit_writes_after": 1204},
        ),
    )
    events.insert(
        7,
        ev(
            Kind.SETTINGS_APPLIED,
            at(12, 32),
            source=LIVE,
            target=RESTORED,
            settings=["pitr", "ttl", "tags"],
            holds=True,
        ),
    )
    report = build_report(events, 60)
    assert report.rpo.legit_writes == 1204
    assert "are lost: 1,204 items." in report.rpo.text
    assert report.settings == (
        f"2025-02-14T12:32:00Z {RESTORED}: pitr, ttl, tags (re-read: holds).",
    )
    assert report.warnings == ()


def test_verify_events_as_core_verify_writes_them() -> None:
    """violations {items, by_rule, against_items}; diff = the diff's counts: the legitimate
    changes are the differing items that are not damage."""
    events = dec_incident()
    verified = ev(
        Kind.VERIFIED,
        at(12, 30),
        table=RESTORED,
        against=LIVE,
        passed=True,
        counts={RESTORED: 3000, LIVE: 3010},
        violations={"items": 0, "by_rule": {}, "against_items": 450},
        diff={"restored_items": 3000, "live_items": 3010, "added": 10, "removed": 0,
              "changed": 640, "unchanged": 2350, "damaged": 450},
    )  # fmt: skip
    events.insert(6, verified)
    report = build_report(events, 60)
    assert report.rpo.legit_writes == 200
    assert "are lost: 200 items." in report.rpo.text
    assert report.items[1] == (
        f"Verification of {RESTORED} against {LIVE}: passed, integrity violations 0 (live "
        f"table: 450); damaged items in the diff 450; items: {RESTORED} 3,000, {LIVE} 3,010."
    )


def test_not_cut_over_yet() -> None:
    events = dec_incident()[:6]
    report = build_report(events, 60)
    assert report.rpo.outcome == "not-cut-over"
    assert report.rpo.text.startswith("Not cut over: nothing lost yet.")
    assert report.milestone("cut-over").at is None


def test_restore_point_after_the_damage_is_flagged() -> None:
    events = dec_incident()
    events[4] = ev(
        Kind.RESTORE_STARTED,
        at(11, 52),
        source=LIVE,
        target=RESTORED,
        restore_point="2025-02-14T11:25:00Z",
    )
    events[5] = ev(
        Kind.RESTORE_FINISHED,
        at(12, 27),
        source=LIVE,
        target=RESTORED,
        restore_point="2025-02-14T11:25:00Z",
    )
    report = build_report(events, 60)
    assert "2 min AFTER the damage start" in report.rpo.point_text
    assert any("holds damage" in w for w in report.warnings)


def test_failed_verification_override_rollback_and_other_tables() -> None:
    other = "lee-users-restored-1"
    events = [
        *dec_incident()[:6],
        ev(Kind.RESTORE_STARTED, at(11, 55), source="lee-users", target=other),
        ev(Kind.VERIFIED, at(12, 28), table=other, against="lee-users", passed=True),
        ev(Kind.VERIFIED, at(12, 29), table=RESTORED, against=LIVE, passed=False, violations=7),
        ev(Kind.OVERRIDE, at(12, 30), step="cutover", typed=LIVE, reason="rules out of date"),
        ev(
            Kind.CUTOVER,
            at(12, 31),
            strategy="repoint",
            live=LIVE,
            restored=RESTORED,
            cutover_id="a1",
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
        ev(
            Kind.CUTOVER_ROLLED_BACK,
            at(12, 33),
            live=LIVE,
            restored=RESTORED,
            cutover_id="a1",
            complete=True,
        ),
        ev("something-new", at(12, 34), table=LIVE, whatever=[1, 2]),
        ev(Kind.RESTORE_FINISHED, at(12, 35), source="lee-users", target=other, item_count=5),
    ]
    report = build_report(events, 60)
    assert report.table == LIVE
    assert report.milestone("restore-started").detail.endswith("restore point 2025-02-14T11:22:00Z")
    assert report.milestone("verified").at is None
    assert report.milestone("verified").missing.startswith("not passed: failed at")
    assert report.milestone("cut-over").at is None  # rolled back
    assert any("rolled back at 2025-02-14T12:33:00Z" in w for w in report.warnings)
    assert report.rpo.outcome == "not-cut-over"


def test_override_is_reported_when_cutting_over_unverified() -> None:
    events = dec_incident()
    events.insert(
        6,
        ev(Kind.OVERRIDE, at(12, 30), step="cutover", typed=LIVE, reason="verification tool down"),
    )
    report = build_report(events, 60)
    assert any(
        w.startswith("Cut over without a passing verification: the operator overrode the lock")
        and w.endswith(": verification tool down.")
        for w in report.warnings
    )


def test_occurred_at_wins_over_the_journal_time() -> None:
    events = [
        *dec_incident()[:-1],
        ev(Kind.SERVICE_CONFIRMED, at(13, 0), occurred_at="2025-02-14T12:38:00Z"),
    ]
    assert build_report(events, 60).rto.elapsed_seconds == 75 * 60


def test_bad_values_are_ignored_not_fatal() -> None:
    events = [
        ev(
            Kind.INCIDENT_DECLARED, at(11, 49), table=LIVE, damage_start="yesterday", detected_at=12
        ),
        ev(Kind.RESTORE_STARTED, at(11, 52), source=LIVE),  # no target
        ev(Kind.RESTORE_FINISHED, at(12, 27), source=LIVE, target=RESTORED, item_count="many"),
        ev(Kind.VERIFIED, at(12, 28), table=RESTORED, passed="yes", violations=None),
        ev(Kind.SETTINGS_APPLIED, at(12, 29), target=RESTORED, settings="pitr"),
        ev(Kind.RUNBOOK_STEP, at(12, 30)),
        ev(Kind.AWS_CALL, at(12, 31), service="dynamodb", operation="DeleteTable"),
    ]
    report = build_report(events, 60)
    assert report.milestone("damage-start").at is None
    assert report.milestone("restore-started").at is None
    assert report.milestone("restore-finished").at == at(12, 27)
    assert report.milestone("verified").at is None
    assert report.commands[0].text == "(dynamodb DeleteTable: no CLI line recorded)"
    report.to_markdown()
    report.to_json()


def test_minutes_text() -> None:
    assert minutes_text(75 * 60) == "75 min"
    assert minutes_text(24 * 60 + 30) == "24 min 30 s"
    assert minutes_text(45) == "45 s"
    assert minutes_text(-180) == "-3 min"
