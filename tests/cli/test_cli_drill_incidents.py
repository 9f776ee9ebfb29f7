"""Two drills in a row on one day never mix: each drill sandbox has its own incident, a closed
incident is never appended to, the next `--sandbox` command starts a new incident, and stopping
the sandbox closes the incident it had. Runs the real drill sandbox that --sandbox starts."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cli_helpers import Run

from lee_console.core.journal import Kind
from lee_console.store.journal_file import read_journal


@pytest.fixture
def drill(cli: Callable[..., Run]) -> Iterator[Callable[..., Run]]:
    def run(*args: str) -> Run:
        return cli("--sandbox", *args)

    yield run
    cli("sandbox", "stop")


def _incidents(cli: Callable[..., Run]) -> dict[str, str]:
    return {
        row["incident"]: row["state"] for row in json.loads(cli("incident", "list", "--json").out)
    }


def _kinds(tmp_path: Path, incident: str) -> list[str]:
    journal = tmp_path / "lee-state" / "journals" / f"{incident}.jsonl"
    return [e.kind for e in read_journal(journal)]


def test_two_drills_in_a_row_each_keep_their_own_incident(
    drill: Callable[..., Run], cli: Callable[..., Run], tmp_path: Path
) -> None:
    first = drill("incident", "declare", "--table", "lee-devices", "--damage-start", "-25m")
    assert first.code == 0, first.err
    one = first.out.strip()
    assert one.startswith("drill-") and f"Declared incident {one}: lee-devices" in first.err
    backup = drill("backup", "create", "lee-devices")
    assert backup.code == 0, backup.err
    assert f"Incident {one} (open, table lee-devices" in backup.err
    assert drill("incident", "close").code == 0
    closed = drill("--incident", one, "incident", "note", "late thought")
    assert closed.code == 2
    assert closed.err_lines[-1] == (
        f"lee-console: Incident {one} was closed at {closed.err.split(' closed at ')[1][:20]} and "
        "is not appended to: `lee-console incident declare --table TABLE` starts a new one."
    )  # after the one line that says the running sandbox is used

    second = drill("incident", "declare", "--table", "lee-devices", "--damage-start", "-20m")
    assert second.code == 0, second.err
    two = second.out.strip()
    assert two != one and two.startswith("drill-")
    assert drill("backup", "create", "lee-devices").code == 0
    assert _kinds(tmp_path, one) == [
        Kind.INCIDENT_DECLARED, Kind.AWS_CALL, Kind.AWS_RESULT, Kind.CLOSED,
    ]  # fmt: skip
    assert _kinds(tmp_path, two) == [Kind.INCIDENT_DECLARED, Kind.AWS_CALL, Kind.AWS_RESULT]
    report = json.loads(cli("report", two, "--format", "json").out)
    assert report["incident"] == two and report["status"] == "open"
    assert report["events"] == len(_kinds(tmp_path, two))  # none of the first drill's
    assert _incidents(cli) == {one: "closed", two: "open"}

    stopped = cli("sandbox", "stop")
    assert f"Closed drill incident {two}: the sandbox was stopped." in stopped.err
    assert _incidents(cli) == {one: "closed", two: "closed"}
    third = drill("incident", "declare", "--table", "lee-devices")
    assert third.code == 0, third.err
    three = third.out.strip()
    assert three not in (one, two)

    replaced = drill("--scenario", "accidental-delete", "incident", "declare", "--table", "x-t")
    assert replaced.code == 0, replaced.err
    assert f"Closed drill incident {three}: the sandbox was replaced." in replaced.err
    four = replaced.out.strip()
    assert _incidents(cli) == {one: "closed", two: "closed", three: "closed", four: "open"}

    # Relaunched without --scenario (a dropped SSH session): the same sandbox and incident.
    again = drill("incident", "note", "back after the SSH drop")
    assert again.code == 0, again.err
    assert "Using the running sandbox (accidental-delete, started" in again.err
    assert _incidents(cli) == {one: "closed", two: "closed", three: "closed", four: "open"}

    # A sandbox that is alive but does not answer is said, not replaced by a second one.
    record = json.loads((tmp_path / "lee-state" / "sandbox.json").read_text())
    os.kill(record["pid"], signal.SIGSTOP)
    try:
        stalled = drill("incident", "note", "is it there?")
    finally:
        os.kill(record["pid"], signal.SIGCONT)
    assert (stalled.code, stalled.err_lines) == (2, [
        f"lee-console: The drill sandbox (accidental-delete, pid {record['pid']}) is running but "
        f"did not answer at {record['endpoint_url']}; relaunch in a moment, or `lee-console "
        "sandbox stop` ends it (and its drill incident)."
    ])  # fmt: skip
    assert json.loads((tmp_path / "lee-state" / "sandbox.json").read_text()) == record
    assert _incidents(cli) == {one: "closed", two: "closed", three: "closed", four: "open"}
