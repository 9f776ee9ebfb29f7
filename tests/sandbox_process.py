"""Start `python -m lee_console.sandbox` in a subprocess for tests (any test folder).

    from sandbox_process import running_sandbox   # tests/ must be on sys.path

    with running_sandbox(scenario="bad-deployment", restore_seconds=1, restore_lag=0) as (
        url, process
    ):
        boto3.client("dynamodb", endpoint_url=url, ...)

Each call gets its own free port (``--port 0``), so it is safe under ``pytest -n auto``. At exit
the process gets SIGTERM and must exit 0. Its stderr goes to a temporary file whose tail is
shown if the sandbox fails to start.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

READY_LINE = re.compile(r"^ready (http://[^\s]+)$")
READY_TIMEOUT_SECONDS = 60.0


@contextmanager
def running_sandbox(
    scenario: str = "none",
    restore_seconds: float = 1.0,
    restore_lag: float = 0.0,
    items: int | None = None,
    truth_file: Path | None = None,
    latency_ms: float = 0.0,
    extra_args: tuple[str, ...] = (),
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Yield ``(endpoint_url, process)`` for a sandbox that is accepting requests."""
    command = [
        sys.executable,
        "-m",
        "lee_console.sandbox",
        "--port",
        "0",
        "--scenario",
        scenario,
        "--restore-seconds",
        str(restore_seconds),
        "--restore-lag",
        str(restore_lag),
        "--latency-ms",
        str(latency_ms),
    ]
    if items is not None:
        command += ["--items", str(items)]
    if truth_file is not None:
        command += ["--truth-file", str(truth_file)]
    command += list(extra_args)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stderr:
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            url = _read_ready(process, stderr)
            yield url, process
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
                    raise AssertionError(
                        "the sandbox did not stop within 15 s of SIGTERM"
                    ) from None
        assert process.returncode == 0, f"sandbox exited {process.returncode}: {_tail(stderr)}"


def _read_ready(process: subprocess.Popen[str], stderr: object) -> str:
    assert process.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(
        target=lambda: lines.append(process.stdout.readline()),  # type: ignore[union-attr]
        daemon=True,
    )
    reader.start()
    reader.join(READY_TIMEOUT_SECONDS)
    line = lines[0].rstrip("\n") if lines else ""
    match = READY_LINE.match(line)
    if match is None:
        process.kill()
        process.wait()
        raise AssertionError(f"sandbox did not start: first line {line!r}; {_tail(stderr)}")
    return match.group(1)


def _tail(stderr: object) -> str:
    try:
        stderr.seek(0)  # type: ignore[attr-defined]
        text: str = stderr.read()  # type: ignore[attr-defined]
    except (OSError, ValueError):
        return "(no stderr)"
    return "stderr: " + (text[-2000:] if text else "(empty)")
