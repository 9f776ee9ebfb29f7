"""Restores in flight at start: from the journals and from RestoreSummary; unreadable journal
entries are skipped; a journaled restore whose target is done but whose finish was never
journaled is returned with still_restoring false."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from lee_console.core.inflight import in_flight_restores, unfinished_in_journal
from lee_console.core.journal import JournalEvent
from lee_console.core.pitr import PitrWindow, RestoreInfo, TableSummary
from lee_console.core.restore import RestoreKind

T0 = datetime(2025, 2, 14, 11, 0, tzinfo=UTC)
SOURCE_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/lee-devices"


def started(target: str, **extra: Any) -> JournalEvent:
    data = {
        "source": "lee-devices",
        "target": target,
        "restore_point": "2025-02-14T10:00:00Z",
        "restore_kind": "point-in-time",
        **extra,
    }
    return JournalEvent("restore-started", T0, data)


def finished(target: str) -> JournalEvent:
    return JournalEvent("restore-finished", T0, {"target": target, "duration_seconds": 60})


def table(name: str, restoring: bool | None, created: datetime | None = T0) -> TableSummary:
    restore = None if restoring is None else RestoreInfo(restoring, T0, SOURCE_ARN)
    return TableSummary(
        name=name, status="CREATING" if restoring else "ACTIVE", item_count=0, size_bytes=0,
        deletion_protection=False, billing_mode="PAY_PER_REQUEST", pitr=PitrWindow(False),
        restore=restore, created=created,
    )  # fmt: skip


def test_a_restoring_journaled_target_is_still_restoring() -> None:
    (entry,) = in_flight_restores([table("r1", restoring=True)], [started("r1")])
    assert entry.still_restoring and entry.source_of_truth == "journal"
    assert entry.request.kind is RestoreKind.POINT_IN_TIME
    assert entry.request.source_table == "lee-devices" and entry.request.target_table == "r1"
    assert entry.request.restore_point == datetime(2025, 2, 14, 10, 0, tzinfo=UTC)
    assert entry.started_at == T0


def test_a_target_done_without_a_journaled_finish_is_returned_as_not_restoring() -> None:
    """The console quit after the table became ACTIVE but before journaling the finish."""
    (entry,) = in_flight_restores([table("r1", restoring=False)], [started("r1")])
    assert not entry.still_restoring and entry.source_of_truth == "journal"
    assert entry.request.target_table == "r1"


def test_finished_and_vanished_targets_are_not_returned() -> None:
    tables = [table("r1", restoring=False)]
    assert in_flight_restores(tables, [started("r1"), finished("r1")]) == []
    assert in_flight_restores(tables, [started("gone")]) == []  # deleted or sandbox reset
    failed = JournalEvent("restore-failed", T0, {"target": "r1"})
    assert in_flight_restores(tables, [started("r1"), failed]) == []


def test_unreadable_journal_entries_are_skipped() -> None:
    events = [
        started("bad-kind", restore_kind="from-the-future"),
        started("bad-point", restore_point="yesterday-ish"),
        started("list-kind", restore_kind=["point-in-time"]),
        JournalEvent("restore-started", T0, {"target": 42}),
        started("good"),
    ]
    assert list(unfinished_in_journal(events)) == ["good"]
    tables = [table(n, restoring=True) for n in ("bad-kind", "bad-point", "list-kind", "good")]
    found = in_flight_restores(tables, events)
    journaled = [e.request.target_table for e in found if e.source_of_truth == "journal"]
    assert journaled == ["good"]
    # The restoring tables still show up, from their RestoreSummary.
    summary = {e.request.target_table for e in found if e.source_of_truth == "RestoreSummary"}
    assert summary == {"bad-kind", "bad-point", "list-kind"}
    assert all(e.still_restoring for e in found)


def test_restores_started_elsewhere_come_from_restore_summary() -> None:
    tables = [table("elsewhere", restoring=True), table("done", restoring=False),
              table("plain", restoring=None)]  # fmt: skip
    (entry,) = in_flight_restores(tables, [])
    assert entry.source_of_truth == "RestoreSummary" and entry.still_restoring
    assert entry.request.source_table == "lee-devices" and entry.started_at == T0


def call(target: str, **params: Any) -> JournalEvent:
    """The journaled restore call (before it was sent): all a process killed before
    restore-started leaves."""
    sent = {"SourceTableName": "lee-devices", "TargetTableName": target, **params}
    data = {"service": "dynamodb", "operation": "RestoreTableToPointInTime", "params": sent}
    return JournalEvent("aws-call", T0, data)


def test_a_restore_call_without_restore_started_is_in_flight_once_its_table_exists() -> None:
    events = [call("r1", RestoreDateTime="2025-02-14T10:00:00Z")]
    (entry,) = in_flight_restores([table("r1", restoring=True)], events)
    assert entry.still_restoring and not entry.start_journaled
    assert entry.request.restore_point == datetime(2025, 2, 14, 10, 0, tzinfo=UTC)
    assert entry.request.kind is RestoreKind.POINT_IN_TIME
    # the call failed: no table, or a table of that name that is no restore of the source
    assert in_flight_restores([], events) == []
    assert in_flight_restores([table("r1", restoring=None)], events) == []
    latest = unfinished_in_journal([call("r2", UseLatestRestorableTime=True)])["r2"]
    assert latest.request.kind is RestoreKind.LATEST and latest.request.restore_point is None


def test_a_journaled_start_or_a_probe_supersedes_the_call() -> None:
    (entry,) = in_flight_restores([table("r1", restoring=True)], [call("r1"), started("r1")])
    assert entry.start_journaled
    probe = JournalEvent("probe-starting", T0, {"table": "lee-devices", "target": "p1"})
    assert unfinished_in_journal([probe, call("p1")]) == {}
    assert unfinished_in_journal([call("p1"), probe]) == {}
