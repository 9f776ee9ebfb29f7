"""A drill played by keys in the console (Pilot, against the drill sandbox through the real AWS
source): the page first, the banner with its clock on every screen, a hint that costs points,
and the score card once the incident is closed. Played well (restore before the deployment,
verify, repair in place) and badly (close at once): the cards tell the two apart."""

from __future__ import annotations

from drill_helpers import (
    close_for_the_card,
    cutover_step,
    drill_app,
    drill_fixture,
    past_the_page,
    restore_done,
    saved_result,
    verify_step,
)
from scenario_helpers import DEVICES
from tui_helpers import (
    SIZE,
    dashboard_loaded,
    flat,
    open_runbook,
    screen_text,
    sync,
    wait_for,
)

from lee_console.store.drills import DrillRecord, result_saved
from lee_console.ui.drill.banner import DrillBanner
from lee_console.ui.drill.brief_screen import BriefScreen
from lee_console.ui.drill.hint_screen import HintScreen
from lee_console.ui.screens.restore_plan import RestorePlanScreen
from lee_console.ui.widgets.timeline import Timeline

drill = drill_fixture("bad-deployment")


@sync
async def test_a_drill_played_well_by_keys(drill: DrillRecord) -> None:
    app = drill_app(drill)
    async with app.run_test(size=SIZE) as pilot:
        assert "Support tickets" in flat(await past_the_page(pilot, app))
        await wait_for(pilot, lambda: bool(app.screen.query(DrillBanner)), "the drill banner")
        assert "DRILL" in screen_text(app) and "RTO 60 min" in screen_text(app)

        # A hint: h shows its cost, y takes it (journaled), the hint is on screen.
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HintScreen), "the hint offer")
        assert "costs 3 points" in flat(screen_text(app))
        await pilot.press("y")
        await wait_for(pilot, lambda: "Hint 1:" in screen_text(app), "the hint")
        await pilot.press("escape")

        # Restore a minute before the deployment (the timeline's cursor), by keys.
        await dashboard_loaded(pilot, timeout=15)
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query(Timeline), "the timeline")
        assert app.screen.query(DrillBanner)  # the banner on every full screen
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RestorePlanScreen), "the plan")
        await pilot.press("tab", "enter")
        await restore_done(pilot, app)

        runbook = await open_runbook(pilot, app)
        await verify_step(pilot, runbook)
        await cutover_step(pilot, runbook, drill, "2", DEVICES)
        card = await close_for_the_card(pilot, app)

    assert "Score " in card and "Hints -3 / 0" in card
    assert "Cutover 25 / 25" in card and "no damaged item left" in card
    assert "Ground truth beside the participant's timeline" in card  # --facilitator
    saved = saved_result(drill)
    assert saved["hints_used"] == 1 and 80 <= saved["total"] <= 97
    assert result_saved(drill.incident)


@sync
async def test_a_drill_closed_at_once_scores_badly(drill: DrillRecord) -> None:
    app = drill_app(drill)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen), "the page")
        await pilot.press("escape")
        await dashboard_loaded(pilot, timeout=15)
        card = await close_for_the_card(pilot, app)
        await pilot.press("h")  # the drill is over: no hint counts now
        await pilot.pause(0.2)
        assert not isinstance(app.screen, HintScreen)
    assert "Score 0 / 100" in card
    assert "No restore was made." in card and "Nothing was recovered" in card
