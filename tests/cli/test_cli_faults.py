"""A fault in the console itself is not dressed as an AWS error: one line that names the log,
the traceback in that log (0600, in the state dir), and printed too with --debug."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run

from lee_console import cli as cli_module
from lee_console.aws.errors import translate


def _broken(*_: Any) -> int:
    return {"a": 1}["missing-key-in-our-code"]


def test_a_code_fault_is_one_line_naming_the_log(
    cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cli_module, "runner", lambda name: _broken)
    log = tmp_path / "lee-state" / "lee-console.log"
    run = cli("status", url="http://127.0.0.1:9")
    assert run.code == 2
    assert run.err_lines == [
        f"lee-console: internal error (KeyError); the traceback is in {log} (--debug prints "
        "it). Nothing more was sent."
    ]
    assert "Traceback" in log.read_text() and "missing-key-in-our-code" in log.read_text()
    assert stat.S_IMODE(log.stat().st_mode) == 0o600

    debug = cli("status", "--debug", url="http://127.0.0.1:9")
    assert "Traceback (most recent call last)" in debug.err
    assert debug.err_lines[-1] == run.err_lines[0]


def test_only_botocore_errors_are_translated() -> None:
    fault = TypeError("a bug of ours")
    assert translate(fault, "describe table t") is fault
