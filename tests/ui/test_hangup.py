"""A dropped SSH session: the console (a real `lee-console` process on a pseudo-terminal) gets
SIGHUP and leaves as `q` does, exit 0, instead of dying of the signal. Once by closing the
terminal (the kernel hangs it up), once by two SIGHUPs (the kernel's and the shell's)."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Iterator

import pytest
from sandbox_process import running_sandbox

DEADLINE_SECONDS = 60.0


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with running_sandbox("none", restore_seconds=1, restore_lag=0, items=20) as (endpoint, _):
        yield endpoint


def _console(url: str) -> tuple[int, int]:
    """Start the console on a new pseudo-terminal (its controlling terminal); wait until it
    shows the tables. Returns its pid and the terminal's master side."""
    pid, master = pty.fork()
    if pid == 0:  # the child: become the console
        try:
            command = [sys.executable, "-m", "lee_console", "--endpoint-url", url]
            os.execve(sys.executable, command, {**os.environ, "TERM": "xterm-256color"})
        finally:
            os._exit(127)
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    shown = b""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while b"lee-devices" not in shown:
        assert time.monotonic() < deadline, shown[-500:]
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                shown += os.read(master, 65536)
            except OSError:  # the console left: say what it showed
                raise AssertionError(shown.decode(errors="replace")[-2000:]) from None
    return pid, master


def _exit_code(pid: int, master: int | None) -> int:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise AssertionError("the console did not leave after the hangup")
        if master is not None and select.select([master], [], [], 0.05)[0]:
            with contextlib.suppress(OSError):
                os.read(master, 65536)  # keep the terminal drained
        else:
            time.sleep(0.05)


def test_the_terminal_hangs_up(url: str) -> None:
    pid, master = _console(url)
    os.close(master)  # the SSH session is gone: the kernel sends SIGHUP
    assert _exit_code(pid, None) == 0


def test_two_sighups_leave_as_quit_does(url: str) -> None:
    pid, master = _console(url)
    try:
        os.kill(pid, signal.SIGHUP)
        os.kill(pid, signal.SIGHUP)
        assert _exit_code(pid, master) == 0
    finally:
        os.close(master)
