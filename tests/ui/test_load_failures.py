"""No screen waits without a deadline: a read that fails replaces "Reading..." with the reason
and the retry key, and one that does not answer says so after the timeout."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pytest
from sample_source import SMALL, SampleSource, make_app
from textual.pilot import Pilot
from textual.screen import Screen
from ui_helpers import dashboard_loaded, escape_to_dashboard, flat, screen_text, sync, wait_until

from lee_console.core.errors import AwsError, TableNotFound
from lee_console.core.views import BackupSummary, DashboardData, TimelineData
from lee_console.ui.screens.cutover import CutoverScreen
from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.screens.settings import SettingsScreen
from lee_console.ui.screens.verify import VerifyScreen

RESTORED = "lee-devices-restored-20250214T112200Z"
WHERE = "us-east-1 @ http://127.0.0.1:4566"
MISSING = (  # what aws/tables.py raises for a table that does not exist
    f"Table {RESTORED} does not exist in {WHERE}; `lee-console status` lists the tables there."
)
THROTTLED = "Could not read from AWS: Rate exceeded (ThrottlingException)."


@dataclass
class FailingSource(SampleSource):
    """The sample, with the calls named in ``fail`` raising their error and those in ``hang``
    waiting until ``unblock`` is set; ``calls`` counts every call."""

    fail: dict[str, Exception] = field(default_factory=dict)
    hang: set[str] = field(default_factory=set)
    unblock: threading.Event = field(default_factory=threading.Event)
    calls: dict[str, int] = field(default_factory=dict)

    def _call(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1
        if name in self.hang:
            self.unblock.wait(10)
        if name in self.fail:
            raise self.fail[name]

    def dashboard(
        self, tables: tuple[str, ...], now: datetime, on_table: Any = None
    ) -> DashboardData:
        self._call("dashboard")
        return super().dashboard(tables, now, on_table)

    def timeline(self, table: str, now: datetime) -> TimelineData:
        self._call("timeline")
        return super().timeline(table, now)

    def backups(self, table: str) -> list[BackupSummary]:
        self._call("backups")
        return super().backups(table)

    def drift(self, live: str, restored: str) -> Any:
        self._call("drift")
        raise AssertionError("the tests only fail or hang drift")

    def verify(self, restored: str, live: str | None) -> Any:
        self._call("verify")
        raise AssertionError("the tests only fail or hang verify")

    def plan_repoint(self, live: str, restored: str) -> Any:
        self._call("plan_repoint")
        raise AssertionError("the tests only fail or hang plan_repoint")


async def _text_shows(pilot: Pilot[Any], *parts: str, timeout: float = 5.0) -> str:
    app = pilot.app
    await wait_until(
        pilot, lambda: all(p in flat(screen_text(app)) for p in parts), timeout, str(parts)
    )
    return flat(screen_text(app))


def _push(screen: Callable[[], Screen[Any]]) -> Callable[[Pilot[Any]], Any]:
    async def open_it(pilot: Pilot[Any]) -> None:
        await dashboard_loaded(pilot)
        pilot.app.push_screen(screen())

    return open_it


async def _keys(pilot: Pilot[Any], *keys: str) -> None:
    await dashboard_loaded(pilot)
    await pilot.press(*keys)


# call, how the screen is opened, what it says while reading, its retry key
SCREENS: list[tuple[str, Callable[[Pilot[Any]], Any], str, str]] = [
    ("drift", _push(lambda: SettingsScreen("lee-devices", RESTORED)),
     "Reading both tables' settings", "ctrl+r re-reads"),
    ("verify", _push(lambda: VerifyScreen(RESTORED, "lee-devices")),
     f"Verifying {RESTORED} against lee-devices: scanning both tables", "ctrl+r verifies again"),
    ("timeline", lambda pilot: _keys(pilot, "enter"),
     "Loading the window, deployments and activity of lee-devices", "ctrl+r retries"),
    ("backups", lambda pilot: _keys(pilot, "b"), "Loading backups", "ctrl+r retries"),
    ("plan_repoint", lambda pilot: _push_and_press(pilot, CutoverScreen, "1"),
     "Finding references to lee-devices", "ctrl+r plans again"),
]  # fmt: skip
IDS = [call for call, *_ in SCREENS]


async def _push_and_press(pilot: Pilot[Any], kind: type[CutoverScreen], key: str) -> None:
    await _push(lambda: kind("lee-devices", RESTORED))(pilot)
    await pilot.pause()
    await pilot.press(key)


@sync
async def test_settings_of_a_missing_restored_table_fail_with_the_reason_within_a_second() -> None:
    source = FailingSource(fail={"drift": TableNotFound(MISSING)})
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        app.push_screen(SettingsScreen("lee-devices", RESTORED))
        text = await _text_shows(pilot, "does not exist", "ctrl+r re-reads", timeout=1.0)
        assert "Reading both tables' settings failed: " + MISSING in text
        assert "Reading both tables' settings..." not in text
        await pilot.press("ctrl+r")  # retries: reads again, and fails again, aloud
        await wait_until(pilot, lambda: source.calls["drift"] == 2, 1.0, "the retry")
        await _text_shows(pilot, "does not exist", "ctrl+r re-reads")
        await escape_to_dashboard(pilot, "the failed settings")


@sync
async def test_settings_that_do_not_answer_say_so_after_the_timeout() -> None:
    source = FailingSource(hang={"drift"})
    app = make_app(source)
    app.load_timeout_seconds = 1.5  # long enough to see the progress line on a loaded machine
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        app.push_screen(SettingsScreen("lee-devices", RESTORED))
        await _text_shows(pilot, "Reading both tables' settings...", timeout=1.4)
        text = await _text_shows(pilot, "still no answer after 1.5 s", "ctrl+r re-reads")
        assert "escape goes back" in text
        await escape_to_dashboard(pilot, "the hung settings")
        source.unblock.set()


@pytest.mark.parametrize(("call", "open_screen", "reading", "retry"), SCREENS, ids=IDS)
@sync
async def test_every_screen_read_fails_with_its_reason_and_the_retry_key(
    call: str, open_screen: Callable[[Pilot[Any]], Any], reading: str, retry: str
) -> None:
    source = FailingSource(fail={call: AwsError(THROTTLED)})
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(pilot)
        reason = "Rate exceeded (ThrottlingException)"  # the log wraps the rest of the line
        text = await _text_shows(pilot, f"{reading} failed: Could not read", reason, retry)
        assert f"{reading}..." not in text  # the failure replaced the progress line
        await pilot.press("ctrl+r")
        await wait_until(pilot, lambda: source.calls[call] == 2, 1.0, "the retry")
        await escape_to_dashboard(pilot, call)


@pytest.mark.parametrize(("call", "open_screen", "reading", "retry"), SCREENS, ids=IDS)
@sync
async def test_every_screen_read_that_does_not_answer_says_so(
    call: str, open_screen: Callable[[Pilot[Any]], Any], reading: str, retry: str
) -> None:
    source = FailingSource(hang={call})
    app = make_app(source)
    app.load_timeout_seconds = 0.2
    async with app.run_test(size=SMALL) as pilot:
        await open_screen(pilot)
        await _text_shows(pilot, f"{reading}: still no answer after 0.2 s", retry)
        await escape_to_dashboard(pilot, call)
        source.unblock.set()


@sync
async def test_a_dashboard_that_cannot_read_the_tables_says_why_and_r_says_so_too() -> None:
    source = FailingSource(fail={"dashboard": AwsError(THROTTLED)})
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await _text_shows(pilot, f"Loading tables failed: {THROTTLED}", "ctrl+r retries.")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert "The tables could not be read: ctrl+r retries." in [
            n.message for n in app._notifications
        ]
        del source.fail["dashboard"]
        await pilot.press("ctrl+r")
        await dashboard_loaded(pilot)
        assert "4 of 4 tables" in screen_text(app)


@sync
async def test_a_dashboard_that_does_not_answer_says_so() -> None:
    source = FailingSource(hang={"dashboard"})
    app = make_app(source)
    app.load_timeout_seconds = 0.2
    async with app.run_test(size=SMALL) as pilot:
        await _text_shows(pilot, "Loading tables: still no answer after 0.2 s", "ctrl+r retries.")
        source.unblock.set()
        await dashboard_loaded(pilot)  # the late answer is shown when it comes
