"""`python -m lee_console` as a user runs it: exit codes, stdout/stderr, never a traceback.

The processes start all at once (a module fixture), so the subprocess cost is paid once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_helpers import Run

CASES: dict[str, list[str]] = {
    "status-json": ["status", "--json", "--endpoint-url", "{pristine}"],
    "alert": ["status", "--min-coverage-days", "40", "--endpoint-url", "{pristine}"],
    "unknown-table": ["restore", "no-such-table", "--at", "-5m", "--endpoint-url", "{pristine}"],
    "bad-time": ["restore", "lee-devices", "--at", "garbage", "--endpoint-url", "{pristine}"],
    "taken-target": [
        "restore", "lee-devices", "--at", "-10m", "--target", "lee-users",
        "--endpoint-url", "{pristine}",
    ],
    "unreachable": ["status", "--endpoint-url", "{closed}"],
    "no-credentials": ["status", "--region", "us-east-1"],
    "config-path": ["config", "path"],
}  # fmt: skip


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.fixture(scope="module")
def runs(pristine_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Run]]:
    home = tmp_path_factory.mktemp("subprocess-home")
    (home / "aws-config").write_text("")
    (home / "aws-credentials").write_text("")
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=str(home / "aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(home / "aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        LEE_CONSOLE_CONFIG=str(home / "config.toml"),
        LEE_CONSOLE_STATE_DIR=str(home / "state"),
    )
    closed = closed_port_url()
    started = {
        name: subprocess.Popen(
            [
                sys.executable, "-m", "lee_console",
                *(arg.format(pristine=pristine_url, closed=closed) for arg in args),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        for name, args in CASES.items()
    }  # fmt: skip
    results: dict[str, Run] = {}
    for name, process in started.items():
        out, err = process.communicate(timeout=60)
        results[name] = Run(process.returncode, out, err)
    results["config-path"].out = results["config-path"].out.replace(str(home), "{home}")
    yield results


def one_line_error(run: Run) -> str:
    assert run.code == 2, run
    assert "Traceback" not in run.err
    assert len(run.err_lines) == 1, run.err
    assert run.out == ""
    return run.err_lines[0]


def test_status_json_is_one_document(runs: dict[str, Run]) -> None:
    run = runs["status-json"]
    assert run.code == 0, run.err
    assert json.loads(run.out)["healthy"] is True
    assert run.err == ""  # human messages only when the output is not for machines


def test_status_alert_exits_1(runs: dict[str, Run]) -> None:
    assert runs["alert"].code == 1
    assert "Traceback" not in runs["alert"].err


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("unknown-table", "Table no-such-table does not exist"),
        ("bad-time", "Accepted forms: ISO-8601"),
        ("taken-target", "--target lee-users-2"),
        ("unreachable", "nothing answers at http://127.0.0.1:"),
        ("no-credentials", "use --sandbox"),
    ],
)
def test_errors_are_one_line_and_exit_2(runs: dict[str, Run], case: str, needle: str) -> None:
    run = runs[case]
    if case == "unreachable":  # botocore retries a refused connection: said once, first
        assert run.err_lines[0].startswith("No answer from AWS for "), run.err
        run = Run(run.code, run.out, "\n".join(run.err_lines[1:]) + "\n")
    line = one_line_error(run)
    assert line.startswith("lee-console: ")
    assert needle in line


def test_config_path(runs: dict[str, Run]) -> None:
    run = runs["config-path"]
    assert (run.code, run.out, run.err) == (0, "{home}/config.toml\n", "")


def test_commands_do_not_load_the_sandbox(tmp_path: Path) -> None:
    """moto takes seconds to import: only `sandbox` and `--sandbox` may pay for it."""
    code = (
        "import sys; from lee_console.cli import main; main(['config', 'path']); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'moto' "
        "or m.startswith('lee_console.sandbox.') or m == 'lee_console.sandbox'))"
    )
    env = {**os.environ, "LEE_CONSOLE_CONFIG": str(tmp_path / "c.toml")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.stdout.splitlines() == [str(tmp_path / "c.toml"), "[]"], done.stderr
