"""The dashboard's rows and which of its columns fit the terminal.

Columns are in priority order. At 80 columns the name, health, window (earliest and latest
restorable second), coverage and items show; period, size, deletion protection, PITR cost and
status join them as the terminal widens (all but status at 120). What does not fit is said in
the detail line under the table, for the highlighted row. Nothing here imports Textual."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from rich.text import Text

from lee_console.core.columns import Fit, fit_columns
from lee_console.core.cost import pitr_monthly_cost
from lee_console.core.pitr import TableSummary
from lee_console.core.timeparse import format_utc
from lee_console.core.views import BackupSummary
from lee_console.ui.formatting import (
    coverage_cell,
    health_cell,
    short_name,
    short_time,
    size_cell,
    window_cell,
)

NAME = "table"
COLUMNS: tuple[tuple[str, str], ...] = (
    (NAME, "TABLE"),
    ("health", "HEALTH"),
    ("window", "WINDOW (UTC)"),
    ("cover", "COVER"),
    ("items", "ITEMS"),
    ("period", "PERIOD"),
    ("size", "SIZE"),
    ("delprot", "DEL-PROT"),
    ("cost", "PITR/MO"),
    ("status", "STATUS"),
)
RIGHT_ALIGNED = frozenset({"cover", "items", "period", "size", "cost"})
NAME_MIN = 20  # a name keeps this many cells before a column is dropped for it
GAP = 2  # the DataTable's cell padding, both sides
STEADY_WIDTH = {"health": len("~ no delprot"), "window": len("01-10 11:47:00 → 11:47:00")}
"""Kept whatever the rows say, so the columns do not shift as rows arrive."""
CHILD = "└ "  # a restore or probe, beneath its source
MARK = "*"  # marked for a restore of several tables together
DETAIL = {
    "health": "health {}",
    "window": "window {}",
    "cover": "cover {}",
    "items": "{} items",
    "period": "period {}",
    "size": "size {}",
    "delprot": "del-prot {}",
    "cost": "PITR {}/mo",
    "status": "{}",
}


@dataclass(frozen=True)
class Row:
    key: str  # the DataTable's row key
    name: str
    values: dict[str, str]  # every column but the name
    depth: int = 0  # 1: a restore of the row above it
    marked: bool = False
    origin: str = ""  # where a restored table came from, for the detail line
    deleted: bool = False

    def prefix(self) -> str:
        return (MARK if self.marked else "") + (CHILD if self.depth else "")

    def name_cell(self, width: int) -> str:
        prefix = self.prefix()
        return prefix + short_name(self.name, width - len(prefix), keep_start=not self.depth)


def table_row(
    table: TableSummary, threshold: float, now: datetime, *, depth: int = 0, marked: bool = False
) -> Row:
    pitr = table.pitr
    values = {
        "health": health_cell(table, threshold),
        "window": window_cell(table, now),
        "cover": coverage_cell(table),
        "items": f"{table.item_count:,}",
        "period": f"{pitr.recovery_period_days}d" if pitr.recovery_period_days else "-",
        "size": size_cell(table.size_bytes),
        "delprot": "on" if table.deletion_protection else "off",
        "cost": f"${pitr_monthly_cost(table.size_bytes):.4f}",
        "status": table.status,
    }
    return Row(table.name, table.name, values, depth, marked, _origin(table))


def _origin(table: TableSummary) -> str:
    if table.restore is None:
        return ""
    source = table.restored_from or "a backup"
    point = table.restore.restore_point
    verb = "restoring" if table.restoring else "restored"
    return f"{verb} from {source}" + (f" as of {format_utc(point)}" if point else "")


def deleted_row(backup: BackupSummary, key: str) -> Row:
    """A table that is gone, with the SYSTEM backup AWS kept of it."""
    values = {
        "health": "! DELETED",
        "window": f"SYSTEM backup {short_time(backup.created)}",
        "cover": "-",
        "items": "-",
        "period": "-",
        "size": size_cell(backup.size_bytes),
        "delprot": "-",
        "cost": "-",
        "status": "DELETED",
    }
    return Row(key, backup.table, values, deleted=True)


@dataclass(frozen=True)
class Layout:
    fit: Fit
    columns: tuple[tuple[str, str, int], ...]  # key, label, width of each shown column
    cells: list[tuple[str, list[Text]]] = field(default_factory=list)  # row key, its cells

    @property
    def hidden(self) -> tuple[str, ...]:
        return self.fit.hidden([key for key, _ in COLUMNS])


def lay_out(rows: Sequence[Row], available: int) -> Layout:
    """The columns that fit ``available`` cells, and every row's cells for them."""
    natural = [
        (key, max([len(label)] + [_natural(row, key) for row in rows])) for key, label in COLUMNS
    ]
    fit = fit_columns(natural, available, flexible=NAME, flexible_min=NAME_MIN, gap=GAP)
    labels = dict(COLUMNS)
    columns = tuple((key, labels[key], fit.widths[key]) for key in fit.shown)
    cells = [(row.key, [_cell(row, key, fit.widths[key]) for key in fit.shown]) for row in rows]
    return Layout(fit, columns, cells)


def _natural(row: Row, key: str) -> int:
    if key == NAME:
        return len(row.prefix()) + len(row.name)
    return max(len(row.values[key]), STEADY_WIDTH.get(key, 0))


def _cell(row: Row, key: str, width: int) -> Text:
    if key == NAME:
        return Text(row.name_cell(width), style="dim" if row.deleted else "")
    value = row.values[key]
    if key == "health":
        return Text(value, style=_health_style(value))
    return Text(value, justify="right" if key in RIGHT_ALIGNED else "left")


def _health_style(value: str) -> str:
    if value.startswith("!"):
        return "bold red"
    if value.startswith("~"):
        return "yellow"
    return "green"


def detail_line(row: Row, hidden: Sequence[str]) -> str:
    """The highlighted row in full: its whole name, where a restore came from, and every
    column the terminal has no room for."""
    parts = [row.name]
    if row.origin:
        parts.append(row.origin)
    parts += [DETAIL[key].format(row.values[key]) for key in hidden if key != NAME]
    return "  ".join(parts)
