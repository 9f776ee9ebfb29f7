"""The find-good screen's plan: probes per round chosen by default (3 rounds of up to 36 over 35
days at 1 minute), shown beside one probe a round before anything starts; a typed number
overrides it; Start hands the chosen K (adaptive) to the search."""

from __future__ import annotations

from typing import Any

from sample_source import SMALL
from snapshot_steps import _before_restore, timeline
from ui_helpers import flat, screen_text, sync, wait_until

from lee_console.ui.screens.find_good import FindGoodScreen, SearchChoice


@sync
async def test_the_plan_is_chosen_shown_and_handed_to_the_search() -> None:
    app = _before_restore()
    chosen: list[SearchChoice | None] = []
    async with app.run_test(size=SMALL) as pilot:
        await timeline(pilot)
        screen = FindGoodScreen("lee-devices")
        app.push_screen(screen, chosen.append)
        await wait_until(pilot, lambda: screen.estimated is not None, what="the plan")
        text = flat(screen_text(app))
        assert "Plan: 3 round(s) x up to 36 probe(s) = at most 108 probe restores" in text
        assert "vs --parallel 1: 16 round(s) x 1 probe = 16 probe restores" in text

        screen.query_one("#parallel").value = "4"  # type: ignore[attr-defined]
        await wait_until(
            pilot, lambda: "7 round(s) x 4 probe(s)" in flat(screen_text(app)), what="K=4"
        )
        screen.query_one("#parallel").value = "51"  # type: ignore[attr-defined]
        await pilot.pause()
        assert "Probes per round: auto, or a whole number from 1 to 50." in flat(screen_text(app))
        assert screen.query_one("#start").disabled  # type: ignore[attr-defined]

        screen.query_one("#parallel").value = "auto"  # type: ignore[attr-defined]
        await wait_until(pilot, lambda: not screen.query_one("#start").disabled, what="Start")
        # The plan's lines replaced the one-line error in the same handler that enabled Start:
        # the button moves down once laid out, and a click aimed before that lands above it.
        await pilot.pause()
        await pilot.click("#start")
        await wait_until(pilot, lambda: chosen, what="the choice")
    choice: Any = chosen[0]
    assert (choice.parallel, choice.adaptive) == (36, True)
