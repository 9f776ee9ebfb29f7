"""`lee-console report` and `lee-console incident ...`: journal only, no AWS."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run

from lee_console.core.journal import JournalEvent, Kind
from lee_console.store.journal_file import Journal, read_journal

LIVE, RESTORED = "lee-devices", "lee-devices-restored-20250214-1122"


def journals(tmp_path: Path) -> Path:
    return tmp_path / "lee-state" / "journals"


def at(hour: int, minute: int) -> datetime:
    return datetime(2025, 2, 14, hour, minute, tzinfo=UTC)


def write_journal(
    directory: Path, name: str, events: list[tuple[str, datetime, dict[str, Any]]]
) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for kind, when, data in events:
            handle.write(JournalEvent(kind, when, data).to_line() + "\n")
    return path


DEC = [
    (
        Kind.INCIDENT_DECLARED,
        at(11, 49),
        {
            "table": LIVE,
            "damage_start": "2025-02-14T11:23:00Z",
            "detected_at": "2025-02-14T11:47:00Z",
        },
    ),
    (
        Kind.AWS_CALL,
        at(11, 52),
        {
            "service": "dynamodb",
            "operation": "RestoreTableToPointInTime",
            "cli": "aws dynamodb restore-table-to-point-in-time x",
            "identity": "arn:aws:iam::1:user/oncall",
        },
    ),
    (
        Kind.RESTORE_STARTED,
        at(11, 52),
        {"source": LIVE, "target": RESTORED, "restore_point": "2025-02-14T11:22:00Z"},
    ),
    (Kind.RESTORE_FINISHED, at(12, 27), {"source": LIVE, "target": RESTORED, "item_count": 3000}),
    (Kind.CUTOVER, at(12, 35), {"strategy": "repoint", "live": LIVE, "restored": RESTORED}),
    (Kind.SERVICE_CONFIRMED, at(12, 38), {}),
]


def test_report_of_the_decision_records_incident(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_journal(journals(tmp_path), "feb-2025", DEC)
    run = cli("report", "feb-2025")
    assert run.code == 0, run.err
    assert run.out.startswith("# Incident report: feb-2025\n")
    assert "**RTO target 60 min missed by 15 min.**" in run.out
    assert "- Time to detect: 24 min (damage start -> detection)" in run.out
    assert "- Time to restore: 35 min (restore started -> restore finished)" in run.out
    assert "- From detection to recovery: 51 min (detection -> service confirmed)" in run.out
    assert "- From damage start to recovery: 75 min (damage start -> service confirmed)" in run.out
    assert "dynamodb restore-table-to-point-in-time" in run.out
    assert run.err_lines == [
        f"Report of feb-2025 from {journals(tmp_path) / 'feb-2025.jsonl'} (6 events): "
        "RTO target 60 min missed by 15 min."
    ]


def test_report_clock_target_and_json(cli: Callable[..., Run], tmp_path: Path) -> None:
    write_journal(journals(tmp_path), "feb-2025", DEC)
    detection = cli("report", "feb-2025", "--rto-clock", "detection")
    assert "**RTO target 60 min met with 9 min to spare.**" in detection.out
    assert "the RTO clock starts at detection" in detection.out
    as_json = cli("report", "feb-2025", "--format", "json", "--rto-target", "90")
    assert as_json.code == 0, as_json.err
    document = json.loads(as_json.out)
    assert document["rto"]["verdict"] == "RTO target 90 min met with 15 min to spare"
    assert document["measures"]["time-to-restore"]["minutes"] == 35
    assert document["incident"] == "feb-2025"


def test_rto_target_from_the_config_file(
    cli: Callable[..., Run], tmp_path: Path, hermetic: Path
) -> None:
    hermetic.parent.mkdir(parents=True)
    hermetic.write_text("rto_target_minutes = 45\n")
    write_journal(journals(tmp_path), "feb-2025", DEC)
    assert "**RTO target 45 min missed by 30 min.**" in cli("report", "feb-2025").out


def test_rto_clock_from_the_config_file(
    cli: Callable[..., Run], tmp_path: Path, hermetic: Path
) -> None:
    hermetic.parent.mkdir(parents=True)
    hermetic.write_text('rto_clock = "detection"\n')
    write_journal(journals(tmp_path), "feb-2025", DEC)
    out = cli("report", "feb-2025").out
    assert "**RTO target 60 min met with 9 min to spare.**" in out
    flag = cli("report", "feb-2025", "--rto-clock", "damage").out
    assert "**RTO target 60 min missed by 15 min.**" in flag


def test_default_is_the_newest_journal_and_global_incident_wins(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    old = write_journal(journals(tmp_path), "zz-old", DEC[:1])
    write_journal(journals(tmp_path), "aa-new", DEC)
    os.utime(old, (1_000_000_000, 1_000_000_000))
    assert cli("report").out.startswith("# Incident report: aa-new\n")
    assert cli("--incident", "zz-old", "report").out.startswith("# Incident report: zz-old\n")
    assert cli("report", "--incident", "zz-old").out.startswith("# Incident report: zz-old\n")


def test_report_errors_are_one_line(cli: Callable[..., Run], tmp_path: Path) -> None:
    none = cli("report")
    assert none.code == 2 and len(none.err_lines) == 1
    assert "No incident journals" in none.err
    write_journal(journals(tmp_path), "feb-2025", DEC)
    unknown = cli("report", "nope")
    assert unknown.code == 2
    assert unknown.err_lines == [
        f"lee-console: No journal named 'nope' in {journals(tmp_path)} (journals: feb-2025)."
    ]
    assert cli("report", "../etc").code == 2
    assert cli("report", "feb-2025", "--rto-target", "0").code == 2


def test_incident_commands_write_the_journal_without_aws(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    # Absolute times from one moment: relative ones ("-6m") are read at each command's own
    # start, and a loaded machine puts seconds between the commands.
    now = datetime.now(UTC).replace(microsecond=0)

    def ago(minutes: int) -> str:
        return (now - timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")

    declared = cli(
        "--incident",
        "inc-7",
        "incident",
        "declare",
        "--table",
        LIVE,
        "--damage-start",
        ago(30),
        "--detected",
        ago(6),
    )
    assert declared.code == 0, declared.err
    assert "Declared incident inc-7: lee-devices, damage start " in declared.err
    assert declared.out == "inc-7\n"
    assert cli("incident", "--incident", "inc-7", "note", "rolled", "back", "v42").code == 0
    confirm = cli("--incident", "inc-7", "incident", "confirm-service", "--at", ago(1))
    assert confirm.code == 0, confirm.err
    assert cli("--incident", "inc-7", "incident", "close", "--note", "done").code == 0
    events = list(read_journal(journals(tmp_path) / "inc-7.jsonl"))
    assert [e.kind for e in events] == [
        Kind.INCIDENT_DECLARED,
        Kind.NOTE,
        Kind.SERVICE_CONFIRMED,
        Kind.CLOSED,
    ]
    declared_data = events[0].data
    damage = datetime.fromisoformat(declared_data["damage_start"].replace("Z", "+00:00"))
    detected = datetime.fromisoformat(declared_data["detected_at"].replace("Z", "+00:00"))
    assert detected - damage == timedelta(minutes=24)
    assert events[1].data == {"text": "rolled back v42"}
    assert "occurred_at" in events[2].data
    assert events[3].data == {"text": "done"}
    report = cli("report", "inc-7")
    assert "- Time to detect: 24 min (damage start -> detection)" in report.out
    assert "- From detection to recovery: 5 min (detection -> service confirmed)" in report.out
    assert "note: rolled back v42" in report.out


def test_service_confirmed_before_the_incident_began_is_refused(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """`--at -2h` typed for `-2m`: the report would call a negative RTO "met"."""
    now = datetime.now(UTC).replace(microsecond=0)
    damage = (now - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    early = (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    declared = cli(
        "--incident", "inc-9", "incident", "declare", "--table", LIVE, "--damage-start", damage
    )
    assert declared.code == 0, declared.err
    refused = cli("--incident", "inc-9", "incident", "confirm-service", "--at", early)
    assert (refused.code, refused.out) == (2, "")
    assert refused.err_lines == [
        f"lee-console: Service cannot be confirmed at {early}, before the damage start "
        f"({damage}) in inc-9; give the time it came back."
    ]
    events = list(read_journal(journals(tmp_path) / "inc-9.jsonl"))
    assert [e.kind for e in events] == [Kind.INCIDENT_DECLARED]


def test_amending_a_declaration_keeps_what_is_not_given_again(
    cli: Callable[..., Run], tmp_path: Path
) -> None:
    """The amend the console suggests (`declare --incident ID --table T --damage-start TIME`)
    must not move detection to the moment of the amend."""
    now = datetime.now(UTC).replace(microsecond=0)
    detected = (now - timedelta(minutes=20)).strftime("%Y-%m-%dT%H:%M:%SZ")
    damage = (now - timedelta(minutes=45)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert cli("--incident", "inc-5", "incident", "declare", "--table", LIVE,
               "--detected", detected).code == 0  # fmt: skip
    amended = cli("--incident", "inc-5", "incident", "declare", "--table", LIVE,
                  "--damage-start", damage)  # fmt: skip
    assert amended.code == 0, amended.err
    assert f"damage start {damage}, detected {detected}." in amended.err
    moved = cli("--incident", "inc-5", "incident", "declare", "--table", "lee-users")
    assert "inc-5: the table is now lee-users (was lee-devices)." in moved.err_lines
    journal = journals(tmp_path) / "inc-5.jsonl"
    Journal(journals(tmp_path), "inc-5").append(
        Kind.RESTORE_STARTED, source="lee-users", target="lee-users-r", restore_kind="latest"
    )
    refused = cli("--incident", "inc-5", "incident", "declare", "--table", LIVE)
    assert (refused.code, refused.err_lines) == (2, [
        "lee-console: inc-5 is about lee-users, whose restore it journals: it cannot be moved "
        "to lee-devices; declare a new incident for lee-devices (without --incident)."
    ])  # fmt: skip
    assert [e.kind for e in read_journal(journal)].count(Kind.INCIDENT_DECLARED) == 3


def test_a_second_declaration_beside_an_open_incident_is_said(cli: Callable[..., Run]) -> None:
    first = cli("incident", "declare", "--table", LIVE)
    assert first.code == 0, first.err
    one = first.out.strip()
    second = cli("incident", "declare", "--table", "lee-users")
    assert second.code == 0, second.err
    assert second.err_lines[0] == (
        f"Incident {one} (lee-devices) is still open: this declares a second one, and commands "
        "then need --incident ID until one is closed (`lee-console incident close --incident "
        "ID`)."
    )
    assert second.out.strip() != one


def test_incident_list(cli: Callable[..., Run], tmp_path: Path) -> None:
    assert cli("incident", "list", "--json").out.strip() == "[]"
    write_journal(journals(tmp_path), "feb-2025", [*DEC, (Kind.CLOSED, at(13, 0), {})])
    cli("--incident", "drill-x", "incident", "declare", "--table", "lee-users")
    rows = json.loads(cli("incident", "list", "--json").out)
    assert rows[0] == {
        "incident": "drill-x",
        "table": "lee-users",
        "first_event_at": rows[0]["first_event_at"],
        "last_event_at": rows[0]["last_event_at"],
        "events": 1,
        "state": "open",
    }
    assert rows[1] == {
        "incident": "feb-2025",
        "table": LIVE,
        "first_event_at": "2025-02-14T11:49:00Z",
        "last_event_at": "2025-02-14T13:00:00Z",
        "events": 7,
        "state": "closed",
    }
    text = cli("incident", "list").out.splitlines()
    assert text[0].split() == ["INCIDENT", "TABLE", "FIRST", "LAST", "EVENTS", "STATE"]
    assert text[2].split() == [
        "feb-2025",
        LIVE,
        "2025-02-14T11:49:00Z",
        "2025-02-14T13:00:00Z",
        "7",
        "closed",
    ]


@pytest.mark.parametrize(
    "args",
    [
        ("--damage-start", "-5m", "--detected", "-10m"),  # damage after detection
        ("--damage-start", "tomorrow-ish"),
        ("--detected", "2999-01-01T00:00:00Z"),
    ],
)
def test_declare_rejects_bad_times(cli: Callable[..., Run], args: tuple[str, ...]) -> None:
    run = cli("incident", "declare", "--table", LIVE, *args)
    assert run.code == 2
    assert len(run.err_lines) == 1


def test_declare_rejects_a_bad_table_name(cli: Callable[..., Run]) -> None:
    assert cli("incident", "declare", "--table", "no spaces!").code == 2


def test_declared_times_are_checked(cli: Callable[..., Run], tmp_path: Path) -> None:
    after = cli("incident", "declare", "--table", LIVE, "--damage-start", "-5m", "--detected",
                "-10m")  # fmt: skip
    assert after.code == 2
    assert after.err_lines[0].startswith("lee-console: The damage start ")
    assert after.err_lines[0].endswith(
        " is after detection " + after.err.split("detection ")[1][:20] + "."
    )
    future = cli("incident", "declare", "--table", LIVE, "--damage-start", "2099-01-01T00:00:00Z")
    assert future.err_lines == [
        "lee-console: The damage start 2099-01-01T00:00:00Z is in the future."
    ]
    detected = cli("incident", "declare", "--table", LIVE, "--detected", "2099-01-01T00:00:00Z")
    assert detected.err_lines == ["lee-console: Detection 2099-01-01T00:00:00Z is in the future."]
    assert not (tmp_path / "lee-state" / "journals").exists()  # nothing was started
