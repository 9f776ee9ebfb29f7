"""The dashboard fills in row by row as tables are described, says how many are still to
come, and groups restores beneath their source (sample data, then the real sandbox)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
from many_tables import create_tables
from sample_source import SMALL, SampleSource, make_app
from sandbox_process import running_sandbox
from ui_helpers import dashboard_loaded, screen_text, sync, wait_until

from lee_console.aws.console_source import AwsConsoleSource
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.config import Config
from lee_console.core.views import DashboardData, OnTable
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.screens.timeline import TimelineScreen
from lee_console.ui.widgets.dashboard_table import DashboardTable

EXTRA_TABLES = 50  # with scenario none's three and a restore: 54 tables


@dataclass
class GatedSource(SampleSource):
    """Describes the first ``before`` tables, then waits for ``gate`` before the rest."""

    before: int = 2
    gate: threading.Event = field(default_factory=threading.Event)

    def dashboard(
        self, tables: tuple[str, ...], now: datetime, on_table: OnTable | None = None
    ) -> DashboardData:
        told = 0

        def gated(table: Any, total: int) -> None:
            nonlocal told
            if told == self.before:
                self.gate.wait(10)
            told += 1
            if on_table is not None:
                on_table(table, total)

        return super().dashboard(tables, now, gated)


def _row_keys(app: Any) -> list[str]:
    dashboard = next(s for s in app.screen_stack if isinstance(s, DashboardScreen))
    return [str(row.key) for row in dashboard.query_one(DashboardTable).shown_rows]


@sync
async def test_rows_show_as_they_are_described_with_the_count_to_come() -> None:
    source = GatedSource()
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: "2 of 4 tables, 2 to come" in screen_text(app))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DashboardScreen) and screen.data is None
        assert _row_keys(app) == ["lee-devices", "lee-users"]
        assert "ok" in next(line for line in screen_text(app).splitlines() if "lee-devices" in line)
        # a shown row can be opened while the others load
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, TimelineScreen))
        await pilot.press("escape")
        source.gate.set()
        await dashboard_loaded(pilot)
        assert _row_keys(app) == ["lee-devices", "lee-users", "lee-sessions", "lee-audit"]
        assert "4 of 4 tables" in screen_text(app) and "to come" not in screen_text(app)


@sync
async def test_53_tables_at_100_ms_the_first_row_shows_long_before_the_last(
    tmp_path: Path,
) -> None:
    """The issue's case: 53 tables, 100 ms a request. A restore of lee-devices shows beneath
    it, without a window and without an alert."""
    with running_sandbox("none", items=10, latency_ms=100, restore_seconds=0.1) as (url, _):
        create_tables(url, [f"load-{i:02d}" for i in range(EXTRA_TABLES)])
        client: Any = boto3.client(
            "dynamodb", endpoint_url=url, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
        )  # fmt: skip
        target = "lee-devices-restored-20250214T112200Z"
        client.restore_table_to_point_in_time(
            SourceTableName="lee-devices", TargetTableName=target, UseLatestRestorableTime=True
        )
        client.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 1})
        aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1", sandbox=True), None)
        app = LeeConsoleApp(AwsConsoleSource(aws), Config())
        async with app.run_test(size=SMALL) as pilot:
            started = time.monotonic()
            screen = app.screen
            assert isinstance(screen, DashboardScreen)
            await wait_until(pilot, lambda: _row_keys(app), timeout=15, what="the first row")
            first_row = time.monotonic() - started
            status = str(screen.query_one("#dashboard-status").render())
            assert "of 54 tables" in status and "to come" in status, status
            arrived = _row_keys(app)
            assert arrived == sorted(arrived)  # in name order, as they will stay
            await wait_until(pilot, lambda: screen.data is not None, timeout=30, what="all")
            all_rows = time.monotonic() - started
            keys = _row_keys(app)
            assert keys.index(target) == keys.index("lee-devices") + 1
            assert keys == sorted(keys) and len(keys) == 54
            text = screen_text(app)
            row = next(line for line in text.splitlines() if "└ " in line)
            assert "PITR off (restored)" in row and "~ restored" in row and "!" not in row
        assert all_rows >= 5.0  # 54 DescribeContinuousBackups at 10 a second
        assert first_row < all_rows / 3, (first_row, all_rows)
