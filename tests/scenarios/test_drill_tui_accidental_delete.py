"""The accidental-delete drill played by keys (Pilot, against the drill sandbox through the real
AWS source). Well: the deleted table's SYSTEM backup restored under the table's own name,
verified, PITR and the other settings re-applied, the service confirmed, the incident closed.
Badly: the backup restored under a new name the application never hears of, then closed. The
score cards on screen tell the two apart: the application reads a table that does not exist."""

from __future__ import annotations

from typing import Any

from drill_helpers import (
    close_for_the_card,
    drill_app,
    drill_fixture,
    past_the_page,
    restore_done,
    saved_result,
    verify_step,
)
from scenario_helpers import DEVICES
from textual.pilot import Pilot
from textual.widgets import DataTable, Input
from tui_helpers import (
    SIZE,
    confirm_modal,
    flat,
    open_runbook,
    screen_text,
    select_step,
    sync,
    wait_for,
)

from lee_console.core.runbook import StepId, StepState
from lee_console.store.drills import DrillRecord
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.screens.backups import BackupsScreen
from lee_console.ui.screens.restore_plan import RestorePlanScreen
from lee_console.ui.screens.runbook import RunbookScreen
from lee_console.ui.screens.settings import SettingsScreen

ELSEWHERE = f"{DEVICES}-copy"  # the bad player's target: a name the application never reads


drill = drill_fixture("accidental-delete")


async def plan_the_deleted_tables_restore(pilot: Pilot[Any], app: LeeConsoleApp) -> None:
    """Past the page to the dashboard, down to lee-devices DELETED, enter (its backups, the
    SYSTEM one first), enter (the restore plan)."""
    await past_the_page(pilot, app)
    rows: DataTable[str] = app.screen.query_one("#tables", DataTable)
    await wait_for(pilot, lambda: "DELETED" in screen_text(app), "the deleted row")
    deleted_row = rows.get_row_index(f"deleted:{DEVICES}")
    while rows.cursor_row != deleted_row:
        await pilot.press("down" if rows.cursor_row < deleted_row else "up")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, BackupsScreen), "the backups")
    backups = app.screen
    assert isinstance(backups, BackupsScreen)
    await wait_for(pilot, lambda: backups.backups, "the backups to load")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, RestorePlanScreen), "the plan")


@sync
async def test_accidental_delete_played_well_by_keys(drill: DrillRecord) -> None:
    app = drill_app(drill)
    async with app.run_test(size=SIZE) as pilot:
        await plan_the_deleted_tables_restore(pilot, app)
        plan = app.screen
        assert isinstance(plan, RestorePlanScreen)
        assert [r.target_table for r in plan.requests()] == [DEVICES]  # its own name
        await pilot.press("tab", "enter")  # Restore is the button after the focused Cancel
        await restore_done(pilot, app, DEVICES)

        runbook = await open_runbook(pilot, app)
        assert runbook.book is not None
        assert runbook.book.step(StepId.CUTOVER).state is StepState.SKIPPED  # nothing to move
        await verify_step(pilot, runbook)

        await select_step(pilot, runbook, StepId.SETTINGS)
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "settings")
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        await wait_for(pilot, lambda: settings.loaded is not None, "the drift", 20)
        await wait_for(pilot, lambda: "off at deletion" in flat(screen_text(app)), "rows", 10)
        await pilot.press("a")
        await confirm_modal(pilot, app)
        await wait_for(pilot, lambda: settings.holds, "the re-read after apply", 30)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, RunbookScreen), "the runbook")

        await select_step(pilot, runbook, StepId.CONFIRM)
        await confirm_modal(pilot, app)
        await wait_for(pilot, lambda: app.screen is runbook, "the runbook again")
        card = await close_for_the_card(pilot, app)

    assert "Score 100 / 100" in card, card
    assert "Restored from the deleted table's backup" in card
    assert f"Repaired in place: {DEVICES} kept PITR" in card
    assert f"The application reads {DEVICES}: no damaged item left." in card
    assert "within the RTO" in card
    saved = saved_result(drill)
    assert saved["items"]["missing"] == 0 and saved["items"]["legit_writes_lost"] == 0


@sync
async def test_accidental_delete_restored_under_a_new_name_scores_badly(
    drill: DrillRecord,
) -> None:
    app = drill_app(drill)
    async with app.run_test(size=SIZE) as pilot:
        await plan_the_deleted_tables_restore(pilot, app)
        # From Cancel back to the target's field (shift+tab past the billing mode), a new name.
        await pilot.press("shift+tab", "shift+tab")
        target = app.screen.query_one("#target-0", Input)
        assert app.focused is target
        await pilot.press("end", *"-copy")
        plan = app.screen
        assert isinstance(plan, RestorePlanScreen)
        await wait_for(
            pilot, lambda: [r.target_table for r in plan.requests()] == [ELSEWHERE], "the name"
        )
        await pilot.press("tab", "tab", "tab")  # past the billing mode and Cancel
        assert app.focused is not None and app.focused.id == "confirm"
        await pilot.press("enter")
        await restore_done(pilot, app, ELSEWHERE)
        card = await close_for_the_card(pilot, app)

    # The restore itself was right; the application was never told where the table went.
    assert "Restored from the deleted table's backup" in card
    assert f"The application reads {DEVICES}, which does not exist." in card
    assert "The restored table was never verified." in card
    assert "never moved to good data alone" in card
    saved = saved_result(drill)
    found = saved["by_key"]
    assert found["cutover"]["points"] == 0 and found["time"]["points"] == 0
    assert found["settings"]["points"] == 0 and saved["total"] <= 40
