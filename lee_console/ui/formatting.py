"""Short renderings of domain values for narrow terminals. States always carry a word or a
symbol, never colour alone (NO_COLOR and monochrome terminals lose colour)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from lee_console.core.findgood import is_probe_name
from lee_console.core.pitr import Alert, TableSummary, alerts


def short_time(moment: datetime | None) -> str:
    if moment is None:
        return "-"
    return moment.astimezone(UTC).strftime("%m-%d %H:%M")


def restorable_time(moment: datetime, now: datetime) -> str:
    """A restorable second, short: ``11:47:00`` today (UTC), ``01-10 11:47:00`` another day."""
    moment = moment.astimezone(UTC)
    if moment.date() == now.astimezone(UTC).date():
        return moment.strftime("%H:%M:%S")
    return moment.strftime("%m-%d %H:%M:%S")


def window_cell(table: TableSummary, now: datetime) -> str:
    """Earliest and latest restorable second, or why there are none. A restored table has no
    PITR until it is turned on (AWS does not carry it over), and no window until AWS reports
    one: never an inverted window."""
    pitr = table.pitr
    if not pitr.enabled:
        return "PITR off (restored)" if table.restore is not None else "PITR off"
    if not pitr.is_open or pitr.earliest is None or pitr.latest is None:
        return "PITR on, no window yet"
    return f"{restorable_time(pitr.earliest, now)} → {restorable_time(pitr.latest, now)}"


def coverage_cell(table: TableSummary) -> str:
    days = table.pitr.coverage_days
    return f"{days:.1f}d" if days is not None and table.pitr.is_open else "-"


def health_cell(table: TableSummary, min_coverage_days: float) -> str:
    """Health in words. A restore's missing PITR and short window are what AWS gives every
    restored table (the runbook re-applies its settings): a warning, not an alert."""
    if table.restoring:
        return "~ restoring"
    source = table.restored_from
    restored = table.restore is not None
    kind = "~ probe" if source and is_probe_name(table.name, source) else "~ restored"
    found = alerts(table, min_coverage_days)
    if Alert.PITR_DISABLED in found:
        return kind if restored else "! PITR off"
    if not table.pitr.is_open:
        return kind if restored else "~ no window"
    if Alert.LOW_COVERAGE in found:
        return "~ new window" if restored else "! low cover"
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


RESTORE_POINT = re.compile(r"\d{8}T\d{4,6}Z(?:-\d+)?$")
"""The end of a restore's or a probe's name: its restore point (and a -N against a clash)."""


def short_name(name: str, width: int, *, keep_start: bool = True) -> str:
    """``name`` in ``width`` cells, shortened in the middle with an ellipsis. A restore or a
    probe keeps its restore point whole; ``keep_start=False`` (a restore shown beneath its
    source, which already says how it starts) keeps as much of the end as fits, from a word's
    start."""
    if len(name) <= width:
        return name
    if width <= 1:
        return name[:width]
    point = RESTORE_POINT.search(name)
    end = name[point.start() :] if point else ""
    if point and not keep_start and len(end) < width:
        # the longest end that fits and starts a word: "…restored-20250214T112200Z"
        cuts = [i + 1 for i in range(point.start()) if name[i] == "-" and len(name) - i <= width]
        return "…" + (name[cuts[0] :] if cuts else end)
    if end and len(end) + 2 <= width:
        return f"{name[: width - 1 - len(end)]}…{end}"
    if end:
        return "…" + name[len(name) - (width - 1) :]
    tail = (width - 1) // 2
    return f"{name[: width - 1 - tail]}…{name[len(name) - tail :]}"
