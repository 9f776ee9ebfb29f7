"""The console writes no screenshot: Textual's palette command saves the screen as an SVG in the
Downloads folder, readable by all, and the screen can show item values (verify's examples of a
rule broken, a planted secret among them). It is not offered, and the action saves nothing."""

from __future__ import annotations

import os
from pathlib import Path

from sample_source import LARGE, make_app
from textual.command import CommandPalette
from textual.widgets import OptionList
from ui_helpers import dashboard_loaded, sync, wait_until

from lee_console.ui.app import NO_SCREENSHOT


@sync
async def test_no_screenshot_is_offered_or_saved(tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=LARGE) as pilot:
        await dashboard_loaded(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Quit" in titles
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"screenshot")
        await pilot.pause(0.3)
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert not any("Screenshot" in prompt for prompt in prompts)
        await pilot.press("escape")

        assert app.deliver_screenshot(path=str(tmp_path)) is None
        app.action_screenshot(path=str(tmp_path))
        await pilot.pause(0.3)
        assert os.listdir(tmp_path) == []
        assert any(NO_SCREENSHOT in str(n.message) for n in app._notifications)
