"""The headless commands under each fault the sandbox injects (throttling, 5xx, latency, dropped
connections, endpoint down, expired credentials): the trouble is said as it happens, botocore's
retries carry the short ones, and a restore wait and a repair ride out a 2-minute outage with
exact counts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from scenario_helpers import (
    DEVICE_RULES,
    DEVICES,
    Cli,
    Run,
    Sandbox,
    one_line_error,
    scan_devices,
    set_faults,
    utc_text,
)

INCIDENT = "faults"


@pytest.fixture
def cli(bad_deployment_faults: Sandbox, capsys: pytest.CaptureFixture[str]) -> Cli:
    set_faults(bad_deployment_faults.url, "")
    return Cli(capsys, bad_deployment_faults.url, INCIDENT)


@pytest.mark.parametrize(
    ("spec", "said"),
    [
        (
            "throttle@DescribeContinuousBackups,count=2",
            "AWS is throttling DescribeContinuousBackups, retry 1 of 5.",
        ),
        (
            "5xx@ListTables,count=1",
            "AWS answered ListTables with a server error (InternalServerError), retry 1 of 5.",
        ),
        ("drop@DescribeTable,count=1", "No answer from AWS for DescribeTable (ConnectionClosed"),
        ("latency,ms=400", ""),
    ],
)
def test_status_says_the_trouble_and_answers_as_without_it(
    cli: Cli, bad_deployment_faults: Sandbox, spec: str, said: str
) -> None:
    clean = cli("status", "--json")
    set_faults(bad_deployment_faults.url, spec)
    troubled = cli("status", "--json")
    set_faults(bad_deployment_faults.url, "")
    assert troubled.code == clean.code, troubled.err
    tables = [t["name"] for t in json.loads(troubled.out)["tables"]]
    assert tables == [t["name"] for t in json.loads(clean.out)["tables"]]
    if said:
        assert said in troubled.err
    else:
        assert troubled.err == clean.err


def test_an_endpoint_down_fails_in_one_line_after_the_retries_and_works_when_back(
    cli: Cli, bad_deployment_faults: Sandbox
) -> None:
    set_faults(bad_deployment_faults.url, "down")
    run = cli("status")
    assert run.err_lines[0].startswith("No answer from AWS for ListTables"), run.err
    assert "retry 1 of 5." in run.err_lines[0]
    line = one_line_error(Run(run.code, run.out, "\n".join(run.err_lines[1:]) + "\n"))
    assert "nothing answers at" in line
    set_faults(bad_deployment_faults.url, "")
    assert cli("status", "--json").code in (0, 1)


def test_expired_credentials_say_how_to_renew_and_work_resumes_after(
    cli: Cli, bad_deployment_faults: Sandbox
) -> None:
    set_faults(bad_deployment_faults.url, "expired")
    line = one_line_error(cli("status"))
    assert "the AWS credentials have expired; renew them (`aws sso login`" in line
    set_faults(bad_deployment_faults.url, "")  # renewed
    assert cli("status", "--json").code in (0, 1)


def _command(sandbox: Sandbox, incident: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "lee_console", *args, "--endpoint-url", sandbox.url,
         "--incident", incident],
        env=os.environ.copy(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _wait_for_event(journal: Path, kind: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if journal.exists() and f'"kind": "{kind}"' in journal.read_text():
            return
        time.sleep(0.1)
    raise AssertionError(f"no {kind} in {journal} after {timeout} s")


def _finish(process: subprocess.Popen[str]) -> Run:
    out, err = process.communicate(timeout=400)
    return Run(process.returncode, out, err)


def test_a_restore_wait_and_a_repair_ride_out_a_two_minute_outage(
    cli: Cli, bad_deployment_faults: Sandbox
) -> None:
    sandbox = bad_deployment_faults
    point = utc_text(sandbox.damage_start - timedelta(minutes=1))
    restored = cli.ok("restore", DEVICES, "--at", point, "--poll-seconds", "0.5").json["target"]
    before = scan_devices(sandbox.url, DEVICES)

    waiting = _command(sandbox, "faults-restore", "restore", DEVICES, "--at", point,
                       "--target", "lee-devices-outage", "--poll-seconds", "1")  # fmt: skip
    _wait_for_event(Cli(cli.capsys, sandbox.url, "faults-restore").journal.path, "restore-started")
    set_faults(sandbox.url, "latency@PutItem,ms=1500")  # a repair slow enough to be cut in two
    repairing = _command(sandbox, INCIDENT, "repair", DEVICES, "--from", restored,
                         "--confirm", DEVICES, "--json")  # fmt: skip
    _wait_for_event(cli.journal.path, "repair-planned")
    began = time.monotonic()
    set_faults(sandbox.url, "down,for=2m; latency@PutItem,ms=1500")

    restore, repair = _finish(waiting), _finish(repairing)
    assert time.monotonic() - began >= 120  # neither finished inside the outage
    assert restore.code == 0, restore.err
    assert json.loads(restore.out)["status"] == "ACTIVE"
    assert repair.code == 0, repair.err
    for run in (restore, repair):
        assert "Still trying:" in run.err and "giving up at" in run.err, run.err
        assert "AWS answers again after" in run.err, run.err
    result = json.loads(repair.out)
    damaged = len(sandbox.damaged)
    assert (result["damaged"], result["repaired"], result["skipped"], result["left"]) == (
        damaged, damaged, 0, 0,
    )  # fmt: skip
    after = scan_devices(sandbox.url, DEVICES)
    for key in sandbox.damaged:
        assert DEVICE_RULES.passes(after[key]), key
    for key in set(before) - sandbox.damaged:
        assert after[key] == before[key], key
