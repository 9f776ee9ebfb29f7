"""The first frame comes before the AWS session exists (ui/connecting.py): the dashboard is
drawn with what the settings say, its rows come once the session is built, and AWS trouble said
while connecting still reaches the operator."""

from __future__ import annotations

import threading

from sample_source import SMALL, SampleSource, make_app
from ui_helpers import dashboard_loaded, screen_text, sync, wait_until

from lee_console.aws.connection import ConnectionSettings
from lee_console.core.errors import InvalidInput
from lee_console.core.views import Identity
from lee_console.ui.connecting import ConnectingSource
from lee_console.ui.screens.dashboard import DashboardScreen


def connecting(gate: threading.Event, real: SampleSource) -> ConnectingSource:
    def connect() -> SampleSource:
        assert gate.wait(10), "the test never let the session be built"
        return real

    settings = ConnectionSettings(profile="ops", region=None)
    return ConnectingSource(
        connect,
        read_only=False,
        is_sandbox=False,
        journal=None,
        where=settings.where_before_connecting(),
    )


@sync
async def test_the_dashboard_is_drawn_before_the_session_and_filled_once_connected() -> None:
    gate = threading.Event()
    real = SampleSource(where="eu-west-1 @ dynamodb.eu-west-1.amazonaws.com")
    app = make_app(connecting(gate, real))
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: "Loading tables..." in screen_text(app))
        text = screen_text(app)
        assert isinstance(app.screen, DashboardScreen) and app.screen.data is None
        assert "lee-console" in text and "region of profile ops (reading it...)" in text
        assert "lee-devices" not in text
        gate.set()
        await dashboard_loaded(pilot)
        await wait_until(pilot, lambda: "eu-west-1 @ dynamodb" in screen_text(app))
        assert "lee-devices" in screen_text(app)
        assert "reading it" not in screen_text(app)


@sync
async def test_the_region_is_shown_once_connected_even_if_the_caller_cannot_be_read() -> None:
    class NoIdentity(SampleSource):
        def identity(self) -> Identity:
            raise InvalidInput("AccessDenied on sts:GetCallerIdentity")

    gate = threading.Event()
    gate.set()
    app = make_app(connecting(gate, NoIdentity(where="eu-west-1 @ dynamodb.eu-west-1.aws")))
    async with app.run_test(size=SMALL) as pilot:
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        await wait_until(pilot, lambda: dashboard.data is not None)
        await wait_until(pilot, lambda: "AccessDenied" in screen_text(app))
        assert "eu-west-1 @ dynamodb" in screen_text(app)


@sync
async def test_trouble_watched_before_connecting_is_said_once_connected() -> None:
    gate = threading.Event()
    real = SampleSource()
    app = make_app(connecting(gate, real))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert real.trouble_listeners == []  # the app watched the connecting source
        gate.set()
        await dashboard_loaded(pilot)
        assert len(real.trouble_listeners) == 1
        real.trouble_listeners[0]("AWS is throttling; trying again")
        await wait_until(
            pilot, lambda: any("throttling" in str(n.message) for n in app._notifications)
        )


def test_a_failed_connection_is_raised_by_every_call_and_kept() -> None:
    calls = 0

    def connect() -> SampleSource:
        nonlocal calls
        calls += 1
        raise PermissionError("no credentials")

    told: list[BaseException] = []
    source = ConnectingSource(
        connect, read_only=True, is_sandbox=False, journal=None, where="x", on_failure=told.append
    )
    for _ in range(2):
        try:
            source.identity()
        except PermissionError as error:
            assert str(error) == "no credentials"
        else:
            raise AssertionError("identity() did not raise")
    assert calls == 1 and len(told) == 1 and isinstance(source.failure, PermissionError)
    assert source.read_only and source.where == "x"  # the settings' answers need no session
