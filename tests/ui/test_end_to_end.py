"""One restore driven by keys against the real sandbox (bad-deployment scenario): from launch,
find the deployment on lee-devices' timeline, restore to one minute before it, wait for ACTIVE,
and compare the restored table with the scenario's ground truth."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
from sandbox_process import running_sandbox
from textual.widgets import DataTable
from ui_helpers import dashboard_loaded, sync, wait_until

from lee_console.aws.console_source import AwsConsoleSource
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.config import Config
from lee_console.core.timeline import MarkerKind
from lee_console.store.journal_file import Journal
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.screens.restore_plan import RestorePlanScreen
from lee_console.ui.screens.restore_progress import RestoreProgressScreen
from lee_console.ui.widgets.timeline import Timeline

KEYS = ["enter", "r", "tab", "enter"]
"""Launch -> lee-devices' timeline (the cursor starts one minute before the latest deployment)
-> the plan for that second -> focus Restore -> start it."""


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {name: json.dumps(value, sort_keys=True) for name, value in item.items()}


def _scan(client: Any, table: str) -> dict[str, dict[str, Any]]:
    items: dict[str, dict[str, Any]] = {}
    pages = client.get_paginator("scan").paginate(TableName=table)
    for page in pages:
        for item in page["Items"]:
            items[item["device_id"]["S"]] = _plain(item)
    return items


def _updated_at(item: dict[str, Any]) -> datetime | None:
    """When the console's users last changed the item; None for the bug's epoch stamps."""
    text = json.loads(item["updated_at"])["S"]
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        return None


@sync
async def test_restore_one_minute_before_the_deployment_by_keys(tmp_path: Path) -> None:
    truth_file = tmp_path / "truth.json"
    with running_sandbox(
        scenario="bad-deployment", restore_seconds=2, restore_lag=60, truth_file=truth_file
    ) as (url, _):
        truth = json.loads(truth_file.read_text())
        damage_start = datetime.strptime(truth["damage_start"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=UTC
        )
        aws = Aws(
            ConnectionSettings(endpoint_url=url, region="us-east-1", sandbox=True),
            Journal(tmp_path / "journals", "test"),
        )
        app = LeeConsoleApp(AwsConsoleSource(aws), Config(), restore_poll_seconds=0.5, local_tz=UTC)
        pressed: list[str] = []

        async def press(key: str) -> None:
            pressed.append(key)
            await pilot.press(key)

        async with app.run_test(size=(80, 24)) as pilot:
            dashboard = await dashboard_loaded(pilot, timeout=15)
            table: DataTable[str] = dashboard.query_one("#tables", DataTable)
            first = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            assert first == "lee-devices"  # the cursor starts on it: no key needed

            await press(KEYS[0])  # enter: the timeline
            await wait_until(pilot, lambda: app.screen.query(Timeline), 15, "the timeline")
            timeline = app.screen.query_one(Timeline)
            point = damage_start - timedelta(minutes=1)
            deployments = [m for m in timeline.state.markers if m.kind is MarkerKind.DEPLOYMENT]
            assert max(m.at for m in deployments) == damage_start  # the bad one is the last
            assert timeline.cursor == point  # where the cursor starts
            await press(KEYS[1])  # r: the plan
            await wait_until(pilot, lambda: isinstance(app.screen, RestorePlanScreen))
            await press(KEYS[2])  # tab: from Cancel to Restore
            await press(KEYS[3])  # enter: start it
            await wait_until(pilot, lambda: isinstance(app.screen, RestoreProgressScreen))
            assert pressed == KEYS and len(pressed) <= 8

            target = f"lee-devices-restored-{point:%Y%m%dT%H%M%SZ}"
            tracked = app.restores.restores[target]
            assert tracked.request.restore_point == point
            await wait_until(pilot, lambda: tracked.done, 20, "the restore to be ACTIVE")
            assert tracked.error is None
            assert tracked.status == "ACTIVE" and not tracked.in_progress
            assert any("status CREATING -> ACTIVE" in line for line in tracked.log)

        raw = boto3.client(
            "dynamodb",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        described = raw.describe_table(TableName=target)["Table"]
        assert described["TableStatus"] == "ACTIVE"
        assert described["RestoreSummary"]["RestoreDateTime"].astimezone(UTC) == point
        restored = _scan(raw, target)
        live = _scan(raw, "lee-devices")

    assert tracked.item_count == len(restored)
    assert set(restored) == set(live)
    damaged = {key["device_id"] for key in truth["damaged_keys"]}
    assert damaged and damaged <= set(restored)
    # Nothing written after the restore point is in the restored table.
    for key, item in restored.items():
        stamp = _updated_at(item)
        assert stamp is not None and stamp <= point, (key, item["updated_at"])
    # Every damaged item comes back as it was, not as the bug left it.
    for key in damaged:
        assert restored[key] != live[key], key
    # Items nobody touched since the restore point are the same as now.
    untouched = [
        key
        for key, item in live.items()
        if key not in damaged and (stamp := _updated_at(item)) is not None and stamp <= point
    ]
    assert len(untouched) > len(live) // 2
    for key in untouched:
        assert restored[key] == live[key], key
