"""Mapping a :class:`TimelineState` onto a row of terminal columns, and the labels it needs.

Pure. Column ``c`` of ``width`` covers ``[start + c*w, start + (c+1)*w)`` of the viewport, with
``w = (end - start) / width``; ``end`` itself falls in the last column.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import Enum

from lee_console.core.timeline import (
    MARKER_PRIORITY,
    ZOOM_SPANS,
    Marker,
    MarkerKind,
    TimelineState,
    ceil_second,
    format_ago,
    format_span,
    format_utc,
    to_utc,
)


class Zone(Enum):
    """What a column of the band stands for."""

    OUTSIDE = "outside"  # not restorable: before the earliest restorable time
    RESTORABLE = "restorable"  # inside [earliest, latest]
    LAG = "lag"  # after latest, up to now: happened, but not yet restorable


@dataclass(frozen=True)
class Cell:
    """One column of the band."""

    zone: Zone
    marker: MarkerKind | None = None  # the highest-priority marker kind in the column
    marker_count: int = 0
    cursor: bool = False


@dataclass(frozen=True)
class CursorText:
    utc: str  # 2026-11-25 02:11:05 UTC
    local: str  # 2026-11-25 03:11:05 CET
    relative: str  # 24 min ago
    step: str  # 1 min


@dataclass(frozen=True)
class Glyphs:
    """The characters the band is drawn with (marker letters are always ASCII)."""

    restorable: str
    lag: str
    outside: str
    cursor: str
    tick: str
    ramp: str  # the sparkline, lowest to highest


UNICODE_GLYPHS = Glyphs("═", "░", " ", "▲", "|", "▁▂▃▄▅▆▇█")
ASCII_GLYPHS = Glyphs("=", "~", " ", "^", "|", ".:-=+*#%@")
"""For the Linux console, whose font lacks the eighth blocks ▁▂▃▅▆▇."""

KIND_NAMES = {
    MarkerKind.DEPLOYMENT: "deployment",
    MarkerKind.BACKUP: "backup",
    MarkerKind.SYSTEM_BACKUP: "SYSTEM backup",
    MarkerKind.BOOKMARK: "bookmark",
    MarkerKind.PROBE: "probe",
}


@dataclass(frozen=True)
class Tick:
    column: int
    label: str


def _column_width(state: TimelineState, width: int) -> tuple[datetime, timedelta]:
    start, end = state.viewport()
    return start, (end - start) / max(width, 1)


def column_of(state: TimelineState, dt: datetime, width: int) -> int | None:
    """The column holding ``dt``, or None when ``dt`` is outside the viewport."""
    start, end = state.viewport()
    dt = to_utc(dt)
    if not start <= dt <= end or width < 1:
        return None
    return min(int((dt - start) / (end - start) * width), width - 1)


def time_at_column(state: TimelineState, col: int, width: int) -> datetime:
    """The first whole second in column ``col`` (so ``column_of`` maps it back to ``col``)."""
    start, per_col = _column_width(state, width)
    col = min(max(col, 0), max(width - 1, 0))
    return ceil_second(start + per_col * col)


def cells(state: TimelineState, width: int) -> list[Cell]:
    """Each column's zone, marker and cursor flag.

    A column is LAG when its middle lies after ``latest``; if a lag exists but is narrower than
    half a column, the last column still shows it, so the lag band never vanishes at wide zoom.
    """
    start, per_col = _column_width(state, width)
    zones: list[Zone] = []
    for col in range(width):
        mid = start + per_col * (col + 0.5)
        if mid < state.earliest:
            zones.append(Zone.OUTSIDE)
        elif mid > state.latest:
            zones.append(Zone.LAG)
        else:
            zones.append(Zone.RESTORABLE)
    end = state.viewport()[1]
    if zones and state.lag > timedelta(0) and end >= state.now and Zone.LAG not in zones:
        zones[-1] = Zone.LAG

    by_col: dict[int, list[Marker]] = {}
    for marker in state.markers:
        at = column_of(state, marker.at, width)
        if at is not None:
            by_col.setdefault(at, []).append(marker)
    cursor_col = column_of(state, state.cursor, width)
    out = []
    for col, zone in enumerate(zones):
        here = by_col.get(col, [])
        kind = min((m.kind for m in here), key=MARKER_PRIORITY.index, default=None)
        out.append(Cell(zone, kind, len(here), col == cursor_col))
    return out


def markers_in_column(state: TimelineState, col: int, width: int) -> tuple[Marker, ...]:
    """The markers drawn in column ``col``: those at the cursor's second first, then by
    :data:`MARKER_PRIORITY` (the kind the band shows), then by time."""
    here = [m for m in state.markers if column_of(state, m.at, width) == col]
    return tuple(
        sorted(here, key=lambda m: (m.at != state.cursor, MARKER_PRIORITY.index(m.kind), m.at))
    )


def viewport(state: TimelineState) -> tuple[datetime, datetime]:
    """The visible ``(start, end)`` of the band; see :meth:`TimelineState.viewport`."""
    return state.viewport()


def activity_buckets(state: TimelineState, width: int) -> list[float]:
    """Write activity per column, for a sparkline: the largest sample in each column.

    The maximum (not the sum) keeps columns comparable whatever their width. When columns are
    narrower than the sampling period, a column with no sample of its own repeats the sample
    that covers it (the latest one no older than one period); otherwise it is 0.
    """
    if width < 1:
        return []
    samples = state.activity
    times = [t for t, _ in samples]
    period = _sample_period(times)
    start, per_col = _column_width(state, width)
    out: list[float] = []
    for col in range(width):
        lo = start + per_col * col
        hi = lo + per_col
        i, j = bisect_left(times, lo), bisect_left(times, hi)
        if col == width - 1:
            j = bisect_right(times, hi)
        if i < j:
            out.append(max(v for _, v in samples[i:j]))
        elif i > 0 and period is not None and lo - times[i - 1] < period:
            out.append(samples[i - 1][1])
        else:
            out.append(0.0)
    return out


def _sample_period(times: list[datetime]) -> timedelta | None:
    gaps = sorted(b - a for a, b in itertools.pairwise(times) if b > a)
    return gaps[len(gaps) // 2] if gaps else None


def sparkline(values: list[float], ramp: str, top: float | None = None) -> str:
    """One character per value: blank for 0, else a ``ramp`` character scaled to ``top``.

    ``top`` defaults to the largest value; pass the largest sample of the whole series so that
    every zoom level draws the same rate at the same height.
    """
    top = max(values, default=0.0) if top is None else top
    if top <= 0:
        return " " * len(values)
    levels = len(ramp)
    chars = []
    for v in values:
        if v <= 0:
            chars.append(" ")
        else:
            chars.append(ramp[min(levels - 1, max(0, math.ceil(v / top * levels) - 1))])
    return "".join(chars)


_TICK_STEPS: tuple[timedelta, ...] = tuple(
    timedelta(seconds=s)
    for s in (
        1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200,
        86400, 2 * 86400, 7 * 86400, 14 * 86400,
    )
)  # fmt: skip


def _tick_format(step: timedelta) -> str:
    if step >= timedelta(days=1):
        return "%m-%d"
    if step >= timedelta(minutes=1):
        return "%H:%M"
    return "%H:%M:%S"


def ticks(state: TimelineState, width: int, gap: int = 2) -> list[Tick]:
    """Axis labels in UTC at round times, as many as fit ``width`` without touching.

    Daily ticks show ``MM-DD``; hourly and minute ticks ``HH:MM``; finer ones ``HH:MM:SS``.
    """
    start, end = state.viewport()
    span = end - start
    if width < 1:
        return []
    for step in _TICK_STEPS:
        fmt = _tick_format(step)
        label_width = len(start.strftime(fmt)) + gap
        if step / span * width >= label_width:
            break
    else:
        return []
    epoch = datetime(1970, 1, 1, tzinfo=start.tzinfo)
    first = epoch + step * math.ceil((start - epoch) / step)
    out: list[Tick] = []
    at = first
    while at <= end:
        col = column_of(state, at, width)
        label = at.strftime(fmt)
        if col is not None and col + len(label) <= width:
            out.append(Tick(col, label))
        at += step
    return out


def describe_cursor(state: TimelineState, local_tz: tzinfo) -> CursorText:
    """The cursor to the second, in UTC and in ``local_tz``, and how long before ``now``."""
    local = state.cursor.astimezone(local_tz)
    zone = local.strftime("%Z") or local.strftime("%z")
    return CursorText(
        utc=format_utc(state.cursor),
        local=f"{local:%Y-%m-%d %H:%M:%S} {zone}",
        relative=format_ago(state.cursor, state.now),
        step=format_span(state.step),
    )


def view_text(state: TimelineState) -> str:
    """``view 1 h``; at the widest zoom, the whole window's length (``view 35 d``)."""
    if state.zoom_index == 0:
        return f"view {format_span(state.now - state.earliest)}"
    return f"view {format_span(ZOOM_SPANS[state.zoom_index])}"


