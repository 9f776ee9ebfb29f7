"""Small helpers for Pilot tests without an async pytest plugin (none is installed)."""

from __future__ import annotations

import asyncio
import functools
import re
import time
from collections.abc import Callable, Coroutine
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable

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
