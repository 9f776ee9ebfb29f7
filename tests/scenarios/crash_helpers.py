"""Helpers for the crash tests: a real `python -m lee_console ...` process killed with SIGKILL at
a point the sandbox's faults make deterministic (a write's answer held back after the write
landed), then the same command run again. Nothing races the clock: every wait polls the journal
or AWS with a generous deadline."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scenario_helpers import DEVICES, Sandbox, references, scenario_sandbox, set_faults

DEADLINE_SECONDS = 60.0  # generous: a loaded machine; nothing here waits this long when well


def start_sandbox(
    factory: pytest.TempPathFactory, restore_seconds: float, items: int = 300
) -> Iterator[Sandbox]:
    """A bad-deployment sandbox (faults are set live, per test, with ``set_faults``)."""
    yield from scenario_sandbox(
        factory, "bad-deployment", restore_seconds=restore_seconds, restore_lag=0, items=items
    )


def spawn(url: str, incident: str, *args: str) -> subprocess.Popen[bytes]:
    """`lee-console ARGS` as its own process, with this test's state dir and config."""
    return subprocess.Popen(
        [sys.executable, "-m", "lee_console", *args, "--endpoint-url", url,
         "--incident", incident],
        env=os.environ.copy(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def events(journal: Path) -> list[dict[str, Any]]:
    """The journal's complete lines (one being written may be cut short: skipped)."""
    if not journal.exists():
        return []
    found = []
    for line in journal.read_text().splitlines():
        try:
            found.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return found


def kinds(journal: Path) -> list[str]:
    return [event["kind"] for event in events(journal)]


def called(journal: Path, operation: str) -> bool:
    """The journal holds the aws-call of ``operation`` (journaled before it is sent)."""
    return any(e["kind"] == "aws-call" and e.get("operation") == operation for e in events(journal))


def answered(journal: Path, operation: str) -> bool:
    """An aws-result or aws-error follows the last aws-call of ``operation``."""
    found = events(journal)
    calls = [i for i, e in enumerate(found) if e.get("operation") == operation]
    return bool(calls) and any(
        e["kind"] in ("aws-result", "aws-error") for e in found[calls[-1] + 1 :]
    )


def kill_when(process: subprocess.Popen[bytes], condition: Callable[[], bool], what: str) -> None:
    """SIGKILL ``process`` as soon as ``condition`` holds; it must still be running then."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the process exited {process.returncode} before {what}")
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, f"it exited {process.returncode} first"


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def kill_repoint(
    sandbox: Sandbox, incident: str, journal: Path, target: str, held: str, landed: object
) -> None:
    """`cutover repoint lee-devices --to TARGET` with ``held``'s answer held back 30 s after
    its write, killed once the references read ``landed`` (SSM, Lambda): between that write
    and its journal record. Its plan is journaled, its outcome not."""
    set_faults(sandbox.url, f"latency@{held},ms=30000,count=1")
    try:
        process = spawn(sandbox.url, incident, "cutover", "repoint", DEVICES, "--to", target,
                        "--confirm", target)  # fmt: skip
        kill_when(
            process,
            lambda: called(journal, held) and references(sandbox.url) == landed,
            f"the {held} write to land",
        )
    finally:
        set_faults(sandbox.url, "")
    assert not answered(journal, held), "its answer was journaled: not killed in between"
    assert "cutover-started" in kinds(journal) and "cutover" not in kinds(journal)
