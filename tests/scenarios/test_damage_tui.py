"""`d` on the timeline, by keys (Pilot, against the sandbox's real exports through the real AWS
source): the plan and its cost first, enter starts the exports, the result shows exactly the
truth's damaged count and the first damaging write; escape puts the cursor on the second before
it, the default restore point."""

from __future__ import annotations

import json
from datetime import UTC, timedelta
from pathlib import Path

from sandbox_process import running_sandbox
from scenario_helpers import parse_utc
from tui_helpers import SIZE, dashboard_loaded, flat, screen_text, sync, wait_for

from lee_console.aws.console_source import AwsConsoleSource
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.config import Config
from lee_console.core.timeparse import format_utc
from lee_console.store.journal_file import Journal
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.screens.damage import DamageScreen
from lee_console.ui.widgets.timeline import Timeline


@sync
async def test_damage_from_the_timeline_cursor(tmp_path: Path) -> None:
    truth_file = tmp_path / "truth.json"
    with running_sandbox(scenario="bad-deployment", items=300, truth_file=truth_file,
                         extra_args=("--export-seconds", "0")) as (url, _):  # fmt: skip
        aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1", sandbox=True),
                  Journal(tmp_path / "journals", "damage-tui"))  # fmt: skip
        config = Config(export_bucket="lee-pitr-exports")
        app = LeeConsoleApp(AwsConsoleSource(aws), config, local_tz=UTC)
        truth = json.loads(truth_file.read_text())
        async with app.run_test(size=SIZE) as pilot:
            await dashboard_loaded(pilot, timeout=15)
            await pilot.press("enter")
            await wait_for(pilot, lambda: app.screen.query(Timeline), "the timeline")
            timeline = app.screen.query_one(Timeline)
            await wait_for(pilot, lambda: "cursor set" in flat(screen_text(app)), "the cursor")
            since = timeline.cursor
            assert since < parse_utc(truth["damage_start"])  # 1 min before the deployment
            await pilot.press("d")
            await wait_for(pilot, lambda: isinstance(app.screen, DamageScreen), "the damage")
            plan = "enter starts the exports to s3://lee-pitr-exports"
            await wait_for(pilot, lambda: plan in flat(screen_text(app)), "the plan")
            text = flat(screen_text(app))
            assert "incremental export(s) of lee-devices" in text and "Cost: $" in text
            await pilot.press("enter")
            screen = app.screen
            assert isinstance(screen, DamageScreen)
            await wait_for(pilot, lambda: screen.report is not None, "the result", timeout=60)
            report = screen.report
            assert report is not None and report.first_damage is not None
            assert report.counts["damaged"] == len(truth["damaged_keys"])
            shown = flat(screen_text(app))
            assert f"First damaging write {format_utc(report.first_damage)}" in shown
            assert f"damaged {len(truth['damaged_keys'])}" in shown
            await pilot.press("escape")
            second_before = report.first_damage.replace(microsecond=0) - timedelta(seconds=1)
            await wait_for(pilot, lambda: timeline.cursor == second_before, "the cursor moved")
            assert "cursor set 1 s before the first damaging write" in flat(screen_text(app))
