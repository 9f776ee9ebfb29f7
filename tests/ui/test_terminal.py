"""Issue items 9 and 10: usable at 80x24 and with NO_COLOR; no key waits on the network."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sample_source import SMALL, SampleSource, SlowSource, make_app
from textual.pilot import Pilot
from ui_helpers import dashboard_loaded, screen_text, sync, wait_until

from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.screens.help import HelpScreen
from lee_console.ui.screens.timeline import TimelineScreen
from lee_console.ui.widgets.timeline import Timeline

LATENCY = 3.0
"""Seconds every source call takes: the network of `sandbox serve --latency-ms 3000`."""
AT_ONCE = 1.5
"""Seconds. A key that waited on a call could not answer this fast; the screen it opens must
also come up while the load it started is still in flight. (An idle machine answers in about
0.1 s; a CI runner shared with other jobs has taken 0.5 s.)"""


async def _responds(pilot: Pilot[Any], key: str, screen: type, what: str) -> None:
    started = time.monotonic()
    await pilot.press(key)
    await wait_until(pilot, lambda: type(pilot.app.screen) is screen, AT_ONCE, what)
    assert time.monotonic() - started < AT_ONCE


@sync
async def test_keys_do_not_wait_on_a_slow_network() -> None:
    """Every source call takes 3 s: help, escape, enter and escape answer at once while the
    data loads."""
    source = SlowSource(SampleSource(), seconds=LATENCY)
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        assert "Loading tables..." in screen_text(app)
        await _responds(pilot, "question_mark", HelpScreen, "help")
        await _responds(pilot, "escape", DashboardScreen, "the dashboard")
        assert "dashboard" in source.calls and "dashboard" not in source.finished
        assert dashboard.data is None  # all that happened while the first load was in flight
        await dashboard_loaded(pilot, timeout=LATENCY + 5)
        await _responds(pilot, "enter", TimelineScreen, "the timeline")
        timeline = app.screen
        assert isinstance(timeline, TimelineScreen)
        assert "Loading the window" in screen_text(app)
        await _responds(pilot, "question_mark", HelpScreen, "help over the timeline")
        await _responds(pilot, "escape", TimelineScreen, "the timeline")
        await _responds(pilot, "escape", DashboardScreen, "the dashboard")
        assert timeline.data is None and "timeline" not in source.finished


@sync
async def test_80x24_shows_the_essential_columns() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "TABLE" in line)
        for column in ["TABLE", "HEALTH", "WINDOW", "COVER", "ITEMS"]:
            assert column in header, column
        row = next(line for line in lines if "lee-devices" in line)
        # the whole row: name, health, earliest and latest second, coverage, items
        cells = ["lee-devices", "ok", "01-10", "11:47:00", "→", "11:47:00", "35.0d", "3,000"]
        assert row.split()[:8] == cells
        assert all(len(line) <= 80 for line in lines)
        footer = lines[-1]
        for key in ["Open", "r Restore", "e Enable PITR", "b Backups", "? Help", "q Quit"]:
            assert key in footer, key


@sync
async def test_no_color_still_shows_states_in_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(SampleSource(read_only=True))
    async with app.run_test(size=SMALL) as pilot:
        assert app.no_color
        await dashboard_loaded(pilot)
        text = screen_text(app)
        lines = [line for line in text.splitlines() if line.strip().startswith("lee-")]
        rows: dict[str, str] = {}
        for line in lines:  # the table's row, not the detail line under the table
            rows.setdefault(line.split()[0], line)
        assert "! PITR off" in rows["lee-audit"] and " PITR off " in rows["lee-audit"]
        assert "~ no delprot" in rows["lee-sessions"]
        assert " ok " in rows["lee-devices"]
        assert "SANDBOX" in text and "READ-ONLY" in text
        await pilot.press("enter")
        await wait_until(pilot, lambda: "UTC" in screen_text(app), what="the timeline")
        timeline_text = screen_text(app)
        assert "▲ 2025-02-14 11:22:00 UTC" in timeline_text  # the cursor, as text
        assert "D deployment lee-engine:43" in timeline_text or " D " in timeline_text


@sync
async def test_term_linux_draws_the_timeline_in_ascii(monkeypatch: pytest.MonkeyPatch) -> None:
    """The Linux console's font lacks the eighth blocks: with TERM=linux the scrubber is ASCII."""
    monkeypatch.setenv("TERM", "linux")
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.query(Timeline), what="the timeline")
        drawn = app.screen.query_one(Timeline).render().plain
        assert drawn.isascii(), sorted({c for c in drawn if not c.isascii()})
        assert "2025-02-14 11:22:00 UTC" in drawn and "D" in drawn
