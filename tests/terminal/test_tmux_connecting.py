"""The console draws before it reads the credentials (ui/connecting.py); a profile that does
not exist still ends it with the one-line error and exit 2 once the terminal is given back."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from pathlib import Path


def test_an_unknown_profile_gives_the_one_line_error_and_exit_2(tmp_path: Path) -> None:
    session = f"lee-{uuid.uuid4().hex[:8]}"
    command = (
        f"{sys.executable} -m lee_console --profile nope --region eu-west-1; "
        'echo "[console exited with status $?]"; sleep 600'
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "80", "-y", "24",
         "-e", f"HOME={tmp_path}", "-e", f"LEE_CONSOLE_STATE_DIR={tmp_path / 'state'}",
         "-e", f"LEE_CONSOLE_CONFIG={tmp_path / 'config.toml'}",
         "-e", "AWS_CONFIG_FILE=/nonexistent", "-e", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
         "-e", "TERM=xterm-256color", command],
        check=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        screen = ""
        while "[console exited" not in screen:
            assert time.monotonic() < deadline, f"the console did not end:\n{screen}"
            time.sleep(0.2)
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-J", "-t", session],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], check=False)
    lines = [line for line in screen.splitlines() if line.strip()]
    assert lines[-2:] == [
        "lee-console: The AWS profile 'nope' is not in ~/.aws/config or ~/.aws/credentials.",
        "[console exited with status 2]",
    ], screen
    assert "Traceback" not in screen
