"""Starting restores and waiting for them with a real deadline and progress."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lee_console.aws.backups import BackupSummary, expired_user_backups
from lee_console.aws.restore import start_restore, wait_for_restore
from lee_console.aws.session import Aws
from lee_console.core.errors import (
    PitrUnavailable,
    RestoreTimedOut,
    RestoreTimeOutsideWindow,
    TargetTableExists,
)
from lee_console.core.restore import RestoreKind, RestoreProgress, RestoreRequest


def latest(table: str, target: str) -> RestoreRequest:
    return RestoreRequest(RestoreKind.LATEST, table, target)


def test_wait_reports_creating_then_active(
    make_aws: Callable[..., Aws], restorable_table: Callable[[], str], raw: Any
) -> None:
    table = restorable_table()
    aws = make_aws()
    seen: list[RestoreProgress] = []
    start_restore(aws, latest(table, f"{table}-r"))
    final = wait_for_restore(
        aws, f"{table}-r", deadline_seconds=30, poll_seconds=0.2, on_progress=seen.append
    )
    assert final.done
    assert seen[0].status == "CREATING" and seen[0].in_progress
    assert seen[-1].status == "ACTIVE" and not seen[-1].in_progress
    assert seen[-1] is final
    assert final.restore_point is not None
    assert seen[-1].elapsed_seconds >= 1.5  # the sandbox keeps it CREATING for 2 s
    assert raw.scan(TableName=f"{table}-r")["Count"] == 1


def test_deadline_shorter_than_the_restore_raises(
    make_aws: Callable[..., Aws], restorable_table: Callable[[], str], raw: Any
) -> None:
    table = restorable_table()
    aws = make_aws()
    start_restore(aws, latest(table, f"{table}-r"))
    start = time.monotonic()
    with pytest.raises(RestoreTimedOut) as caught:
        wait_for_restore(aws, f"{table}-r", deadline_seconds=0.5, poll_seconds=0.1)
    assert time.monotonic() - start < 1.5
    assert f"{table}-r is still restoring" in caught.value.message
    assert "lee-console status" in caught.value.message


def test_existing_target_suggests_a_free_name(
    make_aws: Callable[..., Aws],
    restorable_table: Callable[[], str],
    new_table: Callable[..., str],
    raw: Any,
) -> None:
    table = restorable_table()
    other = new_table(pitr=False)
    tables_before = set(raw.list_tables()["TableNames"])
    with pytest.raises(TargetTableExists) as caught:
        start_restore(make_aws(), latest(table, other))
    assert f"--target {other}-2" in caught.value.message
    assert set(raw.list_tables()["TableNames"]) == tables_before


def test_time_outside_window_gives_the_window(
    make_aws: Callable[..., Aws], restorable_table: Callable[[], str], raw: Any
) -> None:
    table = restorable_table()
    way_back = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    request = RestoreRequest(RestoreKind.POINT_IN_TIME, table, f"{table}-r", way_back)
    with pytest.raises(RestoreTimeOutsideWindow) as caught:
        start_restore(make_aws(), request)
    assert "outside the restorable window" in caught.value.message
    assert " -> " in caught.value.message
    assert f"{table}-r" not in raw.list_tables()["TableNames"]


def test_pitr_off_source(
    make_aws: Callable[..., Aws], new_table: Callable[..., str], raw: Any
) -> None:
    table = new_table(pitr=False)
    with pytest.raises(PitrUnavailable):
        start_restore(make_aws(), latest(table, f"{table}-r"))
    assert f"{table}-r" not in raw.list_tables()["TableNames"]


def backup(kind: str, age_days: float, now: datetime) -> BackupSummary:
    return BackupSummary(
        arn=f"arn:{kind}:{age_days}",
        name=f"b-{age_days}",
        table="lee-devices",
        created=now - timedelta(days=age_days),
        status="AVAILABLE",
        backup_type=kind,
        size_bytes=0,
    )


def test_expired_user_backups_keeps_system_and_recent_ones() -> None:
    now = datetime(2025, 2, 14, tzinfo=UTC)
    backups = [
        backup("USER", 10, now),
        backup("USER", 6.9, now),
        backup("SYSTEM", 30, now),
        backup("AWS_BACKUP", 30, now),
        backup("USER", 7.1, now),
    ]
    assert [b.arn for b in expired_user_backups(backups, 7, now)] == [
        "arn:USER:10",
        "arn:USER:7.1",
    ]
