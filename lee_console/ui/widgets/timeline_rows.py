"""The rows the Timeline widget draws, top to bottom, from its state::

    activity   write activity, ``band_rows`` rows high (largest sample per column)
    band       ═ restorable, ░ lag (not yet restorable)
    markers    D deploy, B backup, S system, * mark, P probe
    labels     the markers' names (lee-engine:43, 03:00), as many as fit
    ticks      tick marks, and the cursor ▲
    axis       tick labels (UTC)
    status     the cursor's second in UTC and local time, how long ago, the step
    detail     the view, and the marker under the cursor or the legend

The text comes from :mod:`lee_console.core.timeline_view` and
:mod:`lee_console.core.timeline_frame`; this module only adds the styles.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo

from rich.style import Style
from rich.text import Text

from lee_console.core.timeline import MarkerKind, TimelineState
from lee_console.core.timeline_frame import activity_rows, label_row
from lee_console.core.timeline_view import (
    Glyphs,
    Zone,
    activity_buckets,
    cells,
    column_of,
    describe_cursor,
    legend,
    marker_text,
    markers_in_column,
    tick_rows,
    view_text,
)

KIND_CLASS = {
    kind: f"timeline--marker-{kind.name.lower().replace('_', '-')}" for kind in MarkerKind
}

ROW_NAMES = ("band", "markers", "labels", "ticks", "axis", "status", "detail")
"""The rows under the activity rows, in order."""

StyleOf = Callable[[str], Style]


def row_names(band_rows: int) -> tuple[str, ...]:
    return (*(f"activity{i}" for i in range(band_rows)), *ROW_NAMES)


def render_rows(
    state: TimelineState,
    width: int,
    glyphs: Glyphs,
    style: StyleOf,
    local_tz: tzinfo,
    band_rows: int,
) -> list[Text]:
    """Every row, each ``width`` cells at most."""
    lines = [
        *_activity(state, width, glyphs, style, band_rows),
        *_band(state, width, glyphs, style),
        Text(label_row(state, width), style=style("timeline--axis")),
        *_axis(state, width, glyphs, style),
        *_status(state, width, glyphs, style, local_tz),
    ]
    for line in lines:
        line.truncate(width, overflow="ellipsis")
    return lines


def _activity(
    state: TimelineState, width: int, glyphs: Glyphs, style: StyleOf, rows: int
) -> list[Text]:
    top = max((v for _, v in state.activity), default=0.0)
    chart = activity_rows(activity_buckets(state, width), glyphs.ramp, rows, top)
    return [Text(line, style=style("timeline--sparkline")) for line in chart]


def _band(state: TimelineState, width: int, glyphs: Glyphs, style: StyleOf) -> list[Text]:
    zone_glyph = {
        Zone.RESTORABLE: (glyphs.restorable, style("timeline--band")),
        Zone.LAG: (glyphs.lag, style("timeline--lag")),
        Zone.OUTSIDE: (glyphs.outside, style("timeline--outside")),
    }
    cursor_style = style("timeline--cursor")
    band, marks = Text(), Text()
    for cell in cells(state, width):
        glyph, zone_style = zone_glyph[cell.zone]
        band.append(glyph, cursor_style if cell.cursor else zone_style)
        if cell.marker is None:
            marks.append(" ")
        else:
            marks.append(cell.marker.symbol, style(KIND_CLASS[cell.marker]))
    return [band, marks]


def _axis(state: TimelineState, width: int, glyphs: Glyphs, style: StyleOf) -> list[Text]:
    axis_style = style("timeline--axis")
    marks, labels = tick_rows(state, width, glyphs.tick)
    col = column_of(state, state.cursor, width)
    mark_row = Text(marks, style=axis_style)
    if col is not None:
        mark_row = Text.assemble(
            (marks[:col], axis_style),
            (glyphs.cursor, style("timeline--cursor")),
            (marks[col + 1 :], axis_style),
        )
    return [mark_row, Text(labels, style=axis_style)]


def _status(
    state: TimelineState, width: int, glyphs: Glyphs, style: StyleOf, local_tz: tzinfo
) -> list[Text]:
    told = describe_cursor(state, local_tz)
    # The local time only where it says something: in a UTC zone it would repeat the UTC one.
    local = f"  {told.local}" if told.local[:19] != told.utc[:19] else ""
    status = Text.assemble(
        (glyphs.cursor, style("timeline--cursor")),
        f" {told.utc}{local}  {told.relative}  step {told.step}",
        style=style("timeline--status"),
    )
    detail = Text(view_text(state) + "  ", style=style("timeline--detail"))
    col = column_of(state, state.cursor, width)
    here = markers_in_column(state, col, width) if col is not None else ()
    if here:
        detail.append(here[0].kind.symbol, style(KIND_CLASS[here[0].kind]))
        detail.append(" " + marker_text(here[0]))
        if len(here) > 1:
            detail.append(f" (+{len(here) - 1} more)")
    else:
        for part in legend(state, glyphs):  # as many as fit, most important first
            if detail.cell_len + len(part) > width:
                break
            detail.append(part + "  ")
    return [status, detail]
