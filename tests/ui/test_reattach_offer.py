"""The relaunch's offer of restores still in progress keeps saying what is true while it is
open: a restore that finishes meanwhile is shown done, and the count goes down."""

from __future__ import annotations

from datetime import UTC, datetime

from sample_source import ONE_MINUTE_BEFORE, SMALL, make_app
from ui_helpers import dashboard_loaded, flat, screen_text, sync, wait_until

from lee_console.core.inflight import InFlightRestore
from lee_console.core.restore import RestoreKind, RestoreRequest
from lee_console.ui.restores import TrackedRestore
from lee_console.ui.screens.reattach import ReattachScreen


@sync
async def test_a_restore_that_finishes_while_offered_is_shown_done() -> None:
    app = make_app()
    target = "lee-devices-restored-20250214T112200Z"
    request = RestoreRequest(RestoreKind.POINT_IN_TIME, "lee-devices", target, ONE_MINUTE_BEFORE)
    started = datetime(2025, 2, 14, 11, 52, tzinfo=UTC)
    tracked = TrackedRestore(request, started)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        offer = [InFlightRestore(request, started, "journal")]
        app.push_screen(ReattachScreen(offer, app.now, {target: tracked}.get))
        await wait_until(pilot, lambda: isinstance(app.screen, ReattachScreen))
        await pilot.pause()
        assert "1 restore(s) still in progress. Enter watches one" in flat(screen_text(app))
        tracked.status, tracked.finished_at = "ACTIVE", app.now()  # the console's poll saw it
        await wait_until(
            pilot,
            lambda: "0 restore(s) still in progress; 1 finished since" in flat(screen_text(app)),
        )
        assert f"lee-devices -> {target}, started 11:52:00Z: done, ACTIVE" in flat(screen_text(app))
