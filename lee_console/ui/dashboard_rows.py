"""The dashboard's columns and the cells of one row. Essential columns come first, so an 80
column terminal shows name, health, PITR and window; the rest scroll into view."""

from __future__ import annotations

from lee_console.core.cost import pitr_monthly_cost
from lee_console.core.pitr import TableSummary
from lee_console.core.views import BackupSummary
from lee_console.ui.formatting import (
    health_cell,
    name_cell,
    short_time,
    size_cell,
    window_cell,
)

COLUMNS = (
    ("mark", " "),
    ("table", "TABLE"),
    ("health", "HEALTH"),
    ("pitr", "PITR"),
    ("cover", "COVER"),
    ("window", "WINDOW (UTC)"),
    ("status", "STATUS"),
    ("period", "PERIOD"),
    ("items", "ITEMS"),
    ("size", "SIZE"),
    ("delprot", "DEL-PROT"),
    ("cost", "PITR/MO"),
)


def row_cells(table: TableSummary, threshold: float, marked: bool) -> list[str]:
    pitr = table.pitr
    return [
        "*" if marked else " ",
        name_cell(table.name),
        health_cell(table, threshold),
        "on" if pitr.enabled else "OFF",
        f"{pitr.coverage_days:.1f}d" if pitr.coverage_days is not None else "-",
        window_cell(table),
        table.status,
        f"{pitr.recovery_period_days}d" if pitr.recovery_period_days else "-",
        f"{table.item_count:,}",
        size_cell(table.size_bytes),
        "on" if table.deletion_protection else "off",
        f"${pitr_monthly_cost(table.size_bytes):.4f}",
    ]


def deleted_row_cells(backup: BackupSummary) -> list[str]:
    """A table that is gone, with the SYSTEM backup AWS kept of it."""
    return [
        " ",
        name_cell(backup.table),
        "! DELETED",
        "-",
        "-",
        f"SYSTEM backup {short_time(backup.created)}Z",
        "DELETED",
        "-",
        "-",
        size_cell(backup.size_bytes),
        "-",
        "-",
    ]
