"""The settings drift in four columns that fit 80 columns (ui/drift_cells.py)."""

from __future__ import annotations

from lee_console.core.drift import Drift
from lee_console.ui import drift_cells

TABLES = ("lee-devices", "lee-devices-restored-20250214T112200Z")
STREAM = Drift(
    "stream",
    "on, NEW_AND_OLD_IMAGES",
    "off",
    False,
    "UpdateTable: enable a NEW_AND_OLD_IMAGES stream (a new stream ARN: point its consumers at it)",
)
ALARM = Drift(
    "alarm lee-devices-read-throttles",
    "lee-devices-read-throttles",
    "none",
    False,
    "PutMetricAlarm: lee-devices-restored-20250214T112200Z-read-throttles",
)
TAGS_BY_HAND = Drift("tags", "unknown (not in a backup)", "none", False, "set by hand", False)


def test_columns_fit_80_and_grow_with_the_width() -> None:
    narrow = drift_cells.column_widths(80)
    assert sum(narrow) + 1 + 2 * 4 <= 80 and min(narrow) >= 8
    assert sum(drift_cells.column_widths(120)) > sum(narrow)


def test_short_names_and_actions() -> None:
    scaling = "scaling-target table dynamodb:table:ReadCapacityUnits"
    assert drift_cells.short_setting(scaling, TABLES) == "scaling read"
    assert drift_cells.short_setting(ALARM.setting, TABLES) == "alarm read-throttles"
    assert drift_cells.action_text(STREAM, {}, False) == (
        "! apply: enable a NEW_AND_OLD_IMAGES stream (a new stream ARN: point its consumers at it)"
    )
    assert drift_cells.action_text(ALARM, {}, False) == "! apply: copy it for the restored table"
    assert drift_cells.action_text(TAGS_BY_HAND, {}, False) == "! set by hand"
    assert drift_cells.action_text(ALARM, {ALARM.setting: True}, False) == "holds"


def test_read_only_offers_nothing() -> None:
    assert drift_cells.action_text(STREAM, {}, True).startswith("! differs: enable")
    row = drift_cells.rows([STREAM], {}, TABLES, drift_cells.column_widths(80), True)[0]
    assert "apply" not in row.action
    assert len(row.action) <= drift_cells.column_widths(80)[3] and row.action.endswith("…")
