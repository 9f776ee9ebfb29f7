"""Keys in a burst, as a laggy SSH link delivers them: every path ends on a screen with a
footer, never on Textual's blank default screen, and escape leads back to the dashboard.

Before the fix, `r enter tab enter` 5 ms apart queued two button presses on the restore plan
(Cancel, then Restore); the second dismissed the plan again, and Textual's dismiss popped the
dashboard beneath it."""

from __future__ import annotations

from typing import Any

import pytest
from sample_source import SMALL, SampleSource, SlowSource, make_app
from textual.pilot import Pilot
from textual.worker import WorkerState
from ui_helpers import (
    assert_sane_stack,
    burst,
    dashboard_loaded,
    escape_to_dashboard,
    screen_text,
    sync,
    wait_until,
)

from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.screens.timeline import TimelineScreen
from lee_console.ui.widgets.timeline import Timeline

DASHBOARD_BURSTS: list[tuple[str, ...]] = [
    ("r", "enter", "tab", "enter"),
    ("enter", "r", "tab", "enter", "escape", "escape"),
    ("u", "escape", "u", "escape"),
    ("b", "escape"),
    ("question_mark", "escape"),
    ("enter", "enter", "enter"),
    ("r", "r", "enter", "enter"),
    ("b", "b", "r", "enter", "tab", "enter", "escape", "escape"),
    ("down", "down", "down", "e", "enter", "e", "tab", "enter"),
    ("u", "u", "enter", "escape", "escape"),
    ("question_mark", "question_mark", "escape", "escape"),
]
TIMELINE_BURSTS: list[tuple[str, ...]] = [
    ("r", "tab", "enter", "escape", "escape"),
    ("r", "enter", "tab", "enter"),
    ("left", "right", "left_square_bracket", "z", "Z", "home", "end", "p", "r", "escape"),
    ("t", "escape", "g", "escape", "question_mark", "escape"),
    ("ctrl+r", "ctrl+r", "r", "r", "escape"),
    ("escape", "enter", "escape", "enter"),
]

Press = Any  # burst(pilot, *keys) or pilot.press(*keys)


async def _settle(pilot: Pilot[Any], seconds: float = 0.3) -> None:
    """Let queued keys, pushes and reads finish (the runbook polls its journal: not waited)."""
    app = pilot.app

    def idle() -> bool:
        busy = (WorkerState.PENDING, WorkerState.RUNNING)
        return not any(w.state in busy and w.group != "runbook" for w in app.workers)

    await pilot.pause(seconds)
    await wait_until(pilot, idle, timeout=10, what="the reads to finish")
    await pilot.pause(0.05)


async def _press(pilot: Pilot[Any], keys: tuple[str, ...], gap: float | None) -> None:
    if gap is None:
        await pilot.press(*keys)
    else:
        await burst(pilot, *keys, gap=gap)


async def _timeline(pilot: Pilot[Any]) -> None:
    await escape_to_dashboard(pilot, "before the timeline")
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen.query(Timeline), what="the timeline")


@pytest.mark.parametrize("gap", [None, 0.0, 0.005], ids=["pilot", "0ms", "5ms"])
@sync
async def test_bursts_of_dashboard_keys_leave_a_sane_stack(gap: float | None) -> None:
    app = make_app(SampleSource())
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        for keys in DASHBOARD_BURSTS:
            await _press(pilot, keys, gap)
            await _settle(pilot)
            assert_sane_stack(app, " ".join(keys))
            await escape_to_dashboard(pilot, " ".join(keys))
            assert "lee-console" in screen_text(app)  # the header is drawn again


@pytest.mark.parametrize("gap", [None, 0.0, 0.005], ids=["pilot", "0ms", "5ms"])
@sync
async def test_bursts_of_timeline_keys_leave_a_sane_stack(gap: float | None) -> None:
    app = make_app(SampleSource())
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        for keys in TIMELINE_BURSTS:
            await _timeline(pilot)
            await _press(pilot, keys, gap)
            await _settle(pilot)
            assert_sane_stack(app, "timeline: " + " ".join(keys))
            await escape_to_dashboard(pilot, "timeline: " + " ".join(keys))


@pytest.mark.parametrize("keys", DASHBOARD_BURSTS[:5], ids=" ".join)
@sync
async def test_bursts_while_a_slow_source_is_still_loading(keys: tuple[str, ...]) -> None:
    """The keys arrive before the rows (and again before a timeline's window)."""
    app = make_app(SlowSource(SampleSource(), 0.15))
    async with app.run_test(size=SMALL) as pilot:
        await burst(pilot, *keys)  # the dashboard has no rows yet
        await _settle(pilot)
        assert_sane_stack(app, "before the rows: " + " ".join(keys))
        await escape_to_dashboard(pilot, "before the rows: " + " ".join(keys))
        await dashboard_loaded(pilot)
        await burst(pilot, "enter", *keys)  # the timeline's window is still being read
        await _settle(pilot)
        assert_sane_stack(app, "before the window: " + " ".join(keys))
        await escape_to_dashboard(pilot, "before the window: " + " ".join(keys))


@sync
async def test_r_before_the_rows_says_they_are_loading() -> None:
    app = make_app(SlowSource(SampleSource(), 2.0))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("r", "b", "space")
        await pilot.pause(0.05)
        assert isinstance(app.screen, DashboardScreen)
        messages = [n.message for n in app._notifications]
        assert messages.count("The tables are still loading: wait for the rows.") == 3


@sync
async def test_the_same_screen_is_never_pushed_twice_and_escape_never_pops_the_dashboard() -> None:
    app = make_app(SampleSource())
    async with app.run_test(size=SMALL) as pilot:
        screen = await dashboard_loaded(pilot)
        app.push_screen(TimelineScreen("lee-devices"))
        app.push_screen(TimelineScreen("lee-devices"))
        await pilot.pause()
        assert [type(s) for s in app.screen_stack[1:]] == [DashboardScreen, TimelineScreen]
        app.pop_screen()
        app.pop_screen()  # the dashboard stays
        await pilot.pause()
        assert app.screen is screen
