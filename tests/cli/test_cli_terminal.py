"""The console refuses to start without a terminal (`lee-console --sandbox 2>file` drew the
console into the file), in one line, before any sandbox is started."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import Run

from lee_console.aws.connection import ConnectionSettings
from lee_console.core.config import Config
from lee_console.core.journal import Kind
from lee_console.store.journal_file import Journal


def _console_with_stderr_to_a_file(tmp_path: Path) -> tuple[int, str]:
    """stdin and stdout a terminal (a pty), stderr a file."""
    main, other = pty.openpty()
    err_path = tmp_path / "stderr.txt"
    env = {**os.environ, "LEE_CONSOLE_STATE_DIR": str(tmp_path / "state"), "TERM": "xterm"}
    with err_path.open("w") as err_file:
        done = subprocess.run(
            [sys.executable, "-m", "lee_console", "--sandbox"],
            stdin=other, stdout=other, stderr=err_file,
            env=env, timeout=60,
        )  # fmt: skip
    os.close(other)
    os.close(main)
    return done.returncode, err_path.read_text()


def test_stderr_to_a_file_is_refused_in_one_line_before_the_sandbox(tmp_path: Path) -> None:
    code, err = _console_with_stderr_to_a_file(tmp_path)
    assert code == 2
    assert err == (
        "lee-console: The console needs a terminal, but stderr is not one; run it in a terminal "
        "without redirecting it, or use the headless commands (`lee-console --help`).\n"
    )
    assert not (tmp_path / "state" / "sandbox.json").exists()


def test_stdin_not_a_terminal_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, "LEE_CONSOLE_STATE_DIR": str(tmp_path / "state")}
    done = subprocess.run(
        [sys.executable, "-m", "lee_console", "--endpoint-url", "http://127.0.0.1:9"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("lee-console: The console needs a terminal, but stdin is not")
    assert done.stdout == ""


def test_the_exit_message_of_a_console_that_closed_its_incident_says_so(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The line held back for the exit was taken at launch ('open'); a console session that
    closed the incident ends with that, not with 'open'."""

    def closing_console(_: ConnectionSettings, journal: Journal | None, config: Config) -> int:
        assert journal is not None
        journal.append(Kind.CLOSED, text="closed in the console")
        return 0

    monkeypatch.setenv("LEE_CONSOLE_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setattr("lee_console.cli.check_terminal", lambda: None)
    monkeypatch.setattr("lee_console.ui.launch.run_console", closing_console)
    run = cli("--endpoint-url", "http://127.0.0.1:9", "--incident", "adhoc-closing")
    assert run.code == 0, run.err
    assert run.err_lines[-1] == (
        "Incident adhoc-closing was closed; `lee-console report adhoc-closing` prints its report."
    )
    assert "open" not in run.err
