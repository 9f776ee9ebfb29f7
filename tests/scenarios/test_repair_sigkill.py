"""A repair killed with SIGKILL and resumed: every damaged item repaired once, the counts exact
(an item the killed run wrote counts as repaired, not as a legitimate change), every legitimate
later write intact. The killed run is a real `lee-console repair` process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from scenario_helpers import (
    DEVICE_RULES,
    DEVICES,
    SLOW_PUTS_AFTER,
    Cli,
    Sandbox,
    scan_devices,
    utc_text,
)

INCIDENT = "sigkill-repair"


def _batches(journal: Path) -> int:
    if not journal.exists():
        return 0
    return sum('"kind": "repair-batch"' in line for line in journal.read_text().splitlines())


def _journaled(journal: Path) -> int:
    events = [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]
    return sum(len(e["keys"]) for e in events if e["kind"] == "repair-batch")


def _fixed(sandbox: Sandbox) -> int:
    now = scan_devices(sandbox.url, DEVICES)
    return sum(DEVICE_RULES.passes(now[key]) for key in sandbox.damaged)


def test_a_repair_killed_with_sigkill_resumes_with_exact_counts(
    bad_deployment_slow_puts: Sandbox, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    sandbox = bad_deployment_slow_puts
    cli = Cli(capsys, sandbox.url, INCIDENT)
    point = utc_text(sandbox.damage_start - timedelta(minutes=1))
    cli.ok("incident", "declare", "--table", DEVICES, "--damage-start",
           utc_text(sandbox.damage_start))  # fmt: skip
    restored = cli.ok("restore", DEVICES, "--at", point, "--poll-seconds", "0.1").json["target"]
    before = scan_devices(sandbox.url, DEVICES)
    dry = cli.ok("repair", DEVICES, "--from", restored, "--dry-run", "--json").json
    assert dry["would_repair"] == len(sandbox.damaged) > SLOW_PUTS_AFTER  # two batches at least

    journal = cli.journal.path
    killed = subprocess.Popen(
        [sys.executable, "-m", "lee_console", "repair", DEVICES, "--from", restored,
         "--confirm", DEVICES, "--endpoint-url", sandbox.url, "--incident", INCIDENT],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    # The sandbox holds the answers of PutItems 31-38 for 30 s after writing them: the second
    # batch's writes land while its journal record waits for them. Kill it there.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and killed.poll() is None:
        if _batches(journal) and _fixed(sandbox) > _journaled(journal):
            break
        time.sleep(0.05)
    killed.send_signal(signal.SIGKILL)
    killed.wait()
    assert killed.returncode == -signal.SIGKILL, "the repair finished before it could be killed"
    unjournaled = _fixed(sandbox) - _journaled(journal)
    assert unjournaled > 0, "killed between batches: nothing written unjournaled"

    resumed = cli.ok("repair", DEVICES, "--from", restored, "--confirm", DEVICES, "--json").json
    damaged = len(sandbox.damaged)
    assert (resumed["damaged"], resumed["repaired"], resumed["skipped"], resumed["left"]) == (
        damaged, damaged, 0, 0,
    )  # fmt: skip
    assert resumed["legit_writes_after"] == dry["legit_writes_after"]
    after = scan_devices(sandbox.url, DEVICES)
    for key in sandbox.damaged:
        assert DEVICE_RULES.passes(after[key]), key
    for key in set(before) - sandbox.damaged:
        assert after[key] == before[key], key
    events = [json.loads(line) for line in journal.read_text().splitlines()]
    batch_keys = [k["device_id"] for e in events if e["kind"] == "repair-batch" for k in e["keys"]]
    assert len(batch_keys) == len(set(batch_keys))  # no key journaled as written twice
    report = cli.ok("report", INCIDENT, "--format", "json").json
    assert (
        f"Repair in place: {damaged:,} damaged items: {damaged:,} repaired, 0 skipped "
        "(changed since the diff, left as they are), 0 left."
    ) in report["items"]
