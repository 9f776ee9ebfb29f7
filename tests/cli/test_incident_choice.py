"""The line that says a new incident was started asks for a declaration only when the incident
was not started by one (the console's `d` starts it with its declaration)."""

from __future__ import annotations

from pathlib import Path

from lee_console.commands.incident_choice import DECLARE_HINT, Use, choose_journal
from lee_console.core.journal import Kind


def _started(tmp_path: Path, first: str) -> list[str]:
    said: list[str] = []
    journal = choose_journal(tmp_path, "adhoc", Use.WRITE, said.append)
    assert journal is not None and said == []
    journal.append(first, table="lee-devices")
    return said


def test_a_new_incident_started_by_its_declaration_is_not_asked_to_declare(
    tmp_path: Path,
) -> None:
    [line] = _started(tmp_path / "a", Kind.INCIDENT_DECLARED)
    assert line.startswith("Started incident adhoc-") and DECLARE_HINT not in line


def test_a_new_incident_started_by_a_command_is_asked_to_declare(tmp_path: Path) -> None:
    [line] = _started(tmp_path / "b", Kind.NOTE)
    assert line.startswith("Started incident adhoc-") and line.endswith(DECLARE_HINT)
