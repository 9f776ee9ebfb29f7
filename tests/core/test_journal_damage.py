"""A journal survives what a crash, a full disk or a hand edit does to it: a torn last line is
cut off (and kept aside) before the next append, a line that is not an event is skipped with one
warning naming the file and line, and files are private to their owner."""

from __future__ import annotations

import os
import stat
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from lee_console.core.errors import IncidentClosed, InvalidInput
from lee_console.core.journal import JournalEvent, Kind
from lee_console.store import journal_file
from lee_console.store.incidents import incident_states
from lee_console.store.journal_file import Journal, JournalReader, list_incidents, read_journal

EVENT = JournalEvent(
    "note", datetime(2026, 12, 2, 3, 59, tzinfo=UTC), {"text": "second event"}
).to_line()


@pytest.fixture
def warnings() -> Iterator[list[str]]:
    seen: list[str] = []
    journal_file._warned.clear()
    journal_file.set_warning_sink(seen.append)
    yield seen
    journal_file.set_warning_sink(None)


def _texts(path: Path) -> list[str]:
    return [e.data.get("text", "") for e in read_journal(path)]


@pytest.mark.parametrize("offset", range(1, len(EVENT) + 1))
def test_a_write_torn_at_any_byte_loses_no_later_event(
    tmp_path: Path, offset: int, warnings: list[str]
) -> None:
    journal = Journal(tmp_path, "inc")
    journal.append("note", text="first event")
    with journal.path.open("ab") as handle:  # the crash: the second event only partly written
        handle.write(EVENT.encode()[:offset])
    assert _texts(journal.path) == ["first event"]
    journal.append("note", text="after the crash")
    assert _texts(journal.path) == ["first event", "after the crash"]
    kept = list(tmp_path.glob("inc.torn-*"))
    assert [p.read_bytes() for p in kept] == [EVENT.encode()[:offset]]
    assert any("torn last line" in w and str(journal.path) in w for w in warnings)


def test_a_torn_line_longer_than_the_read_window_is_cut_whole(tmp_path: Path) -> None:
    journal = Journal(tmp_path, "inc")
    journal.append("note", text="first event")
    with journal.path.open("ab") as handle:
        handle.write(b'{"kind": "note", "text": "' + b"x" * 200_000)
    journal.append("note", text="after")
    assert _texts(journal.path) == ["first event", "after"]


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (b'{"kind":"note","at":5}', 'no "kind" and "at" text fields'),
        (b"[1,2]", "not a JSON object"),
        (b'{"kind":"note","at":"2026-12-02T03:59:00Z","text":"caf\xe9"}', "not UTF-8"),
        (b"not json at all", "not JSON"),
        (b'{"kind":"note","at":"yesterday"}', "Invalid isoformat string"),
        (b'{"kind":"note","at":"2026-12-02T03:59:00"}', '"at" has no time zone'),
    ],
)
def test_a_line_that_is_not_an_event_is_skipped_with_a_warning_naming_file_and_line(
    tmp_path: Path, line: bytes, why: str, warnings: list[str]
) -> None:
    path = tmp_path / "inc.jsonl"
    path.write_bytes(EVENT.encode() + b"\n" + line + b"\n" + EVENT.encode() + b"\n")
    assert _texts(path) == ["second event", "second event"]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"{path} line 2: ")
    assert why in warnings[0]
    list(read_journal(path))
    assert len(warnings) == 1  # one warning, however often the file is read


def test_journal_files_are_private_and_old_ones_are_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "journals"
    Journal(folder, "new").append("note", text="x")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "new.jsonl").stat().st_mode) == 0o600
    old = folder / "old.jsonl"
    old.write_text(EVENT + "\n")
    old.chmod(0o644)
    folder.chmod(0o755)
    Journal(folder, "old")
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_closed_incident_is_never_appended_to(tmp_path: Path) -> None:
    journal = Journal(tmp_path, "inc")
    journal.append(Kind.CLOSED)
    with pytest.raises(IncidentClosed, match=r"Incident inc was closed at .* not appended to"):
        journal.append("note", text="late")
    other_process = Journal(tmp_path, "inc")
    with pytest.raises(IncidentClosed):
        other_process.append("note", text="late")
    assert [e.kind for e in read_journal(journal.path)] == [Kind.CLOSED]


def test_the_reader_picks_up_from_where_it_stopped(tmp_path: Path) -> None:
    journal = Journal(tmp_path, "inc")
    writer = Journal(tmp_path, "inc")
    writer.append("note", text="one")
    assert [e.data["text"] for e in journal.events()] == ["one"]
    writer.append("note", text="two")
    with journal.path.open("ab") as handle:
        handle.write(b'{"kind": "note", "at": "2026-')  # a write in progress is not read yet
    assert [e.data["text"] for e in journal.events()] == ["one", "two"]


@pytest.mark.skipif(sys.platform == "win32", reason="advisory file locks are POSIX")
def test_an_append_waits_while_another_process_cuts_a_torn_tail_and_writes(
    tmp_path: Path, warnings: list[str]
) -> None:
    """Two processes on one journal with a torn tail (the console and a command in a second
    terminal): the other one holds the file's lock, cuts the tail where it found it and
    writes. An append that did not wait would have been cut off with the tail."""
    import fcntl

    journal = Journal(tmp_path, "inc")
    journal.append("note", text="one")
    cut = journal.path.stat().st_size
    with journal.path.open("ab") as handle:
        handle.write(EVENT.encode()[:20])  # torn by a crash
    other = os.open(journal.path, os.O_RDWR | os.O_APPEND)
    fcntl.flock(other, fcntl.LOCK_EX)
    appended = threading.Event()

    def append() -> None:
        Journal(tmp_path, "inc").append("note", text="two")
        appended.set()

    thread = threading.Thread(target=append)
    thread.start()
    try:
        assert not appended.wait(0.3)  # it waits for the lock
        os.ftruncate(other, cut)
        os.write(other, EVENT.encode() + b"\n")
    finally:
        fcntl.flock(other, fcntl.LOCK_UN)
        os.close(other)
    thread.join(10)
    assert appended.is_set()
    assert _texts(journal.path) == ["one", "second event", "two"]


def test_a_folder_named_like_a_journal_crashes_no_reader(
    tmp_path: Path, warnings: list[str]
) -> None:
    Journal(tmp_path, "good").append("note", text="one")
    (tmp_path / "bad.jsonl").mkdir()
    assert list_incidents(tmp_path) == ["good"]
    assert [s.incident for s in incident_states(tmp_path)] == ["good"]
    assert any("bad.jsonl: not a file" in w for w in warnings)
    assert JournalReader(tmp_path / "bad.jsonl").refresh() == []
    assert any("bad.jsonl: cannot be read (not a file)" in w for w in warnings)
    with pytest.raises(InvalidInput, match=r"Cannot write .*bad\.jsonl"):
        Journal(tmp_path, "bad").append("note", text="lost")
