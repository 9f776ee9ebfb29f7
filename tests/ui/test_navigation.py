"""Pilot tests of the console on sample data: the dashboard, its keys, help, filter, marks,
the timeline, and the command palette."""

from __future__ import annotations

import re
from datetime import timedelta

from sample_source import BAD_DEPLOY, LARGE, LATEST, ONE_MINUTE_BEFORE, SMALL, make_app
from textual.command import CommandPalette
from textual.widgets import DataTable, Input, OptionList, Static
from ui_helpers import dashboard_loaded, flat, screen_text, sync, wait_until

from lee_console.core.restore import RestoreKind
from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.screens.help import HelpScreen
from lee_console.ui.screens.restore_plan import RestorePlanScreen
from lee_console.ui.screens.timeline import TimelineScreen
from lee_console.ui.widgets.timeline import Timeline


def _rows(screen: DashboardScreen) -> dict[str, list[str]]:
    table: DataTable[str] = screen.query_one("#tables", DataTable)
    return {
        str(row.key.value): [str(cell) for cell in table.get_row(row.key)]
        for row in table.ordered_rows
    }


async def _open_timeline(pilot: object) -> TimelineScreen:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen.query(Timeline), what="the timeline")
    screen = pilot.app.screen
    assert isinstance(screen, TimelineScreen)
    return screen


@sync
async def test_dashboard_shows_a_row_per_table_with_health_in_words() -> None:
    app = make_app()
    async with app.run_test(size=LARGE) as pilot:
        screen = await dashboard_loaded(pilot)
        rows = _rows(screen)
        assert list(rows) == ["lee-devices", "lee-users", "lee-sessions", "lee-audit"]
        health = {name: cells[1] for name, cells in rows.items()}
        assert health == {
            "lee-devices": "ok",
            "lee-users": "ok",
            "lee-sessions": "~ no delprot",
            "lee-audit": "! PITR off",
        }
        assert rows["lee-audit"][2] == "PITR off"
        assert rows["lee-devices"][3] == "35.0d"
        assert rows["lee-devices"][2] == "01-10 11:47:00 → 11:47:00"  # latest: today, UTC
        text = screen_text(app)
        assert "SANDBOX" in text
        assert "account 123456789012" in text
        assert "refreshed 11:52:00Z" in text
        assert "4 of 4 tables" in text


@sync
async def test_enter_opens_the_timeline_and_escape_goes_back() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        timeline_screen = await _open_timeline(pilot)
        assert timeline_screen.table == "lee-devices"
        # The cursor starts one minute before the latest deployment, and the screen says so.
        assert timeline_screen.query_one(Timeline).cursor == ONE_MINUTE_BEFORE
        assert "1 min before the deployment lee-engine:43" in flat(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


@sync
async def test_help_lists_the_screens_keys_and_escape_closes_it() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query(Static).first().content)
        for key, description in [
            ("r", "Restore"),
            ("e", "Enable PITR"),
            ("b", "Backups"),
            ("enter", "Open"),
            ("q", "Quit"),
            ("/", "Filter"),
            ("space", "Mark"),
            ("?", "Help"),
        ]:
            assert re.search(rf"^ *{re.escape(key)}  {description}", help_text, re.M), key
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


@sync
async def test_help_on_the_timeline_lists_the_scrubber_keys() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        await _open_timeline(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query(Static).first().content)
        for key in ["r", "t", "escape", "left", "right", "[", "]", "z", "Z", "n", "p", "m"]:
            assert re.search(rf"^ *{re.escape(key)}  \w", help_text, re.M), key
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)


@sync
async def test_slash_filters_the_tables_and_escape_clears() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await dashboard_loaded(pilot)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"sess", "enter")
        await pilot.pause()
        assert list(_rows(screen)) == ["lee-sessions"]
        assert "1 of 4 tables matching 'sess'" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert len(_rows(screen)) == 4


@sync
async def test_space_marks_two_tables_and_r_plans_both_at_the_same_second() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await dashboard_loaded(pilot)
        await pilot.press("space", "down", "space")
        await pilot.pause()
        assert screen.marked == {"lee-devices", "lee-users"}
        assert _rows(screen)["lee-devices"][0] == "*lee-devices"
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RestorePlanScreen))
        plan = app.screen
        assert isinstance(plan, RestorePlanScreen)
        assert [s.table for s in plan.sources] == ["lee-devices", "lee-users"]
        requests = plan.requests()
        assert {r.restore_point for r in requests} == {LATEST}
        assert [r.target_table for r in requests] == [
            "lee-devices-restored-20250214T114700Z",
            "lee-users-restored-20250214T114700Z",
        ]


