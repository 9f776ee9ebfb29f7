"""The UI tests run hermetically and draw the same pictures on every machine."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: sandbox_process


@pytest.fixture(autouse=True)
def _hermetic_ui(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No state, config or credentials of the machine, and no terminal setting or time zone
    that changes the drawing. The machine's zone is set to one the sample data does not use
    (the app's zone is CET), so a screen that read the machine's zone would show it."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("LEE_CONSOLE_STATE_DIR", str(tmp_path / "lee-state"))
    monkeypatch.setenv("LEE_CONSOLE_CONFIG", str(tmp_path / "lee-config.toml"))
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
