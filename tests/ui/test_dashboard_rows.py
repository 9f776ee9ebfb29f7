"""The dashboard's cells and column fitting, without an app: names shortened keeping the
restore point, a restored table's missing window said in words, columns dropped by priority."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sample_source import EARLIER_RESTORE, NOW, TABLES, restored

from lee_console.core.pitr import PitrWindow, RestoreInfo
from lee_console.core.table_groups import grouped
from lee_console.ui.dashboard_rows import Row, detail_line, lay_out, table_row
from lee_console.ui.formatting import health_cell, short_name, window_cell

DEVICES = TABLES[0]
RESTORED = "lee-devices-restored-20250214T112200Z"


def test_a_long_restored_name_is_shortened_in_the_middle_keeping_its_restore_point() -> None:
    assert short_name(RESTORED, 40) == RESTORED
    assert short_name(RESTORED, 28) == "lee-devices…20250214T112200Z"
    assert short_name(RESTORED, 20) == "lee…20250214T112200Z"
    # beneath its source, the end is kept from a word's start
    assert short_name(RESTORED, 28, keep_start=False) == "…restored-20250214T112200Z"
    assert short_name(RESTORED, 26, keep_start=False) == "…restored-20250214T112200Z"
    assert short_name(RESTORED, 25, keep_start=False) == "…20250214T112200Z"
    probe = "lee-devices-probe-20250214T112200Z-2"
    assert short_name(probe, 20, keep_start=False) == "…20250214T112200Z-2"
    assert short_name(probe, 25, keep_start=False) == "…probe-20250214T112200Z-2"
    assert short_name("prod-something-very-long-table-name", 20) == "prod-somet…able-name"
    for width in range(1, 40):
        assert len(short_name(RESTORED, width)) <= width
        assert len(short_name(RESTORED, width, keep_start=False)) <= width


def test_a_restored_table_has_no_window_and_no_alert_until_aws_reports_one() -> None:
    table = EARLIER_RESTORE
    assert window_cell(table, NOW) == "PITR off (restored)"
    assert health_cell(table, 30) == "~ restored"
    # PITR turned on a moment ago: the latest second is still before the earliest
    opening = replace(table, pitr=PitrWindow(True, NOW, NOW - timedelta(minutes=5), 35))
    assert window_cell(opening, NOW) == "PITR on, no window yet"
    assert health_cell(opening, 30) == "~ restored"
    assert table_row(opening, 30, NOW).values["cover"] == "-"
    # a window, but a short one: a restore's window starts when PITR is turned on
    short = replace(table, pitr=PitrWindow(True, NOW - timedelta(hours=1), NOW, 35))
    assert health_cell(short, 30) == "~ new window"
    assert health_cell(replace(short, restore=None), 30) == "! low cover"
    probe = replace(table, name="lee-devices-probe-20250214T112200Z")
    assert health_cell(probe, 30) == "~ probe"
    assert health_cell(restored("lee-devices", NOW, done=False), 30) == "~ restoring"


def test_a_window_shows_its_earliest_and_latest_second_the_date_only_when_not_today() -> None:
    assert window_cell(DEVICES, NOW) == "01-10 11:47:00 → 11:47:00"
    tomorrow = NOW + timedelta(days=1)
    assert window_cell(DEVICES, tomorrow) == "01-10 11:47:00 → 02-14 11:47:00"
    assert window_cell(TABLES[3], NOW) == "PITR off"


def _rows() -> list[Row]:
    return [table_row(t, 30, NOW, depth=d) for t, d in grouped((*TABLES, EARLIER_RESTORE))]


def test_at_80_columns_the_essential_columns_show_and_the_rest_go_to_the_detail_line() -> None:
    layout = lay_out(_rows(), 79)  # 80 less the scrollbar
    assert [key for key, _, _ in layout.columns] == ["table", "health", "window", "cover", "items"]
    assert sum(width + 2 for _, _, width in layout.columns) <= 79
    cells = {key: [c.plain for c in row] for key, row in layout.cells}
    assert cells[EARLIER_RESTORE.name][0] == "└ …20250214T110500Z"
    assert cells[EARLIER_RESTORE.name][1:] == ["~ restored", "PITR off (restored)", "-", "2,980"]
    assert [key for key, _ in layout.cells][:2] == ["lee-devices", EARLIER_RESTORE.name]
    row = _rows()[0]
    assert detail_line(row, layout.hidden) == (
        "lee-devices  period 35d  size 500.0M  del-prot on  PITR $0.0977/mo  ACTIVE"
    )
    child = _rows()[1]
    assert detail_line(child, layout.hidden).startswith(
        f"{EARLIER_RESTORE.name}  restored from lee-devices as of 2025-02-14T11:05:00Z  period -"
    )


def test_at_120_columns_period_size_deletion_protection_and_cost_are_columns() -> None:
    layout = lay_out(_rows(), 119)
    shown = [key for key, _, _ in layout.columns]
    assert shown == [
        "table", "health", "window", "cover", "items", "period", "size", "delprot", "cost"
    ]  # fmt: skip
    assert layout.hidden == ("status",)


def test_a_marked_row_says_so_in_its_name() -> None:
    row = table_row(DEVICES, 30, NOW, marked=True)
    assert row.name_cell(30) == "*lee-devices"
    deleted_source = replace(
        EARLIER_RESTORE,
        restore=RestoreInfo(False, datetime(2025, 2, 14, tzinfo=UTC), source_table_arn=None),
    )
    assert table_row(deleted_source, 30, NOW).origin.startswith("restored from a backup")
