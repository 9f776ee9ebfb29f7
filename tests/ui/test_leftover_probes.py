"""On launch the console names the probe tables killed find-good runs left and offers to delete
them (Cancel focused); read-only only names them. Against sample data, and once end to end
against the sandbox: the table is deleted and the deletion journaled."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from sample_source import SMALL, SampleSource, SlowSource, make_app
from sandbox_process import running_sandbox
from ui_helpers import dashboard_loaded, flat, screen_text, sync, wait_until

from lee_console.aws.console_source import AwsConsoleSource
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.config import Config
from lee_console.core.findgood import probe_name
from lee_console.core.journal import Kind
from lee_console.core.probe_leftovers import StartedProbe
from lee_console.core.timeparse import format_utc
from lee_console.store.journal_file import Journal
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.screens.leftover_probes import LeftoverProbesScreen

POINT = datetime(2025, 2, 14, 11, 10, tzinfo=UTC)
PROBE = StartedProbe(
    incident="drill-20250214T110000Z-3f9a",
    search_id="fg-20250214T111500Z-a1b2c3",
    table="lee-devices",
    target=probe_name("lee-devices", POINT),
    started_at=POINT + timedelta(minutes=5),
    restore_point=POINT,
)


def notes(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


@sync
async def test_offered_at_launch_and_deleted_only_with_the_operators_word() -> None:
    source = SampleSource(leftovers=[PROBE])
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LeftoverProbesScreen), 10)
        await pilot.pause()
        text = flat(screen_text(app))
        assert PROBE.target in text and "killed" in text and "Delete them?" in text
        assert app.screen.focused is not None and app.screen.focused.id == "cancel"
        await pilot.press("enter")  # the focused answer: Cancel
        await wait_until(pilot, lambda: isinstance(app.screen, DashboardScreen), 5)
        await pilot.pause(0.1)
        assert source.deleted_probes == []
    source = SampleSource(leftovers=[PROBE])
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, LeftoverProbesScreen), 10)
        await pilot.pause()
        await pilot.press("tab", "enter")
        await wait_until(pilot, lambda: "Deleted 1 leftover probe table(s)." in notes(app), 5)
        assert source.deleted_probes == [PROBE.target]


@sync
async def test_asked_only_once_the_dashboard_has_loaded_and_asked_its_own() -> None:
    """The scan answers before the (slow) dashboard: the question waits, never stacked on the
    dashboard's own launch question."""
    source = SlowSource(SampleSource(leftovers=[PROBE]), seconds=1.0)
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause(0.5)
        assert isinstance(app.screen, DashboardScreen) and app.screen.data is None
        await wait_until(pilot, lambda: isinstance(app.screen, LeftoverProbesScreen), 10)
        await pilot.pause()
        dashboard = app.screen_stack[-2]
        assert isinstance(dashboard, DashboardScreen) and dashboard.data is not None


@sync
async def test_read_only_names_them_and_deletes_nothing() -> None:
    source = SampleSource(read_only=True, leftovers=[PROBE])
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        await wait_until(pilot, lambda: any(PROBE.target in n for n in notes(app)), 5)
        (note,) = [n for n in notes(app) if PROBE.target in n]
        assert "Read-only: not deleted" in note and "--cleanup-only" in note
        assert isinstance(app.screen, DashboardScreen) and source.deleted_probes == []


@sync
async def test_no_leftovers_no_question() -> None:
    app = make_app(SampleSource())
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, DashboardScreen) and notes(app) == []


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@sync
async def test_end_to_end_the_sandbox_table_is_deleted_and_journaled(tmp_path: Path) -> None:
    with running_sandbox("none", restore_seconds=1, restore_lag=0, items=20) as (url, _):
        raw: Any = boto3.client(
            "dynamodb", endpoint_url=url, region_name="us-east-1",
            aws_access_key_id="test", aws_secret_access_key="test",
        )  # fmt: skip
        point = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=1)
        target = probe_name("lee-devices", point)
        raw.restore_table_to_point_in_time(
            SourceTableName="lee-devices", TargetTableName=target, UseLatestRestorableTime=True
        )
        deadline = time.monotonic() + 60  # ACTIVE: no restore in flight to offer reattaching
        while raw.describe_table(TableName=target)["Table"]["TableStatus"] != "ACTIVE":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        killed = Journal(tmp_path / "journals", "adhoc-killed")
        killed.append(
            Kind.PROBE_STARTING, table="lee-devices", target=target,
            restore_point=format_utc(point), round=1, search_id="fg-killed",
            source_arn=raw.describe_table(TableName="lee-devices")["Table"]["TableArn"],
            pid=_dead_pid(), host=os.uname().nodename,
        )  # fmt: skip
        journal = Journal(tmp_path / "journals", "adhoc-now")
        aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1", sandbox=True), journal)
        app = LeeConsoleApp(AwsConsoleSource(aws), Config(), local_tz=UTC)
        async with app.run_test(size=SMALL) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, LeftoverProbesScreen), 15)
            await pilot.pause()
            assert target in flat(screen_text(app))
            await pilot.press("tab", "enter")
            await wait_until(pilot, lambda: "Deleted 1 leftover probe table(s)." in notes(app), 30)
        assert target not in raw.list_tables()["TableNames"]
        (outcome,) = [e for e in journal.events() if e.kind == Kind.PROBE]
        assert (outcome.data["search_id"], outcome.data["deleted"]) == ("fg-killed", True)
        deletes = [e for e in journal.events() if e.data.get("operation") == "DeleteTable"]
        assert deletes and deletes[0].data["params"]["TableName"] == target
