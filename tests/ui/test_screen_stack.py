"""Screens on the stack: each one opaque (the one beneath never shows through), one copy of a
screen (a key that opens a screen already open goes back to it), and `q` with restores running
says that they go on in AWS and that a relaunch reattaches."""

from __future__ import annotations

from typing import Any

from sample_source import SMALL, SampleSource, make_app
from textual.pilot import Pilot
from ui_helpers import dashboard_loaded, screen_text, sync, wait_until

from lee_console.ui.quitting import QuitScreen
from lee_console.ui.screens.restore_plan import RestorePlanScreen
from lee_console.ui.screens.restore_progress import RestoreProgressScreen
from lee_console.ui.screens.runbook import RunbookScreen
from lee_console.ui.screens.timeline import TimelineScreen
from lee_console.ui.widgets.timeline import Timeline

TARGET = "lee-devices-restored-20250214T112200Z"


def _on_stack(app: Any, kind: type) -> list[Any]:
    return [screen for screen in app.screen_stack if isinstance(screen, kind)]


@sync
async def test_every_screen_is_opaque() -> None:
    """A console screen painted nothing where it had no widget, and the screen beneath showed
    through there (the runbook's text under the timeline)."""
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        assert app.screen.styles.background.a == 1
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, RunbookScreen))
        assert app.screen.styles.background.a == 1
        await pilot.press("enter")  # choose the restore point: the timeline
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        assert app.screen.styles.background.a == 1
        assert app._background_screens == [_on_stack(app, RunbookScreen)[0]]
        assert "What: Pick the second" not in screen_text(app)


@sync
async def test_a_second_u_goes_back_to_the_runbook_already_open() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, RunbookScreen))
        runbook = app.screen
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        await pilot.press("u")
        await wait_until(pilot, lambda: app.screen is runbook)
        assert len(_on_stack(app, RunbookScreen)) == 1
        assert not _on_stack(app, TimelineScreen)  # it was above the runbook: closed
        await pilot.press("u")  # on the runbook itself: nothing changes
        await pilot.pause()
        assert app.screen is runbook and len(_on_stack(app, RunbookScreen)) == 1


async def _restore_running(pilot: Pilot[Any]) -> None:
    await dashboard_loaded(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen.query(Timeline), what="the timeline")
    await pilot.press("r")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RestorePlanScreen))
    await pilot.press("tab", "enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RestoreProgressScreen))


@sync
async def test_q_with_a_restore_running_says_it_goes_on_and_a_relaunch_reattaches() -> None:
    app = make_app(SampleSource(restore_polls=None))
    messages: list[object] = []
    leave = app.exit
    app.exit = lambda *args, **kwargs: (messages.append(kwargs.get("message")), leave())[1]  # type: ignore[method-assign]
    async with app.run_test(size=SMALL) as pilot:
        await _restore_running(pilot)
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, QuitScreen))
        question = " ".join(screen_text(app).split())
        assert f"lee-devices -> {TARGET}" in question
        assert "go on in AWS" in question and "reattach" in question
        await pilot.press("escape")  # Cancel: the console stays
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, RestoreProgressScreen)
        await pilot.press("q")
        await wait_until(pilot, lambda: isinstance(app.screen, QuitScreen))
        await pilot.press("q")  # q again quits
        await wait_until(pilot, lambda: not app.is_running)
    said = " ".join(str(message) for message in messages)
    assert f"1 restore(s) go on in AWS: lee-devices -> {TARGET}" in said
    assert "Launch lee-console again to reattach" in said


@sync
async def test_q_with_nothing_running_quits_at_once() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running)
