"""The timeline says why its cursor was set where it was ("cursor set 1 min before the
deployment ...; r restores to it") only while the cursor is there: `r` restores to the cursor."""

from __future__ import annotations

from sample_source import SMALL, make_app
from snapshot_steps import timeline
from textual.widgets import Static
from ui_helpers import flat, sync, wait_until


@sync
async def test_the_suggestion_goes_once_the_cursor_leaves_it() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await timeline(pilot)

        def info() -> str:
            return flat(str(app.screen.query_one("#timeline-info", Static).content))

        await wait_until(pilot, lambda: "r restores to it" in info(), what="the suggestion")
        assert "cursor set 1 min before the deployment" in info()
        await pilot.press("left")
        await wait_until(pilot, lambda: "cursor set" not in info(), what="the suggestion gone")
        assert info().startswith("window ")
