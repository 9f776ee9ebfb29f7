"""The gradual-corruption drill played by keys (Pilot, against the drill sandbox through the real
AWS source). Well: the timeline's cursor typed (t) to the second before the damage began (an
expert's answer: a real participant finds it with find-good), restored, verified, repaired in
place, closed. Badly: yesterday restored whole and the application repointed to it, unverified.
The score cards on screen tell the two apart: the week-old damage came back, and every
legitimate write since yesterday is lost."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

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
from textual.pilot import Pilot
from tui_helpers import SIZE, open_runbook, sync, wait_for

from lee_console.core.timeparse import format_utc
from lee_console.drill_play import drill_truth
from lee_console.store.drills import DrillRecord
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.screens.restore_plan import RestorePlanScreen
from lee_console.ui.screens.time_input import TimeInputScreen
from lee_console.ui.screens.typed_confirm import TypedConfirmScreen
from lee_console.ui.widgets.timeline import Timeline

drill = drill_fixture("gradual-corruption")


async def restore_at(pilot: Pilot[Any], app: LeeConsoleApp, when: str) -> str:
    """Past the page, enter on lee-devices (its timeline), t and the time, r, tab, enter: the
    restore done; returns its target."""
    await past_the_page(pilot, app)
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen.query(Timeline), "the timeline")
    await pilot.press("t")
    await wait_for(pilot, lambda: isinstance(app.screen, TimeInputScreen), "the time input")
    await pilot.press(*when, "enter")
    await wait_for(pilot, lambda: app.screen.query(Timeline), "the timeline again")
    await pilot.press("r")
    await wait_for(pilot, lambda: isinstance(app.screen, RestorePlanScreen), "the plan")
    plan = app.screen
    assert isinstance(plan, RestorePlanScreen)
    [request] = plan.requests()
    await pilot.press("tab", "enter")
    await restore_done(pilot, app, request.target_table)
    return request.target_table


@sync
async def test_gradual_corruption_played_well_by_keys(drill: DrillRecord) -> None:
    start = drill_truth(drill).ground.damage_start
    app = drill_app(drill, facilitator=False)
    async with app.run_test(size=SIZE) as pilot:
        await restore_at(pilot, app, format_utc(start - timedelta(seconds=1)))
        runbook = await open_runbook(pilot, app)
        await verify_step(pilot, runbook)
        await cutover_step(pilot, runbook, drill, "2", DEVICES)
        card = await close_for_the_card(pilot, app)

    assert "Score 100 / 100" in card, card
    assert "before the damage began: no write in between" in card
    assert f"The application reads {DEVICES}: no damaged item left." in card
    assert "Every legitimate write is in the table the application reads." in card
    saved = saved_result(drill)
    assert saved["items"]["damaged_left"] == 0 and saved["items"]["legit_writes_lost"] == 0


@sync
async def test_gradual_corruption_restored_from_yesterday_and_repointed_scores_badly(
    drill: DrillRecord,
) -> None:
    app = drill_app(drill, facilitator=False)
    async with app.run_test(size=SIZE) as pilot:
        restored = await restore_at(pilot, app, "-1d")
        runbook = await open_runbook(pilot, app)
        # Override the lock (type the live table's name and a reason): cut over unverified.
        await pilot.press("o")
        await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmScreen), "override")
        await pilot.press(*DEVICES, "tab", *"no time", "enter")
        await wait_for(pilot, lambda: not runbook.book.cutover_locked, "cutover unlocked")  # type: ignore[union-attr]
        await cutover_step(pilot, runbook, drill, "1", restored)
        card = await close_for_the_card(pilot, app)

    saved = saved_result(drill)
    found = saved["by_key"]
    assert found["restore-point"]["points"] == 0 and "damaged data came back" in card
    assert "The restored table was never verified." in card
    assert f"PITR is off on {restored}" in card
    assert f"items still damaged in {restored}" in card
    assert "items hold an older image than their last legitimate write" in card
    assert "moved, but to damaged or missing data: not recovered" in card
    assert saved["items"]["damaged_left"] > 0 and saved["items"]["legit_writes_lost"] > 0
    assert saved["total"] < 30
