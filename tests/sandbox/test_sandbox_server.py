"""`python -m lee_console.sandbox`: the ready line, clean stops, bad options, latency, no log."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sandbox_helpers import client
from sandbox_process import running_sandbox

MODULE = [sys.executable, "-m", "lee_console.sandbox"]


def _popen(args: list[str], stderr_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*MODULE, *args],
        stdout=subprocess.PIPE,
        stderr=stderr_path.open("w"),
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def test_ready_line_requests_quiet_stderr_and_sigint(tmp_path: Path) -> None:
    stderr_path = tmp_path / "stderr"
    process = _popen(["--port", "0", "--items", "20"], stderr_path)
    assert process.stdout is not None
    line = process.stdout.readline()
    assert re.fullmatch(r"ready http://127\.0\.0\.1:\d+\n", line)
    url = line.split()[1]
    ddb = client(url)
    for _ in range(20):
        ddb.list_tables()
    process.send_signal(signal.SIGINT)
    assert process.wait(15) == 0
    assert process.stdout.read() == ""  # exactly one line on stdout
    assert "POST" not in stderr_path.read_text()  # no per-request log


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MODULE, *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )


def test_bad_options_exit_two_with_one_sentence() -> None:
    negative = _run(["--restore-lag", "-1"])
    assert negative.returncode == 2
    assert negative.stdout == ""
    assert "--restore-lag must be a number from 0 to 86400 (got -1)." in negative.stderr
    assert _run(["--scenario", "meteor-strike"]).returncode == 2
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = _run(["--port", str(taken.getsockname()[1])])
    assert busy.returncode == 2
    assert "already in use" in busy.stderr
    assert "Traceback" not in busy.stderr


def test_latency_is_added_to_every_request_and_overlaps() -> None:
    with running_sandbox(items=20, latency_ms=200) as (url, process):
        ddb = client(url)
        ddb.list_tables()
        started = time.perf_counter()
        ddb.describe_table(TableName="lee-users")
        single = time.perf_counter() - started
        assert single >= 0.2
        clients = [client(url) for _ in range(4)]  # built first: only requests are timed
        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda each: each.list_tables(), clients))
        concurrent = time.perf_counter() - started
        # Four requests in a row would take at least 4 x 200 ms; overlapping, far less.
        assert concurrent < 0.2 * 4
    assert process.returncode == 0  # running_sandbox sent SIGTERM


def test_in_process_start_is_exclusive_and_resets_state() -> None:
    script = textwrap.dedent(
        """
        import boto3
        from lee_console.sandbox import SandboxError, SandboxOptions, start_sandbox

        def tables(url):
            c = boto3.client("dynamodb", endpoint_url=url, region_name="us-east-1",
                             aws_access_key_id="x", aws_secret_access_key="x")
            return c, c.list_tables()["TableNames"]

        with start_sandbox(SandboxOptions(items=10)) as first:
            c, names = tables(first.endpoint_url)
            c.create_table(TableName="extra", KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                           AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                           BillingMode="PAY_PER_REQUEST")
            try:
                start_sandbox(SandboxOptions(items=10))
            except SandboxError as exc:
                print("refused:", exc.message)
        with start_sandbox(SandboxOptions(items=10)) as second:
            print("tables:", sorted(tables(second.endpoint_url)[1]))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "refused: A sandbox is already running in this process" in result.stdout
    assert "tables: ['lee-devices', 'lee-sessions', 'lee-users']" in result.stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--host", ""], "--host must not be empty"),
        (["--host", "256.1.1.1"], "--host '256.1.1.1' is not an address of this machine"),
        (["--restore-lag", "nan"], "--restore-lag must be a number from 0 to 86400 (got nan)."),
        (["--restore-seconds", "1e309"], "--restore-seconds must be a number from 0 to 86400"),
        (["--latency-ms", "inf"], "--latency-ms must be a number from 0 to 600000 (got inf)."),
        (["--port", "\u0663\u0660\u0660\u0660\u0660"], "is not a port: give 0 to 65535"),
        (["--faults", "meteor"], "--faults: Unknown fault 'meteor'"),
    ],
)
def test_hostile_options_are_refused_before_anything_listens(args: list[str], says: str) -> None:
    refused = _run([*args, "--port", "0", "--items", "5"])
    assert refused.returncode == 2
    assert refused.stdout == ""  # no ready line: nothing listens
    assert says in refused.stderr
    assert "Traceback" not in refused.stderr
