"""Pilot tests and one SVG snapshot of the Timeline widget, on fixed synthetic data."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.message import Message
from textual.widgets import Footer

from lee_console.core.timeline import Marker, MarkerKind, Sample
from lee_console.ui.widgets.timeline import Timeline

NOW = datetime(2026, 11, 25, 2, 11, 5, tzinfo=UTC)
EARLIEST = NOW - timedelta(days=35)
LATEST = NOW - timedelta(minutes=5)
DEPLOY = NOW - timedelta(minutes=25)
CET = timezone(timedelta(hours=1), "CET")


def activity() -> list[Sample]:
    """One sample a minute for the last 2 days: ~10 WCU, five times more after the deployment."""
    out: list[Sample] = []
    at = NOW - timedelta(days=2)
    while at < NOW:
        out.append((at, (50.0 if at >= DEPLOY else 10.0) + (at.minute % 3)))
        at += timedelta(minutes=1)
    return out


class TimelineApp(App[None]):
    """A tiny host for the widget, recording the messages it posts."""

    def __init__(self, *, ascii_only: bool = False) -> None:
        super().__init__()
        self.ascii_only = ascii_only
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield Timeline(
            EARLIEST,
            LATEST,
            NOW,
            markers=[Marker(DEPLOY, MarkerKind.DEPLOYMENT, "lee-ingest:7")],
            activity=activity(),
            local_tz=CET,
            ascii_only=self.ascii_only,
            id="timeline",
        )
        yield Footer()

    def on_timeline_cursor_moved(self, message: Timeline.CursorMoved) -> None:
        self.messages.append(message)

    def on_timeline_refused(self, message: Timeline.Refused) -> None:
        self.messages.append(message)

    def on_timeline_time_requested(self, message: Timeline.TimeRequested) -> None:
        self.messages.append(message)

    def on_timeline_bookmark_added(self, message: Timeline.BookmarkAdded) -> None:
        self.messages.append(message)

    def on_timeline_bookmark_removed(self, message: Timeline.BookmarkRemoved) -> None:
        self.messages.append(message)

    @property
    def timeline(self) -> Timeline:
        return self.query_one(Timeline)

    def text(self) -> str:
        return self.timeline.render().plain

    def of_type(self, kind: type[Message]) -> list[Any]:
        return [m for m in self.messages if isinstance(m, kind)]


def sync(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an async Pilot test without an async pytest plugin (none is installed)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


@pytest.fixture
def app() -> TimelineApp:
    return TimelineApp()


@sync
async def test_starts_at_latest_and_shows_the_second_in_utc_local_and_relative(
    app: TimelineApp,
) -> None:
    async with app.run_test(size=(80, 24)):
        assert app.timeline.cursor == LATEST
        assert app.timeline.has_focus
        lines = app.text().splitlines()
        row = app.timeline.row
        assert len(lines) == 8  # one row of write activity: the host did not fit it
        assert all(len(line) <= 78 for line in lines)
        status = lines[row("status")]
        assert "2026-11-25 02:06:05 UTC  2026-11-25 03:06:05 CET  5 min ago  step 1 min" in status
        assert lines[row("band")].endswith("░")  # the lag band, even at 35 days across
        assert lines[row("markers")].rstrip().endswith("D")  # the deployment marker
        assert lines[row("labels")].rstrip().endswith("lee-ingest:7")  # and its name
        assert lines[row("activity0")][-1] == "█"  # the jump in write activity
        assert lines[row("ticks")].rstrip().endswith("▲")


@sync
async def test_left_right_move_by_the_step(app: TimelineApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("left", "left", "left", "right")
        assert app.timeline.cursor == LATEST - timedelta(minutes=2)
        assert "2026-11-25 02:04:05 UTC" in app.text()
        await pilot.pause()
        moved = app.of_type(Timeline.CursorMoved)
        assert [m.cursor for m in moved][-1] == LATEST - timedelta(minutes=2)


@sync
async def test_brackets_change_the_step(app: TimelineApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("left_square_bracket")
        assert "step 10 s" in app.text()
        await pilot.press("left_square_bracket", "left")
        assert "step 1 s" in app.text()
        assert app.timeline.cursor == LATEST - timedelta(seconds=1)
        await pilot.press(*["right_square_bracket"] * 6, "left")
        assert "step 6 h" in app.text()
        assert app.timeline.cursor == LATEST - timedelta(hours=6, seconds=1)


@sync
async def test_home_and_end(app: TimelineApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("home")
        assert app.timeline.cursor == EARLIEST
        assert "2026-10-21 02:11:05 UTC" in app.text()
        assert "35 d ago" in app.text()
        await pilot.press("end")
        assert app.timeline.cursor == LATEST


@sync
async def test_zoom_in_and_out(app: TimelineApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        assert "view 35 d" in app.text()
        await pilot.press("z")
        assert "view 1 d" in app.text()
        await pilot.press("z", "z")
        text = app.text()
        assert "view 10 min" in text
        band = text.splitlines()[1]
        assert band.count("░") == 39 and band.count("═") == 39  # 5 min lag in 10 min
        await pilot.press("Z")
        assert "view 1 h" in app.text()
        assert app.timeline.cursor == LATEST


@sync
async def test_n_and_p_land_on_the_deployment(app: TimelineApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        assert app.timeline.cursor == DEPLOY
        assert "D deployment lee-ingest:7 at 2026-11-25 01:46:05 UTC" in app.text()
        await pilot.press("home", "n")
        assert app.timeline.cursor == DEPLOY


@sync
async def test_right_at_end_is_refused_and_the_cursor_stays(app: TimelineApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end", "right")
        await pilot.pause()
        assert app.timeline.cursor == LATEST
        (refused,) = app.of_type(Timeline.Refused)
        assert refused.reason.startswith(
            "The cursor stops at the latest restorable time 2026-11-25 02:06:05 UTC"
        )
        assert "LatestRestorableDateTime" in refused.reason
        assert refused.control is app.timeline
        assert app.of_type(Timeline.CursorMoved) == []


@sync
async def test_one_minute_before_the_deployment_in_two_keys(app: TimelineApp) -> None:
    keys = ["p", "left"]  # from the latest time: previous marker, then one 1-minute step back
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("end", *keys)
        assert app.timeline.cursor == DEPLOY - timedelta(minutes=1)
        assert "2026-11-25 01:45:05 UTC" in app.text()
    assert len(keys) == 2


@sync
async def test_an_exact_second_is_a_few_keys_away(app: TimelineApp) -> None:
    # 01:45:53, twelve seconds before the deployment: p, then [ to 10 s, left x1, [ to 1 s, left x2
    keys = ["p", "left_square_bracket", "left", "left_square_bracket", "left", "left"]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        assert app.timeline.cursor == DEPLOY - timedelta(seconds=12)
        assert "2026-11-25 01:45:53 UTC" in app.text()


@sync
async def test_t_requests_a_time_and_set_cursor_checks_the_window(app: TimelineApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert len(app.of_type(Timeline.TimeRequested)) == 1
        assert app.timeline.set_cursor(DEPLOY - timedelta(seconds=1)) is None
        assert app.timeline.cursor == DEPLOY - timedelta(seconds=1)
        reason = app.timeline.set_cursor(NOW)
        assert reason is not None
        assert "2026-10-21 02:11:05 UTC to 2026-11-25 02:06:05 UTC" in reason
        assert app.timeline.cursor == DEPLOY - timedelta(seconds=1)


@sync
async def test_m_toggles_a_bookmark(app: TimelineApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("home", "z", "m")
        await pilot.pause()
        (added,) = app.of_type(Timeline.BookmarkAdded)
        assert added.at == EARLIEST
        assert app.text().splitlines()[2][0] == "*"
        await pilot.press("end", "p")
        assert app.timeline.cursor == DEPLOY
        await pilot.press("p")
        assert app.timeline.cursor == EARLIEST
        assert [b.at for b in app.timeline.bookmarks] == [EARLIEST]
        await pilot.press("m")
        await pilot.pause()
        assert len(app.of_type(Timeline.BookmarkRemoved)) == 1
        assert app.timeline.bookmarks == ()
        assert app.text().splitlines()[2].strip() == ""


@sync
async def test_update_window_keeps_the_cursor(app: TimelineApp) -> None:
    async with app.run_test(size=(80, 24)):
        later = timedelta(minutes=3)
        assert app.timeline.update_window(EARLIEST + later, LATEST + later, NOW + later) is None
        assert app.timeline.cursor == LATEST
        assert "8 min ago" in app.text()
        app.timeline.set_markers([], keep_bookmarks=False)
        app.timeline.set_activity([])
        assert app.text().splitlines()[0].strip() == ""


@sync
async def test_redraws_on_resize(app: TimelineApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        assert len(app.text().splitlines()[1]) == 118


@sync
async def test_ascii_only_draws_no_exotic_glyphs() -> None:
    app = TimelineApp(ascii_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("z", "z", "z")
        text = app.text()
        assert text.isascii()
        band = text.splitlines()[1]
        assert set(band) == {"=", "~"}
        assert "^ 2026-11-25 02:06:05 UTC" in text


def test_bindings_have_ids_and_descriptions() -> None:
    keys = {b.key: b for b in Timeline.BINDINGS if not isinstance(b, tuple)}
    expected = {
        "left", "right", "left_square_bracket", "right_square_bracket", "home", "end",
        "z", "Z", "t", "m", "n", "p",
    }  # fmt: skip
    assert set(keys) == expected
    for binding in keys.values():
        assert binding.id and binding.id.startswith("timeline.")
        assert binding.description and binding.tooltip


def test_snapshot(snap_compare: Callable[..., bool]) -> None:
    assert snap_compare(TimelineApp(), press=["p", "z", "z"], terminal_size=(80, 24))
