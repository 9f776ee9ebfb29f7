"""Pilot tests of the restore plan, the progress screen, the app's restore tracker, and
--read-only, on sample data."""

from __future__ import annotations

from typing import Any

from sample_source import (
    LATEST,
    ONE_MINUTE_BEFORE,
    SMALL,
    FixedClock,
    SampleSource,
    make_app,
)
from textual.pilot import Pilot
from textual.widgets import Button, Static
from ui_helpers import dashboard_loaded, flat, screen_text, sync, wait_until

from lee_console.core.estimate import DurationEstimate
from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.screens.help import HelpScreen
from lee_console.ui.screens.restore_plan import PlanSource, RestorePlanScreen
from lee_console.ui.screens.restore_progress import RestoreProgressScreen
from lee_console.ui.screens.runbook import RunbookScreen
from lee_console.ui.screens.timeline import TimelineScreen
from lee_console.ui.widgets.timeline import Timeline

TARGET = "lee-devices-restored-20250214T112200Z"


async def _plan_one_minute_before_deploy(pilot: Pilot[Any]) -> RestorePlanScreen:
    """dashboard -> enter (the cursor starts 1 min before the deployment) -> r"""
    await dashboard_loaded(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen.query(Timeline), what="the timeline")
    await pilot.press("r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RestorePlanScreen))
    plan = pilot.app.screen
    assert isinstance(plan, RestorePlanScreen)
    return plan


@sync
async def test_plan_focuses_cancel_and_escape_returns_none() -> None:
    app = make_app()
    results: list[object] = []
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        sources = [PlanSource("lee-devices", 500 * 1024 * 1024, LATEST, LATEST)]
        estimates = {"lee-devices": DurationEstimate(2100, "test")}
        plan = RestorePlanScreen(sources, LATEST, LATEST, estimates)
        await app.push_screen(plan, results.append)
        await pilot.pause()
        focused = app.focused
        assert isinstance(focused, Button) and focused.id == "cancel"
        assert str(focused.label) == "Cancel"
        await pilot.press("escape")
        await pilot.pause()
        assert results == [None]
        assert isinstance(app.screen, DashboardScreen)


@sync
async def test_plan_shows_cost_estimate_what_is_not_carried_over_and_the_aws_command() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        plan = await _plan_one_minute_before_deploy(pilot)
        text = screen_text(app)
        assert "restore to 2025-02-14T11:22:00Z (12:22:00 CET local, 30 min ago)" in text
        assert "$0.0732 at $0.15/GB" in text
        assert "about 35 min" in text
        assert "Not carried over" in text and "TTL settings" in text
        assert "aws dynamodb restore-table-to-point-in-time" in text
        command = str(plan.query_one("#plan-command", Static).content)
        assert "--restore-date-time 2025-02-14T11:22:00Z" in flat(command)
        await pilot.press("enter")  # on Cancel: nothing starts
        await pilot.pause()
        assert not plan.is_attached
        assert isinstance(app.screen, TimelineScreen)
        assert app.source.started == []  # type: ignore[attr-defined]


@sync
async def test_confirming_starts_the_restore_and_progress_shows_elapsed_estimate_status() -> None:
    clock = FixedClock()
    app = make_app(SampleSource(restore_polls=3), clock=clock)
    async with app.run_test(size=(120, 40)) as pilot:
        await _plan_one_minute_before_deploy(pilot)
        await pilot.press("tab")
        focused = app.focused
        assert isinstance(focused, Button) and focused.id == "confirm"
        await pilot.press("enter")
        await wait_until(pilot, lambda: TARGET in app.restores.restores)
        (request,) = app.source.started  # type: ignore[attr-defined]
        assert request.source_table == "lee-devices"
        assert request.target_table == TARGET
        assert request.restore_point == ONE_MINUTE_BEFORE
        tracked = app.restores.restores[TARGET]
        await wait_until(pilot, lambda: tracked.done, what="the restore to finish")
        # A watched restore that completes hands over to the runbook (verify comes next);
        # escape goes back to its progress screen.
        await wait_until(pilot, lambda: isinstance(app.screen, RunbookScreen))
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, RestoreProgressScreen))
        clock.advance(83)
        app.screen.render_summary()  # type: ignore[attr-defined]
        await pilot.pause()
        text = screen_text(app)
        assert f"lee-devices -> {TARGET}" in text
        assert "restore point  2025-02-14T11:22:00Z (12:22:00 CET local" in text
        assert "elapsed        00:00" in text  # finished before the clock moved
        assert "estimate about 35 min" in text
        assert "status         DONE: ACTIVE, 3,000 items" in text
        assert "does not stop the restore" in text
        assert "status CREATING -> ACTIVE" in text
        assert "restore complete: ACTIVE, 3,000 items" in text
        assert "$ aws dynamodb restore-table-to-point-in-time" in text
        polls = [line for line in tracked.log if "poll: DescribeTable" in line]
        assert len(polls) == 4  # three CREATING, one ACTIVE


@sync
async def test_leaving_the_progress_screen_keeps_the_restore_tracked() -> None:
    source = SampleSource(restore_polls=None)  # CREATING until released
    clock = FixedClock()
    app = make_app(source, clock=clock)
    async with app.run_test(size=SMALL) as pilot:
        await _plan_one_minute_before_deploy(pilot)
        await pilot.press("tab", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RestoreProgressScreen))
        tracked = app.restores.restores[TARGET]
        await wait_until(pilot, lambda: tracked.status == "CREATING")
        clock.advance(65)
        await wait_until(pilot, lambda: "elapsed        01:05" in screen_text(app))
        assert "CREATING, restore in progress" in screen_text(app)
        await pilot.press("escape", "escape")
        await pilot.pause()
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        assert TARGET in app.restores.restores and tracked.in_progress and not tracked.done
        # The dashboard shows the target as a row of its own; enter reattaches the screen.
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: "~ restoring" in screen_text(app), what="the row")
        await pilot.press("down")  # the second row: the restore, beneath lee-devices
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RestoreProgressScreen))
        assert "elapsed        01:05" in screen_text(app)
        source.release.set()
        await wait_until(pilot, lambda: tracked.done, what="the restore to finish")
        assert tracked.item_count == 3000


@sync
async def test_read_only_shows_a_banner_and_offers_no_mutating_action() -> None:
    source = SampleSource(read_only=True)
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        text = screen_text(app)
        assert "READ-ONLY" in text
        footer = text.splitlines()[-1]
        assert "Backups" in footer
        assert "Restore" not in footer and "Enable PITR" not in footer
        await pilot.press("r", "e")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = screen_text(app)
        assert "Backups" in help_text
        assert "Restore" not in help_text and "Enable PITR" not in help_text
        await pilot.press("escape", "enter")
        await wait_until(pilot, lambda: app.screen.query(Timeline), what="the timeline")
        await pilot.press("r", "g")
        await pilot.pause()
        assert isinstance(app.screen, TimelineScreen)
        footer = screen_text(app).splitlines()[-1]
        assert "Restore" not in footer and "Find good" not in footer
        await pilot.press("escape", "b")
        await wait_until(pilot, lambda: "7 backups" in screen_text(app), what="the backups")
        assert "Restore backup" not in screen_text(app)
        assert "Create backup" not in screen_text(app)
        await pilot.press("r", "c", "enter")
        await pilot.pause()
        assert source.started == [] and source.enabled == []