def marker_text(marker: Marker) -> str:
    """``deployment lee-ingest:7 at 2026-11-25 01:46:05 UTC``."""
    label = f" {marker.label}" if marker.label else ""
    return f"{KIND_NAMES[marker.kind]}{label} at {format_utc(marker.at)}"


def legend(state: TimelineState, glyphs: Glyphs) -> list[str]:
    """What the band's characters mean, most important first."""
    lag = format_span(state.lag) if state.lag > timedelta(0) else "none"
    return [
        f"{glyphs.restorable} restorable",
        f"{glyphs.lag} lag {lag}",
        f"{glyphs.ramp[0]}{glyphs.ramp[-1]} writes",
        "D deploy",
        "B S backup",
        "* mark",
    ]


def tick_rows(state: TimelineState, width: int, tick: str = "|") -> tuple[str, str]:
    """The tick-mark row and the label row of the axis, each ``width`` characters."""
    marks = [" "] * width
    labels = [" "] * width
    for t in ticks(state, width):
        marks[t.column] = tick
        labels[t.column : t.column + len(t.label)] = t.label
    return "".join(marks), "".join(labels[:width])


__all__ = [
    "ASCII_GLYPHS",
    "KIND_NAMES",
    "UNICODE_GLYPHS",
    "Cell",
    "CursorText",
    "Glyphs",
    "Tick",
    "Zone",
    "activity_buckets",
    "cells",
    "column_of",
    "describe_cursor",
    "legend",
    "marker_text",
    "markers_in_column",
    "sparkline",
    "tick_rows",
    "ticks",
    "time_at_column",
    "view_text",
    "viewport",
]
