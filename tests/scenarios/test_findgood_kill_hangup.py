"""A real `lee-console find-good` process killed with SIGKILL after its first probe's restore
was sent leaves that probe table behind (no cleanup can run); the next run names it, refuses to
start without --yes, and with --yes deletes it first; `status` no longer lists it. A run sent
SIGHUP (a dropped SSH session) deletes its probes as for Ctrl-C and exits 130; so does a
`restore` waiting on its restore (which goes on in AWS)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sandbox_process import running_sandbox
from scenario_helpers import DEVICES, Cli, Sandbox, client, table_names, utc_text

DEADLINE_SECONDS = 120.0  # generous: a loaded machine, nothing here races the clock


def _events(journal: Path) -> list[dict[str, Any]]:
    """The journal's complete lines (one being written may be cut short: skipped)."""
    if not journal.exists():
        return []
    events = []
    for line in journal.read_text().splitlines():
        try:
            events.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return events


def _first_probe_sent(journal: Path, process: subprocess.Popen[bytes]) -> dict[str, Any]:
    """Wait until the first probe is journaled as starting and its restore as answered (the
    table exists in AWS); its probe-starting event."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        events = _events(journal)
        starts = [i for i, e in enumerate(events) if e["kind"] == "probe-starting"]
        if starts and any(
            e["kind"] == "aws-result" and e.get("operation") == "RestoreTableToPointInTime"
            for e in events[starts[0] :]
        ):
            return events[starts[0]]
        time.sleep(0.02)
    raise AssertionError(f"no probe restore journaled (exit {process.poll()})")


def _find_good(sandbox: Sandbox, incident: str, *args: str, stderr: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "lee_console", "find-good", DEVICES, "--via", "restore", "--yes",
         *args, "--endpoint-url", sandbox.url, "--incident", incident],
        env=os.environ.copy(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
        stderr=stderr,
    )  # fmt: skip


def _probes(url: str) -> list[str]:
    return [name for name in table_names(url) if name.startswith(f"{DEVICES}-probe-")]


def _status(cli: Cli) -> tuple[int, dict[str, Any]]:
    run = cli("status", "--json")
    return run.code, {table["name"]: table for table in run.json["tables"]}


def test_a_probe_left_by_sigkill_is_named_then_deleted_with_yes(
    bad_deployment: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = bad_deployment
    cli = Cli(capsys, sandbox.url, "findgood-sigkill")
    cli.ok("incident", "declare", "--table", DEVICES, "--damage-start",
           utc_text(sandbox.damage_start))  # fmt: skip
    code_before, tables_before = _status(cli)
    journal = cli.journal.path

    # A long poll keeps the run waiting on its first probe: it is killed before any cleanup.
    # One probe a round: the chosen K would start some thirty at once.
    killed = _find_good(sandbox, cli.incident, "--parallel", "1", "--poll-seconds", "60",
                        stderr=subprocess.DEVNULL)  # fmt: skip
    started = _first_probe_sent(journal, killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert killed.returncode == -signal.SIGKILL
    probe = started["target"]
    assert _probes(sandbox.url) == [probe]
    assert started["table"] == DEVICES and started["pid"] == killed.pid
    assert started["restore_point"] and started["search_id"].startswith("fg-")

    code, tables = _status(cli)  # what the on-call engineer saw before this change
    assert code == 1 and "PITR disabled" in tables[probe]["alerts"]

    journaled = len(_events(journal))
    refused = cli("find-good", DEVICES, "--via", "restore")
    assert refused.code == 2
    named = [line for line in refused.err_lines if line.startswith("Leftover probe table: ")]
    assert len(named) == 1 and probe in named[0] and started["search_id"] in named[0]
    assert "--yes" in refused.err_lines[-1] and "--cleanup-only" in refused.err_lines[-1]
    assert _probes(sandbox.url) == [probe]  # nothing deleted, nothing started
    assert len(_events(journal)) == journaled  # and nothing journaled
    unconfirmed = cli("find-good", DEVICES, "--cleanup-only")
    assert unconfirmed.code == 2 and "pass --yes" in unconfirmed.err_lines[-1]
    read_only = cli("find-good", DEVICES, "--cleanup-only", "--yes", "--read-only")
    assert read_only.code == 2 and len(read_only.err_lines) == 1, read_only.err
    assert probe in read_only.err and "--read-only" in read_only.err
    assert _probes(sandbox.url) == [probe]

    searched = cli("find-good", DEVICES, "--via", "restore", "--yes", "--json", "--precision",
                   "1d", "--parallel", "3", "--poll-seconds", "0.1")  # fmt: skip
    assert searched.code == 0, searched.err[-2000:]
    assert f"Deleted leftover probe table {probe}." in searched.err_lines
    deleted_at = searched.err_lines.index(f"Deleted leftover probe table {probe}.")
    assert any("Searching" in line for line in searched.err_lines[deleted_at:])
    assert searched.json["left_behind"] == [] and _probes(sandbox.url) == []
    cleanup = [e for e in _events(journal) if e["kind"] == "probe" and e.get("leftover")]
    assert [(e["target"], e["search_id"], e["deleted"]) for e in cleanup] == [
        (probe, started["search_id"], True)
    ]

    code_after, tables_after = _status(cli)
    assert probe not in tables_after
    assert (code_after, set(tables_after)) == (code_before, set(tables_before))
    again = cli("find-good", DEVICES, "--cleanup-only", "--yes")
    assert again.code == 0 and again.err_lines == [f"No leftover probe tables of {DEVICES}."]


def test_sighup_stops_the_search_and_deletes_its_probes(
    bad_deployment: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = bad_deployment
    cli = Cli(capsys, sandbox.url, "findgood-sighup")
    cli.ok("incident", "declare", "--table", DEVICES)
    journal = cli.journal.path
    with tempfile.TemporaryFile() as stderr:
        # To the second: some twenty rounds, so the hangup lands in the middle of the search.
        run = _find_good(sandbox, cli.incident, "--precision", "1s", "--poll-seconds", "0.2",
                         stderr=stderr)  # fmt: skip
        started = _first_probe_sent(journal, run)
        run.send_signal(signal.SIGHUP)
        run.send_signal(signal.SIGHUP)  # a dropped session may deliver it twice: still cleaned
        run.wait(DEADLINE_SECONDS)
        stderr.seek(0)
        said = stderr.read().decode()
    assert run.returncode == 130, said[-2000:]
    assert "Stopping after the running probes and deleting them" in said
    assert said.rstrip().endswith("lee-console: hung up (SIGHUP).")
    events = _events(journal)
    ours = [e for e in events if e.get("search_id") == started["search_id"]]
    begun = {e["target"] for e in ours if e["kind"] == "probe-starting"}
    settled = {e["target"]: e["deleted"] for e in ours if e["kind"] == "probe"}
    assert begun and settled == dict.fromkeys(begun, True)
    assert _probes(sandbox.url) == []
    check = cli("find-good", DEVICES, "--cleanup-only")
    assert check.code == 0 and check.err_lines == [f"No leftover probe tables of {DEVICES}."]


@pytest.fixture(scope="module")
def slow_restores() -> Iterator[str]:
    """Restores stay CREATING for an hour: a waiting `restore` is still waiting at the hangup."""
    with running_sandbox("none", restore_seconds=3600, restore_lag=0, items=20) as (url, _):
        yield url


def test_sighup_stops_a_restore_wait_and_the_restore_goes_on(
    slow_restores: str, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, slow_restores, "restore-sighup")
    journal = cli.journal.path
    with tempfile.TemporaryFile() as stderr:
        waiting = subprocess.Popen(
            [sys.executable, "-m", "lee_console", "restore", DEVICES, "--latest", "--target",
             "devices-hup", "--poll-seconds", "0.2", "--endpoint-url", slow_restores,
             "--incident", cli.incident],
            env=os.environ.copy(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=stderr,
        )  # fmt: skip
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not any(e["kind"] == "restore-started" for e in _events(journal)):
            assert time.monotonic() < deadline and waiting.poll() is None, waiting.poll()
            time.sleep(0.02)
        waiting.send_signal(signal.SIGHUP)
        waiting.wait(DEADLINE_SECONDS)
        stderr.seek(0)
        said = stderr.read().decode()
    assert waiting.returncode == 130, said[-2000:]
    assert said.rstrip().endswith("lee-console: hung up (SIGHUP).")
    kinds = [e["kind"] for e in _events(journal)]
    assert "restore-started" in kinds and "restore-finished" not in kinds  # reattached later
    table = client(slow_restores).describe_table(TableName="devices-hup")["Table"]
    assert table["TableStatus"] == "CREATING"
