"""Small helpers for Pilot tests without an async pytest plugin (none is installed)."""

from __future__ import annotations

import asyncio
import functools
import itertools
import re
import time
from collections.abc import Callable, Coroutine
from typing import Any

from textual import events
from textual.app import App
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer

from lee_console.ui.screens.dashboard import DashboardScreen


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test with asyncio.run."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], object], timeout: float = 10.0, what: str = ""
) -> None:
    """Let the app run until ``condition()`` is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or condition}")
        await pilot.pause(0.01)


async def dashboard_loaded(pilot: Pilot[Any], timeout: float = 10.0) -> DashboardScreen:
    """Wait for the dashboard's rows and the header's identity."""
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)

    def ready() -> bool:
        header = screen.query_one("ConsoleHeader")
        return (
            screen.data is not None
            and screen.query_one("#tables", DataTable).row_count > 0
            and "account" in str(getattr(header, "identity", ""))
        )

    await wait_until(pilot, ready, timeout, "the dashboard to load")
    await pilot.pause()
    return screen


def screen_text(app: App[Any]) -> str:
    """What the terminal shows of the top screen, as plain text (one line per row)."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text.rstrip() for strip in strips)


def flat(text: str) -> str:
    """Screen text with borders and line breaks gone, for sentences that wrap."""
    return re.sub(r"[\s│┃▏▎▍▌▋▊▉]+", " ", text)


async def burst(pilot: Pilot[Any], *keys: str, gap: float = 0.005) -> None:
    """Send ``keys`` as a laggy SSH link delivers them: ``gap`` seconds apart, without waiting
    for the app to handle one before the next (``pilot.press`` waits for idle after each)."""
    app = pilot.app
    assert app._driver is not None
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
        await asyncio.sleep(gap)


def stack_names(app: App[Any]) -> list[str]:
    return [type(screen).__name__ for screen in app.screen_stack]


def assert_sane_stack(app: App[Any], after: str) -> None:
    """The console's dashboard is the first screen, the top one is the console's (not a blank
    default Screen), the top full screen has a footer, and no screen class is stacked on
    itself."""
    stack = app.screen_stack
    names = stack_names(app)
    assert len(stack) >= 2 and isinstance(stack[1], DashboardScreen), (after, names)
    assert type(stack[-1]) is not Screen, (after, names)
    full = [screen for screen in stack[1:] if not isinstance(screen, ModalScreen)]
    assert full and full[-1].query(Footer), (after, names)
    for below, above in itertools.pairwise(stack):
        assert type(below) is not type(above), (after, names)


async def escape_to_dashboard(pilot: Pilot[Any], after: str, tries: int = 8) -> None:
    """Escape, one press at a time, until the dashboard is on top: it must be within ``tries``."""
    app = pilot.app
    for _ in range(tries):
        if isinstance(app.screen, DashboardScreen):
            return
        await pilot.press("escape")
        await pilot.pause(0.05)
    assert isinstance(app.screen, DashboardScreen), (after, stack_names(app))
