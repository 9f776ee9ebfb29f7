"""A real `lee-console cutover repoint` killed with SIGKILL between a write and its journal
record: the sandbox holds the answer of the write back for 30 s after making it, and the test
kills the process once the write has landed. The references then point at a mix of tables;
the journal has the plan (cutover-started) and no outcome. The next `cutover repoint` says so,
reference by reference, refuses a repoint to another table, and finishes it; `cutover rollback`
puts back every reference the repoint moved, the unjournaled write included."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Iterator
from datetime import timedelta

import pytest
from crash_helpers import events, kill_repoint, start_sandbox
from scenario_helpers import DEVICES, FUNCTION, PARAMETER, Cli, Sandbox, references, utc_text

from lee_console.core.journal import Kind
from lee_console.core.runbook import Runbook, StepId, StepState


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    yield from start_sandbox(tmp_path_factory, restore_seconds=0.3)


def _restored(cli: Cli, sandbox: Sandbox, target: str) -> None:
    point = utc_text(sandbox.damage_start - timedelta(minutes=1))
    cli.ok("incident", "declare", "--table", DEVICES, "--damage-start",
           utc_text(sandbox.damage_start))  # fmt: skip
    cli.ok("restore", DEVICES, "--at", point, "--target", target, "--poll-seconds", "0.1")


def _kill_repoint(sandbox: Sandbox, cli: Cli, target: str, held: str, landed: object) -> None:
    kill_repoint(sandbox, cli.incident, cli.journal.path, target, held, landed)


def test_a_repoint_killed_after_its_first_write_is_said_then_finished_and_rolled_back(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, sandbox.url, "crash-repoint-finish")
    target = f"{DEVICES}-crash-finish"
    _restored(cli, sandbox, target)
    assert references(sandbox.url) == (DEVICES, DEVICES)

    # SSM is changed first: its PutParameter lands, its answer never comes; Lambda untouched.
    _kill_repoint(sandbox, cli, target, "PutParameter", (target, DEVICES))
    book = Runbook.from_events(cli.journal.events())
    assert book.step(StepId.CUTOVER).state is StepState.RUNNING
    assert "interrupted" in " ".join(book.step(StepId.CUTOVER).evidence)
    report = cli.ok("report", "--format", "json").json
    assert any("has no result in the journal" in w for w in report["warnings"])

    said = (
        f"was interrupted: 1 of 2 reference(s) changed (ssm {PARAMETER}); still {DEVICES}: "
        f"lambda {FUNCTION} DEVICES_TABLE."
    )
    dry = cli.ok("cutover", "repoint", DEVICES, "--to", target, "--dry-run")
    assert said in dry.err and "finishing it would change 1 reference(s)" in dry.err
    assert references(sandbox.url) == (target, DEVICES)  # a dry run changes nothing

    other = cli("cutover", "repoint", DEVICES, "--to", f"{DEVICES}-elsewhere", "--confirm", "x")
    assert other.code == 2 and said in other.err
    assert f"a repoint of {DEVICES} to {target}" in other.err_lines[-1]
    assert "finish it" in other.err_lines[-1] and "roll it back" in other.err_lines[-1]
    assert references(sandbox.url) == (target, DEVICES)

    finished = cli.ok("cutover", "repoint", DEVICES, "--to", target, "--confirm", target)
    assert "the interrupted repoint is finished; 2 reference(s)" in finished.err
    assert references(sandbox.url) == (target, target)
    started = next(e for e in events(cli.journal.path) if e["kind"] == "cutover-started")
    cutover = [e for e in events(cli.journal.path) if e["kind"] == "cutover"]
    assert [c["cutover_id"] for c in cutover] == [started["cutover_id"]]  # the same cutover
    assert cutover[0]["complete"] is True and cutover[0]["resumed"] is True
    assert [c["name"] for c in cutover[0]["by_interrupted_run"]] == [PARAMETER]
    assert sorted(c["name"] for c in cutover[0]["changes"]) == sorted([PARAMETER, FUNCTION])
    book = Runbook.from_events(cli.journal.events())
    assert book.step(StepId.CUTOVER).state is StepState.DONE
    again = cli("cutover", "repoint", DEVICES, "--to", target, "--confirm", target)
    assert "interrupted" not in again.err  # nothing left to offer

    # The rollback puts back both, the write the killed run never journaled included.
    cli.ok("cutover", "rollback", "--confirm", DEVICES)
    assert references(sandbox.url) == (DEVICES, DEVICES)


def test_a_repoint_killed_after_its_last_write_is_rolled_back_whole(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, sandbox.url, "crash-repoint-rollback")
    target = f"{DEVICES}-crash-rollback"
    _restored(cli, sandbox, target)
    assert references(sandbox.url) == (DEVICES, DEVICES)

    # Both writes land; the Lambda update's answer never comes: no outcome journaled at all.
    _kill_repoint(sandbox, cli, target, "UpdateFunctionConfiguration", (target, target))
    rolled = cli.ok("cutover", "rollback", "--confirm", DEVICES)
    assert "was interrupted: 2 of 2 reference(s) changed" in rolled.err
    assert references(sandbox.url) == (DEVICES, DEVICES)
    book = Runbook.from_events(cli.journal.events())
    assert book.step(StepId.CUTOVER).state is StepState.PENDING
    report = cli.ok("report", "--format", "json").json
    assert not any("has no result in the journal" in w for w in report["warnings"])
    assert any("was rolled back at" in w for w in report["warnings"])
    nothing = cli("cutover", "repoint", DEVICES, "--to", target, "--dry-run")
    assert nothing.code == 0 and "interrupted" not in nothing.err  # a fresh plan, not a resume


def test_a_repoint_whose_process_is_alive_is_not_taken_over(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    """A plan without outcome whose pid is a live process of this host is under way, not
    interrupted: repoint and rollback refuse to act on it; once that process is gone, they do."""
    cli = Cli(capsys, sandbox.url, "crash-repoint-alive")
    target = f"{DEVICES}-crash-alive"
    _restored(cli, sandbox, target)
    change = {"kind": "ssm", "name": PARAMETER, "variable": None, "old": DEVICES, "new": target}
    with subprocess.Popen(["sleep", "60"]) as other:
        cli.journal.append(
            Kind.CUTOVER_STARTED, cutover_id="c-alive", strategy="repoint", live=DEVICES,
            restored=target, planned=[change], pid=other.pid, host=socket.gethostname(),
        )  # fmt: skip
        for args in (("cutover", "repoint", DEVICES, "--to", target, "--confirm", target),
                     ("cutover", "rollback", "--confirm", DEVICES)):  # fmt: skip
            refused = cli(*args)
            assert refused.code == 2 and f"is still under way (pid {other.pid}" in refused.err
        other.kill()
    assert references(sandbox.url) == (DEVICES, DEVICES)
    finished = cli.ok("cutover", "repoint", DEVICES, "--to", target, "--confirm", target)
    assert "was interrupted: 0 of 1 reference(s) changed" in finished.err
    assert references(sandbox.url)[0] == target
    cli.ok("cutover", "rollback", "--confirm", DEVICES)
    assert references(sandbox.url) == (DEVICES, DEVICES)
