"""The UI tests run hermetically and draw the same pictures on every machine."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: sandbox_process


@pytest.fixture(autouse=True)
def _hermetic_ui(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No state or config of the machine, and no terminal settings that change the drawing."""
    monkeypatch.setenv("LEE_CONSOLE_STATE_DIR", str(tmp_path / "lee-state"))
    monkeypatch.setenv("LEE_CONSOLE_CONFIG", str(tmp_path / "lee-config.toml"))
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_THEME", raising=False)
    monkeypatch.setenv("TZ", "America/Los_Angeles")  # nothing may depend on the machine's zone
