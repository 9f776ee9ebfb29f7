"""Helpers for the scenario tests that drive the console with Pilot (no async pytest plugin is
installed: each test runs under asyncio.run)."""

from __future__ import annotations

import asyncio
import functools
import sys
import time
from collections.abc import Callable, Coroutine
from datetime import UTC
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

from lee_console.aws.console_source import AwsConsoleSource
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.config import Config
from lee_console.core.runbook import Runbook, StepId, StepState
from lee_console.store.journal_file import Journal
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.screens.confirm import ConfirmScreen
from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.screens.runbook import RunbookScreen

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))  # tests/ui: ui_helpers
from ui_helpers import dashboard_loaded, flat, screen_text

__all__ = ["dashboard_loaded", "flat", "screen_text"]

SIZE = (120, 40)


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], object], what: str, timeout: float = 15.0
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await pilot.pause(0.02)


def make_app(url: str, journal: Journal) -> LeeConsoleApp:
    aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1", sandbox=True), journal)
    return LeeConsoleApp(AwsConsoleSource(aws), Config(), restore_poll_seconds=0.3, local_tz=UTC)


def book_of(journal: Journal) -> Runbook:
    return Runbook.from_events(journal.events())


def states(book: Runbook) -> dict[StepId, StepState]:
    return {step.id: step.state for step in book.steps}


async def select_step(pilot: Pilot[Any], runbook: RunbookScreen, step: StepId) -> None:
    """Highlight ``step`` with the arrow keys, then press enter on it."""
    steps = runbook.query_one(OptionList)
    assert runbook.book is not None
    wanted = [s.id for s in runbook.book.steps].index(step)
    await wait_for(pilot, lambda: steps.highlighted is not None, "a highlighted step")
    while steps.highlighted != wanted:
        assert steps.highlighted is not None
        await pilot.press("down" if steps.highlighted < wanted else "up")
    await pilot.press("enter")


async def confirm_modal(pilot: Pilot[Any], app: LeeConsoleApp) -> None:
    """A ConfirmScreen focuses Cancel: tab to the action, enter."""
    await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the confirmation")
    await pilot.press("tab", "enter")


async def open_runbook(pilot: Pilot[Any], app: LeeConsoleApp) -> RunbookScreen:
    """The runbook once a watched restore is done: it opens by itself, else escape back to the
    dashboard and press u."""
    await pilot.pause(0.2)
    if not isinstance(app.screen, RunbookScreen):
        while not isinstance(app.screen, DashboardScreen):
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("u")
    await wait_for(pilot, lambda: isinstance(app.screen, RunbookScreen), "the runbook")
    runbook = app.screen
    assert isinstance(runbook, RunbookScreen)
    await wait_for(pilot, lambda: runbook.book is not None, "the runbook's steps")
    return runbook
