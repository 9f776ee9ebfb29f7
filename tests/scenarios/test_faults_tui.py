"""The console under each fault the sandbox injects, by keys (Pilot, the real AWS source): the
trouble is told as a notification while it happens, keys keep answering, short faults are
carried by botocore's retries, a failed read says why and ctrl+r retries it once AWS is back,
and expired credentials say how to renew them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from scenario_helpers import Sandbox, set_faults
from textual.widgets import DataTable, Static
from tui_helpers import SIZE, dashboard_loaded, make_app, sync, wait_for

from lee_console.store.journal_file import Journal
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.screens.help import HelpScreen


def _told(app: LeeConsoleApp) -> list[str]:
    return [n.message for n in app._notifications]


def _status(screen: DashboardScreen) -> str:
    return str(screen.query_one("#dashboard-status", Static).render())


async def _reload_with(pilot: Any, app: LeeConsoleApp, url: str, spec: str, told: str) -> None:
    """Set the faults, reload the dashboard, wait until ``told`` is notified and rows are back."""
    set_faults(url, spec)
    await pilot.press("ctrl+r")
    await wait_for(pilot, lambda: any(told in m for m in _told(app)), repr(told), timeout=30)
    set_faults(url, "")
    screen = app.screen
    assert isinstance(screen, DashboardScreen)
    await wait_for(pilot, lambda: screen.reads.worker is None, "the reload to end", timeout=30)
    assert screen.query_one("#tables", DataTable).row_count > 0
    assert screen.reads.failure is None, screen.reads.failure


@sync
async def test_the_console_under_each_fault(bad_deployment_faults: Sandbox, tmp_path: Path) -> None:
    url = bad_deployment_faults.url
    set_faults(url, "latency,ms=1500")  # every answer 1.5 s late: keys still answer at once
    app = make_app(url, Journal(tmp_path / "lee-state" / "journals", "faults-tui"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help while loading")
        await pilot.press("escape")
        set_faults(url, "")
        dashboard = await dashboard_loaded(pilot, timeout=60)

        throttled = "AWS is throttling DescribeContinuousBackups, retry 1 of 5."
        await _reload_with(pilot, app, url, "throttle@DescribeContinuousBackups,count=2",
                           throttled)  # fmt: skip
        await _reload_with(pilot, app, url, "5xx@ListTables,count=1",
                           "AWS answered ListTables with a server error")  # fmt: skip
        await _reload_with(pilot, app, url, "drop@ListTables,count=1",
                           "No answer from AWS for ListTables (ConnectionClosedError)")  # fmt: skip
        await _reload_with(pilot, app, url, "down,count=3",
                           "No answer from AWS for ListTables")  # fmt: skip
        assert any("answered again after" in m for m in _told(app))

        # Expired credentials: the read fails and says how to renew; renewed, ctrl+r reads.
        set_faults(url, "expired")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: dashboard.reads.failure is not None, "the failure")
        assert "credentials have expired; renew them (`aws sso login`" in _status(dashboard)
        assert "ctrl+r retries" in _status(dashboard)
        set_faults(url, "")
        await pilot.press("ctrl+r")
        await wait_for(pilot, lambda: dashboard.reads.failure is None, "the rows again")
        await wait_for(pilot, lambda: "expired" not in _status(dashboard), "the status cleared")
