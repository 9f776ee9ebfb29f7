"""The quarterly restore test from the console's command palette (Pilot, against the sandbox
through the real AWS source): ctrl+p, "DR test: lee-users", enter; the test restores a scratch
table, verifies it, deletes it, and the screen shows the same report the command saves."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from scenario_helpers import Sandbox, client, table_names
from tui_helpers import SIZE, dashboard_loaded, flat, make_app, screen_text, sync, wait_for

from lee_console.store.journal_file import Journal
from lee_console.ui.screens.dr_test import DrTestScreen


@pytest.fixture
def data_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("LEE_CONSOLE_DATA_DIR", str(tmp_path / "lee-data"))
    yield tmp_path / "lee-data"


@sync
async def test_dr_test_from_the_palette(
    accidental_delete: Sandbox, data_dir: Path, tmp_path: Path
) -> None:
    url = accidental_delete.url
    app = make_app(url, Journal(tmp_path / "lee-state" / "journals", "drtest-tui"))
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_loaded(pilot, timeout=15)
        await pilot.press("ctrl+p")
        await pilot.pause(0.3)
        await pilot.press(*"DR test: lee-users")
        await wait_for(pilot, lambda: "DR test: lee-users" in screen_text(app), "the command")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DrTestScreen), "the DR test screen")
        await wait_for(
            pilot, lambda: "saved with the table's dr-test history" in screen_text(app),
            "the report", timeout=40,
        )  # fmt: skip
        text = flat(screen_text(app))
    assert "PASSED" in text and "lee-users" in text
    assert not [name for name in table_names(url) if "drtest" in name]  # scratch deleted
    saved = list((data_dir / "dr-tests" / "lee-users").glob("*.md"))
    assert len(saved) == 1 and os.stat(saved[0]).st_mode & 0o077 == 0
    assert client(url).describe_table(TableName="lee-users")["Table"]["TableStatus"] == "ACTIVE"