@sync
async def test_r_on_the_timeline_plans_the_cursors_second() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        timeline_screen = await _open_timeline(pilot)
        timeline = timeline_screen.query_one(Timeline)
        await pilot.press("end", "p")  # from the latest second to the previous marker
        await pilot.pause()
        assert timeline.cursor == BAD_DEPLOY
        await pilot.press("left")
        assert timeline.cursor == ONE_MINUTE_BEFORE
        await pilot.press("left", "right_square_bracket", "right", "r")  # -1 min, +5 min
        await wait_until(pilot, lambda: isinstance(app.screen, RestorePlanScreen))
        plan = app.screen
        assert isinstance(plan, RestorePlanScreen)
        (request,) = plan.requests()
        assert request.restore_point == ONE_MINUTE_BEFORE + timedelta(minutes=4)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is timeline_screen)
        await pilot.press("end", "p", "left_square_bracket", "left", "r")  # back to 1 min
        await wait_until(pilot, lambda: isinstance(app.screen, RestorePlanScreen))
        plan = app.screen
        assert isinstance(plan, RestorePlanScreen)
        assert plan.query_one("#point-input", Input).value == "2025-02-14T11:22:00Z"
        (request,) = plan.requests()
        assert request.restore_point == ONE_MINUTE_BEFORE
        assert request.target_table == "lee-devices-restored-20250214T112200Z"
        text = screen_text(app)
        assert "12:22:00 CET local" in text  # the app's zone, not the machine's
        assert "(12:22:00 CET local, 30 min ago)" in text


@sync
async def test_enable_pitr_asks_first_and_cancel_is_the_default() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        screen = await dashboard_loaded(pilot)
        await pilot.press("down", "down", "down", "e")
        await pilot.pause()
        assert "Enable point-in-time recovery on lee-audit" in screen_text(app)
        await pilot.press("enter")  # Cancel is focused
        await pilot.pause()
        assert app.screen is screen
        assert app.source.enabled == []  # type: ignore[attr-defined]
        await pilot.press("e", "tab", "enter")
        await wait_until(pilot, lambda: app.source.enabled == ["lee-audit"])  # type: ignore[attr-defined]


@sync
async def test_b_shows_the_tables_backups() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        await pilot.press("b")
        await wait_until(pilot, lambda: "7 backups" in screen_text(app), what="the backups")
        text = screen_text(app)
        assert "Backups of lee-devices" in text
        assert "USER  2025-02-14T03:00:00Z" in text  # newest first
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, RestorePlanScreen))
        (request,) = app.screen.requests()  # type: ignore[attr-defined]
        assert request.kind is RestoreKind.BACKUP
        assert request.backup_arn.endswith("/backup/20250214")
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)


async def _palette_prompts(pilot: object, key: str) -> list[str]:
    from textual.pilot import Pilot

    assert isinstance(pilot, Pilot)
    app = pilot.app
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
    options = app.screen.query_one(OptionList)
    await wait_until(pilot, lambda: options.option_count > 0, what="the palette's commands")
    await pilot.pause(0.1)
    prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    await pilot.press("escape")
    await pilot.pause()
    return prompts


@sync
async def test_the_command_palette_lists_the_screens_actions() -> None:
    app = make_app()
    async with app.run_test(size=LARGE) as pilot:
        await dashboard_loaded(pilot)
        for key in ("ctrl+p", "colon"):
            prompts = "\n".join(await _palette_prompts(pilot, key))
            actions = ["Restore", "Enable PITR", "Backups", "Mark", "Filter", "Refresh", "Help"]
            for action in actions:
                assert re.search(rf"^{action}\b", prompts, re.M), (key, action)
            assert isinstance(app.screen, DashboardScreen)
        await _open_timeline(pilot)
        prompts = "\n".join(await _palette_prompts(pilot, "colon"))
        for action in ["Restore", "Find good", "Type time", "Back", "Zoom in", "Next marker"]:
            assert re.search(rf"^{action}\b", prompts, re.M), action
