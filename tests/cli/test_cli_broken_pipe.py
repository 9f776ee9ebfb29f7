"""A reader that leaves early (`lee-console ... | head -1`): the command stops quietly with
141 (128 + SIGPIPE, as a shell reports it), no traceback, no internal error logged. Buffered
(the interpreter's own flush at exit) and unbuffered (the print itself) stdout alike."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.mark.parametrize("unbuffered", [True, False])
def test_a_closed_stdout_ends_quietly(tmp_path: Path, unbuffered: bool) -> None:
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    env.update(LEE_CONSOLE_STATE_DIR=str(tmp_path / "state"),
               LEE_CONSOLE_CONFIG=str(tmp_path / "config.toml"))  # fmt: skip
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    reader, writer = os.pipe()
    os.close(reader)  # the reader has left before the first line
    try:
        done = subprocess.run(
            [sys.executable, "-m", "lee_console", "config", "example"],
            stdout=writer, stderr=subprocess.PIPE, text=True, env=env, timeout=60,
        )  # fmt: skip
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (141, "")
    assert not (tmp_path / "state" / "lee-console.log").exists()
