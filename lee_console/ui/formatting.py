"""Short renderings of domain values for narrow terminals. States always carry a word or a
symbol, never colour alone (NO_COLOR and monochrome terminals lose colour)."""

from __future__ import annotations

from datetime import UTC, datetime

from lee_console.core.pitr import Alert, TableSummary, alerts


def short_time(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(UTC).strftime("%m-%d %H:%M")


def window_cell(table: TableSummary) -> str:
    if not table.pitr.enabled:
        return "-"
    return f"{short_time(table.pitr.earliest)}>{short_time(table.pitr.latest)}Z"


def health_cell(table: TableSummary, min_coverage_days: float) -> str:
    if table.restore is not None and table.restore.in_progress:
        return "~ restoring"
    found = alerts(table, min_coverage_days)
    if Alert.PITR_DISABLED in found:
        return "! PITR off"
    if Alert.LOW_COVERAGE in found:
        return "! low cover"
    if Alert.NO_DELETION_PROTECTION in found:
        return "~ no delprot"
    return "ok"


def size_cell(size_bytes: int) -> str:
    value = float(size_bytes)
    for unit in ("B", "K", "M", "G"):
        if value < 1024:
            return f"{value:.0f}{unit}" if unit == "B" else f"{value:.1f}{unit}"
        value /= 1024
    return f"{value:.1f}T"


NAME_WIDTH = 20


def name_cell(name: str, width: int = NAME_WIDTH) -> str:
    """Long names (restore targets end in a timestamp) keep their start and their end."""
    if len(name) <= width:
        return name
    tail = (width - 1) // 2
    return f"{name[: width - 1 - tail]}~{name[-tail:]}"
