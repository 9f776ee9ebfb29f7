"""How much of the timeline to show and how tall: the zoom a timeline opens at, the
write-activity band over several rows, and a row naming the markers in view.

Pure, like :mod:`lee_console.core.timeline_view`, whose columns it uses.
"""

from __future__ import annotations

import math
from datetime import timedelta

from lee_console.core.timeline import (
    ZOOM_SPANS,
    Marker,
    MarkerKind,
    TimelineState,
    format_span,
    format_utc,
)
from lee_console.core.timeline_view import KIND_NAMES, column_of

OPENING_ZOOMS = range(len(ZOOM_SPANS) - 1)
"""The zooms a timeline may open at: all but the closest (10 min shows too little around the
point to judge it)."""


def opening_zoom(state: TimelineState) -> int:
    """The closest zoom (of :data:`OPENING_ZOOMS`) that shows the cursor in the middle half of
    the view, so that what happened on both sides of it (the jump in writes after a
    deployment) is in sight; the whole window when none does (the cursor at the latest second,
    say). The view is centred on the cursor as far as the window allows."""
    for zoom in reversed(OPENING_ZOOMS):
        zoomed = TimelineState.create(
            state.earliest,
            state.latest,
            state.now,
            cursor=state.cursor,
            zoom_index=zoom,
        )
        start, end = zoomed.viewport()
        where = (zoomed.cursor - start) / max(end - start, timedelta(seconds=1))
        if 0.25 <= where <= 0.75:
            return zoom
    return 0


def activity_rows(values: list[float], ramp: str, rows: int, top: float | None = None) -> list[str]:
    """The write activity as a bar chart ``rows`` high (top row first), one column per value.

    Each value is scaled to ``top`` (default: the largest value) over ``rows`` times the ramp's
    levels; a value above zero always shows at least the lowest glyph."""
    rows = max(rows, 1)
    top = max(values, default=0.0) if top is None else top
    if top <= 0:
        return [" " * len(values) for _ in range(rows)]
    levels = len(ramp)
    heights = [
        0 if v <= 0 else max(1, min(rows * levels, math.ceil(v / top * rows * levels)))
        for v in values
    ]
    out = []
    for row in reversed(range(rows)):
        line = []
        for height in heights:
            filled = height - row * levels
            line.append(ramp[-1] if filled >= levels else ramp[filled - 1] if filled > 0 else " ")
        out.append("".join(line))
    return out


_LABEL_ORDER = (
    MarkerKind.BOOKMARK,
    MarkerKind.DEPLOYMENT,
    MarkerKind.SYSTEM_BACKUP,
    MarkerKind.BACKUP,
    MarkerKind.PROBE,
)


def marker_label(marker: Marker, span: timedelta) -> str:
    """A marker's name on the label row: a deployment's version, a backup's time."""
    if marker.kind in (MarkerKind.DEPLOYMENT, MarkerKind.PROBE) and marker.label:
        return marker.label
    fmt = "%m-%d" if span > timedelta(days=2) else "%H:%M"
    when = f"{marker.at:{fmt}}"
    if marker.kind is MarkerKind.SYSTEM_BACKUP:
        return f"SYSTEM {when}"
    if marker.kind is MarkerKind.BOOKMARK and marker.label:
        return marker.label
    return when


def label_row(state: TimelineState, width: int) -> str:
    """Names of the markers in view, each starting at its marker's column (or ending at the
    right edge), as many as fit without touching: the one at the cursor first, then
    bookmarks, deployments (newest first), backups and probes."""
    start, end = state.viewport()
    span = end - start
    shown: list[tuple[int, Marker]] = []
    for marker in state.markers:
        col = column_of(state, marker.at, width)
        if col is not None:
            shown.append((col, marker))
    shown.sort(key=lambda cm: (cm[1].at != state.cursor, _LABEL_ORDER.index(cm[1].kind), -cm[0]))
    row = [" "] * width
    taken = [False] * width
    for col, marker in shown:
        text = marker_label(marker, span)[:width]
        first = min(col, width - len(text))
        lo, hi = max(first - 1, 0), min(first + len(text) + 1, width)
        if any(taken[lo:hi]):
            continue
        row[first : first + len(text)] = text
        taken[first : first + len(text)] = [True] * len(text)
    return "".join(row)


def band_height(screen_height: int) -> int:
    """Rows of write activity for a terminal ``screen_height`` rows tall: 3 at 24, 8 at 40."""
    return max(1, min(8, (screen_height - 15) // 3))


def nearest_markers(state: TimelineState, count: int) -> list[str]:
    """The ``count`` markers nearest the cursor, one line each, nearest first: what is around
    the second about to be chosen, with exact times (n / p jump to them)."""
    near = sorted(state.markers, key=lambda m: (abs(m.at - state.cursor), m.at))[:count]
    lines = []
    for marker in near:
        delta = marker.at - state.cursor
        if abs(delta) < timedelta(seconds=1):
            where = "at the cursor"
        else:
            where = f"{format_span(abs(delta))} {'after' if delta > timedelta(0) else 'before'}"
        label = f" {marker.label}" if marker.label else ""
        kind = KIND_NAMES[marker.kind]
        lines.append(f"{marker.kind.symbol} {format_utc(marker.at)}  {where:>17}  {kind}{label}")
    return lines


__all__ = [
    "OPENING_ZOOMS",
    "activity_rows",
    "band_height",
    "label_row",
    "marker_label",
    "nearest_markers",
    "opening_zoom",
]
