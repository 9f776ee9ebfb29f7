"""Restore requests, progress lines and the result JSON."""

from __future__ import annotations

from datetime import UTC, datetime

from lee_console.core.restore import (
    RestoreKind,
    RestoreProgress,
    RestoreRequest,
    RestoreResult,
)

POINT = datetime(2025, 2, 14, 11, 22, tzinfo=UTC)


def test_describe() -> None:
    pitr = RestoreRequest(RestoreKind.POINT_IN_TIME, "lee-devices", "lee-devices-r", POINT)
    assert pitr.describe() == "lee-devices as of 2025-02-14T11:22:00Z -> lee-devices-r"
    latest = RestoreRequest(RestoreKind.LATEST, "lee-devices", "lee-devices-r")
    assert latest.describe() == "lee-devices as of the latest time -> lee-devices-r"
    backup = RestoreRequest(RestoreKind.DELETED, "lee-devices", "x-r", POINT, backup_arn="arn")
    assert backup.describe() == "lee-devices from backup (2025-02-14T11:22:00Z) -> x-r"


def test_progress_line_and_done() -> None:
    creating = RestoreProgress("lee-devices-r", "CREATING", True, 125.9)
    assert creating.line() == "[02:05] lee-devices-r: CREATING, restore in progress"
    assert not creating.done
    active = RestoreProgress("lee-devices-r", "ACTIVE", False, 3600.0)
    assert active.line() == "[60:00] lee-devices-r: ACTIVE, restore complete"
    assert active.done
    assert not RestoreProgress("t", "ACTIVE", True, 1.0).done


def test_result_json() -> None:
    result = RestoreResult("lee-devices", "lee-devices-r", POINT, 61.26, 1234, "ACTIVE")
    assert result.to_json() == {
        "source": "lee-devices",
        "target": "lee-devices-r",
        "restore_point": "2025-02-14T11:22:00Z",
        "duration_seconds": 61.3,
        "item_count": 1234,
        "item_count_source": "Scan Select=COUNT (exact)",
        "status": "ACTIVE",
    }
    approximate = RestoreResult("t", "t-r", POINT, 1.0, 7, "ACTIVE", item_count_exact=False)
    assert approximate.to_json()["item_count_source"] == (
        "DescribeTable ItemCount (approximate: AWS refreshes it about every six hours)"
    )
