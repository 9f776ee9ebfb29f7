"""Journal events: one JSON object a line, round-tripped; a torn last line is skipped."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lee_console.core.errors import InvalidInput
from lee_console.core.journal import JournalEvent, format_utc_ms
from lee_console.store.incidents import new_incident_id
from lee_console.store.journal_file import (
    Journal,
    list_incidents,
    read_journal,
)


def test_event_round_trip() -> None:
    event = JournalEvent(
        kind="restore-started",
        at=datetime(2025, 2, 14, 11, 22, 0, 123000, tzinfo=UTC),
        data={"source": "lee-devices", "target": "lee-devices-r", "items": 3, "ok": True},
    )
    line = event.to_line()
    assert "\n" not in line
    assert json.loads(line)["at"] == "2025-02-14T11:22:00.123Z"
    assert JournalEvent.from_line(line) == event


def test_datetimes_and_bytes_in_data_are_written_as_text() -> None:
    event = JournalEvent(
        kind="note",
        at=datetime(2025, 2, 14, tzinfo=UTC),
        data={"point": datetime(2025, 2, 14, 11, 22, tzinfo=UTC), "blob": b"\x00" * 5},
    )
    raw = json.loads(event.to_line())
    assert raw["point"] == "2025-02-14T11:22:00Z"
    assert raw["blob"] == "<5 bytes>"


def test_format_utc_ms() -> None:
    assert format_utc_ms(datetime(2025, 2, 14, 11, 22, 0, 999999, tzinfo=UTC)) == (
        "2025-02-14T11:22:00.999Z"
    )


def test_journal_file_round_trip(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journals", "inc-42")
    first = journal.append("note", text="bad deploy at 11:22")
    second = journal.append("decision", choice="restore", point="2025-02-14T11:22:00Z")
    assert journal.path == tmp_path / "journals" / "inc-42.jsonl"
    events = list(journal.events())
    assert [e.kind for e in events] == ["note", "decision"]
    assert events[0].data == {"text": "bad deploy at 11:22"}
    assert events[1].data["choice"] == "restore"
    assert events[0].at == first.at.replace(microsecond=first.at.microsecond // 1000 * 1000)
    assert events[1].at >= events[0].at
    assert second.kind == "decision"
    assert list_incidents(tmp_path / "journals") == ["inc-42"]


def test_torn_last_line_is_skipped(tmp_path: Path) -> None:
    journal = Journal(tmp_path, "inc")
    journal.append("note", text="one")
    journal.append("note", text="two")
    with journal.path.open("a", encoding="utf-8") as handle:
        handle.write('{"kind": "note", "at": "2025-02-14T11:2')  # kill -9 mid-write
    assert [e.data["text"] for e in read_journal(journal.path)] == ["one", "two"]


def test_unreadable_line_in_the_middle_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "inc.jsonl"
    good = JournalEvent("note", datetime(2025, 2, 14, tzinfo=UTC), {"text": "ok"}).to_line()
    path.write_text(f'{good}\nnot json\n{{"at": "2025-02-14T00:00:00Z"}}\n{good}\n')
    assert [e.data["text"] for e in read_journal(path)] == ["ok", "ok"]


def test_missing_journal_reads_as_empty(tmp_path: Path) -> None:
    assert list(read_journal(tmp_path / "none.jsonl")) == []
    assert list_incidents(tmp_path / "nowhere") == []


@pytest.mark.parametrize(
    "name", ["../etc/passwd", ".", "..", ".hidden", "a" * 81, "x.", "", "inc-1\n", "inc\n-1"]
)
def test_incident_names_are_checked(name: str) -> None:
    with pytest.raises(InvalidInput, match="not a usable incident id"):
        Journal(Path("/tmp"), name)


def test_new_incident_ids_are_never_the_same_twice_in_one_second(tmp_path: Path) -> None:
    moment = datetime(2026, 12, 2, 3, 59, tzinfo=UTC)
    ids = set()
    for _ in range(50):
        incident = new_incident_id(tmp_path, "drill", moment)
        Journal(tmp_path, incident).append("note", text="taken")
        ids.add(incident)
    assert len(ids) == 50
    assert all(i.startswith("drill-20261202T035900Z-") for i in ids)
