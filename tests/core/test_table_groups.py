"""Restores and probes beneath their source; the rest keep their order."""

from __future__ import annotations

from datetime import UTC, datetime

from lee_console.core.pitr import PitrWindow, RestoreInfo, TableSummary, table_name_from_arn
from lee_console.core.table_groups import grouped

ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/"
AT = datetime(2025, 2, 14, 11, 22, tzinfo=UTC)


def table(name: str, source: str | None = None, backup: str | None = None) -> TableSummary:
    restore = None
    if source or backup:
        restore = RestoreInfo(
            False,
            AT,
            source_table_arn=ARN + source if source else None,
            source_backup_arn=ARN + f"{backup}/backup/01739" if backup else None,
        )
    return TableSummary(name, "ACTIVE", 0, 0, False, "PAY_PER_REQUEST", PitrWindow(False),
                        arn=ARN + name, restore=restore)  # fmt: skip


def names(tables: list[TableSummary]) -> list[tuple[str, int]]:
    return [(t.name, depth) for t, depth in grouped(tables)]


def test_restores_and_probes_come_beneath_their_source_in_name_order() -> None:
    tables = [
        table("lee-devices"),
        table("lee-users"),
        table("lee-devices-restored-20250214T112200Z", "lee-devices"),
        table("lee-devices-probe-20250214T110000Z", "lee-devices"),
        table("lee-users-restored-20250213T090000Z", backup="lee-users"),
    ]
    assert names(tables) == [
        ("lee-devices", 0),
        ("lee-devices-probe-20250214T110000Z", 1),
        ("lee-devices-restored-20250214T112200Z", 1),
        ("lee-users", 0),
        ("lee-users-restored-20250213T090000Z", 1),
    ]


def test_a_restore_of_a_restore_comes_beneath_that_restore() -> None:
    tables = [
        table("b-restored-2", "b-restored-1"),
        table("b"),
        table("b-restored-1", "b"),
    ]
    assert names(tables) == [("b", 0), ("b-restored-1", 1), ("b-restored-2", 2)]


def test_a_restore_whose_source_is_gone_or_itself_stands_alone() -> None:
    tables = [
        table("lee-devices", backup="lee-devices"),  # restored under its own name
        table("gone-restored-20250214T112200Z", "gone"),
        table("a"),
    ]
    assert names(tables) == [
        ("lee-devices", 0),
        ("gone-restored-20250214T112200Z", 0),
        ("a", 0),
    ]
    assert tables[0].restored_from is None
    assert tables[1].restored_from == "gone"


def test_a_loop_of_restores_still_shows_every_table_once() -> None:
    tables = [table("x", "y"), table("y", "x")]
    assert sorted(names(tables)) == [("x", 0), ("y", 1)]


def test_table_names_from_arns() -> None:
    assert table_name_from_arn(ARN + "lee-devices") == "lee-devices"
    assert table_name_from_arn(ARN + "lee-devices/backup/017") == "lee-devices"
    assert table_name_from_arn("arn:aws:dynamodb:us-east-1:1:backup/x") is None
    assert table_name_from_arn(ARN) is None
