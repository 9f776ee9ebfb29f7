"""The README's key paths typed into a real terminal (tmux, 80x24) 5 ms apart, as a laggy SSH
link delivers them, against the bad-deployment sandbox: every screen reached has its header and
footer (never Textual's blank default screen), and escape always leads back to the dashboard."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: sandbox_process
from sandbox_process import running_sandbox

GAP = 0.005  # seconds between keys
DASHBOARD = "⏎ Open  r Restore"  # the dashboard's footer


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.session],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip

    def type(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(["tmux", "send-keys", "-t", self.session, key], check=True)
            time.sleep(GAP)

    def wait_for(self, text: str, timeout: float = 30) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} after {timeout} s on:\n{screen}")
            time.sleep(0.1)

    def assert_sane(self) -> str:
        """Give queued keys a moment, then: the console is running, with something on its
        first line (a header or title) and a key on its last (a footer), not a blank screen."""
        time.sleep(1.0)
        screen = self.screen()
        rows = screen.splitlines()
        assert "console exited" not in screen, screen
        assert rows and rows[0].strip(), f"no header on:\n{screen}"
        assert len(rows) >= 24 and rows[23].strip(), f"no footer on:\n{screen}"
        return screen

    def back_to_dashboard(self) -> None:
        for _ in range(10):
            if DASHBOARD in self.screen():
                return
            self.type("Escape")
            time.sleep(0.7)
        self.wait_for(DASHBOARD, timeout=5)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    session = f"lee-{uuid.uuid4().hex[:8]}"
    with running_sandbox("bad-deployment", restore_seconds=5, restore_lag=60, items=300) as (
        url,
        _,
    ):
        env = {
            **os.environ,
            "LEE_CONSOLE_STATE_DIR": str(tmp_path / "state"),
            "LEE_CONSOLE_CONFIG": str(tmp_path / "config.toml"),
            "TERM": "xterm-256color",
        }
        # The shell stays after the console ends, so an exit (or a traceback) stays on screen.
        command = (
            f"{sys.executable} -m lee_console --endpoint-url {url}; "
            'echo; echo "[console exited with status $?]"; sleep 600'
        )
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24",
             "-e", f"LEE_CONSOLE_STATE_DIR={env['LEE_CONSOLE_STATE_DIR']}",
             "-e", f"LEE_CONSOLE_CONFIG={env['LEE_CONSOLE_CONFIG']}",
             "-e", "TERM=xterm-256color", command],
            check=True, env=env,
        )  # fmt: skip
        try:
            yield Terminal(session)
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], check=False)


def test_the_readme_key_paths_typed_5_ms_apart_keep_the_screen_sane(terminal: Terminal) -> None:
    terminal.wait_for("3 of 3 tables")

    # The 4-key restore, typed in one burst (the timeline may still be loading when r comes).
    terminal.type("Enter", "r", "Tab", "Enter")
    terminal.assert_sane()
    terminal.back_to_dashboard()

    # The same keys, each once its screen is drawn (keys that came before the plan was shown
    # never press its buttons): the restore starts.
    terminal.type("Enter")
    terminal.wait_for("cursor set 1 min before")
    terminal.type("r")
    terminal.wait_for("tab moves to Restore")
    terminal.type("Tab", "Enter")
    terminal.wait_for("restore in progress", timeout=30)
    terminal.assert_sane()
    terminal.back_to_dashboard()

    # The 7-key path by hand, and the dashboard's keys in bursts, each undone by escape.
    for burst in (
        ("Enter", "End", "p", "Left", "r", "Tab", "Escape"),
        ("r", "Enter", "Tab", "Enter"),
        ("b", "Enter", "Escape", "u", "Escape", "?"),
        ("Down", "Enter", "z", "z", "Z", "Escape", "Up"),
        ("Enter", "Escape", "Enter", "Escape", "Enter"),
    ):
        terminal.type(*burst)
        terminal.assert_sane()
        terminal.back_to_dashboard()
