"""The PITR timeline scrubber: pick the second to restore to.

Seven rows, each one terminal column per slice of the viewport::

    ▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁▁███████   write activity (largest sample per column)
    ══════════════════════════════════════════════░   band: ═ restorable, ░ lag (not yet restorable)
                                              D       markers: D deploy, B backup, S system, * mark
       |          |          |          |     ▲       ticks, and the cursor
       01:10      01:20      01:30      01:40         axis (UTC)
    ▲ 2026-11-25 01:46:05 UTC  2026-11-25 02:46:05 CET  25 min ago  step 1 min
    view 1 h  D deployment lee-ingest:7 at 2026-11-25 01:46:05 UTC

All essential facts (times, marker letters, the step and the view) are ASCII text, so they read
the same with NO_COLOR and on the Linux console. The band, lag and sparkline glyphs are not in the
Linux console font (it lacks the eighth blocks ▁▂▃▅▆▇), so with ``ascii_only`` (the default when
``TERM=linux``) they are drawn with ``=``, ``~``, ``^`` and the ramp `` .:-=+*#%@`` instead. The
cursor column is also drawn in reverse video, which survives NO_COLOR.

The math is :mod:`lee_console.core.timeline` and :mod:`lee_console.core.timeline_view`; this widget
only renders the state and maps keys to moves. It never reads the clock: ``now`` is passed in.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from functools import partial
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from lee_console.core.timeline import Marker, MarkerKind, Outcome, Sample, TimelineState
from lee_console.core.timeline_frame import band_height
from lee_console.core.timeline_view import ASCII_GLYPHS, UNICODE_GLYPHS, time_at_column
from lee_console.ui.widgets.timeline_keys import MARK_GROUP, STEP_GROUP, ZOOM_GROUP, bind
from lee_console.ui.widgets.timeline_message import TimelineMessage
from lee_console.ui.widgets.timeline_rows import KIND_CLASS, render_rows, row_names


def _placeholder_state() -> TimelineState:
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    return TimelineState.create(epoch, epoch, epoch)


class Timeline(Widget, can_focus=True):
    """A horizontal band from the earliest restorable time to now, with a cursor to the second.

    | Key | Action |
    | :- | :- |
    | left / right | Move the cursor by the step. |
    | [ / ] | Finer / coarser step (1 s ... 1 d). |
    | home / end | Earliest / latest restorable time. |
    | z / Z | Zoom in / out around the cursor (35 d, 1 d, 1 h, 10 min). |
    | t | Type a time (posts `TimeRequested`). |
    | m | Bookmark the cursor, or remove the bookmark there. |
    | n / p | Next / previous marker. |
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("left", "move(-1)", "Earlier", "earlier", "Move the cursor back by the step"),
        bind("right", "move(1)", "Later", "later", "Move the cursor on by the step"),
        bind("left_square_bracket", "step(-1)", "Finer step", "step-finer", "A smaller step",
             STEP_GROUP, "["),
        bind("right_square_bracket", "step(1)", "Coarser step", "step-coarser", "A larger step",
             STEP_GROUP, "]"),
        bind("home", "jump('earliest')", "Earliest", "earliest", "The earliest restorable time"),
        bind("end", "jump('latest')", "Latest", "latest", "The latest restorable time"),
        bind("z", "zoom(1)", "Zoom in", "zoom-in", "Zoom in around the cursor", ZOOM_GROUP),
        bind("Z", "zoom(-1)", "Zoom out", "zoom-out", "Zoom out around the cursor", ZOOM_GROUP),
        bind("n", "marker(1)", "Next marker", "next-marker", "Jump to the next marker",
             MARK_GROUP),
        bind("p", "marker(-1)", "Previous marker", "prev-marker", "Jump to the previous marker",
             MARK_GROUP),
        bind("t", "request_time", "Type time", "type-time",
             "Type the time to put the cursor on (the forms --at accepts)", show=True),
        bind("m", "bookmark", "Bookmark", "bookmark",
             "Bookmark the cursor's second, or remove the bookmark there", show=True),
    ]  # fmt: skip
    """Ids are ``timeline.<name>`` for `App.set_keymap`. The footer shows steps, zoom, markers,
    typing a time and bookmarks; the arrows, home and end are left out to save room."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--sparkline",
        "timeline--band",
        "timeline--lag",
        "timeline--outside",
        "timeline--cursor",
        "timeline--axis",
        "timeline--status",
        "timeline--detail",
        *KIND_CLASS.values(),
    }
    """
    | Class | Description |
    | :- | :- |
    | `timeline--sparkline` | The write-activity row. |
    | `timeline--band` | The restorable part of the band. |
    | `timeline--lag` | The lag band, from the latest restorable time to now. |
    | `timeline--outside` | Columns outside the restorable window. |
    | `timeline--cursor` | The cursor's column and mark (reverse video, so NO_COLOR keeps it). |
    | `timeline--axis` | Tick marks and tick labels. |
    | `timeline--status` | The cursor's times and the step. |
    | `timeline--detail` | The view, the legend or the marker under the cursor. |
    | `timeline--marker-deployment` etc. | One per `MarkerKind`. |
    """

    DEFAULT_CSS = """
    Timeline {
        height: auto;
        padding: 0 1;
        background: $surface;
    }
    Timeline:focus { background-tint: $foreground 5%; }
    Timeline > .timeline--sparkline { color: $primary; }
    Timeline > .timeline--band { color: $success; }
    Timeline > .timeline--lag { color: $warning; }
    Timeline > .timeline--outside { color: $text-disabled; }
    Timeline > .timeline--cursor { color: $accent; text-style: reverse bold; }
    Timeline > .timeline--axis { color: $text-muted; }
    Timeline > .timeline--status { text-style: bold; }
    Timeline > .timeline--detail { color: $text-muted; }
    Timeline > .timeline--marker-deployment { color: $error; text-style: bold; }
    Timeline > .timeline--marker-backup { color: $secondary; text-style: bold; }
    Timeline > .timeline--marker-system-backup { color: $secondary; text-style: bold; }
    Timeline > .timeline--marker-bookmark { color: $accent; text-style: bold; }
    Timeline > .timeline--marker-probe { color: $text-muted; }
    """

    band_rows: reactive[int] = reactive(1, layout=True)
    """Rows of write activity; the screen sets it from the terminal's height (3 at 24 rows)."""

    state: reactive[TimelineState] = reactive(_placeholder_state)
    """The whole scrubber state (window, cursor, step, zoom, markers, activity)."""

    class CursorMoved(TimelineMessage):
        """Posted when the cursor lands on another second."""

        def __init__(self, timeline: Timeline, cursor: datetime) -> None:
            super().__init__(timeline)
            self.cursor = cursor
            """The new cursor, a whole second in UTC."""

    class Refused(TimelineMessage):
        """Posted when a key cannot do what it asks (at an edge, no marker, ...); also notified."""

        def __init__(self, timeline: Timeline, reason: str) -> None:
            super().__init__(timeline)
            self.reason = reason
            """One sentence for the operator."""

    class TimeRequested(TimelineMessage):
        """Posted on `t`: open an input, parse it with the CLI's parser, call `set_cursor`."""

    class BookmarkAdded(TimelineMessage):
        """Posted when `m` bookmarks the cursor's second."""

        def __init__(self, timeline: Timeline, at: datetime) -> None:
            super().__init__(timeline)
            self.at = at

    class BookmarkRemoved(TimelineMessage):
        """Posted when `m` removes the bookmark at the cursor."""

        def __init__(self, timeline: Timeline, at: datetime) -> None:
            super().__init__(timeline)
            self.at = at

    def __init__(
        self,
        earliest: datetime,
        latest: datetime,
        now: datetime,
        markers: Iterable[Marker] = (),
        activity: Iterable[Sample] = (),
        cursor: datetime | None = None,
        *,
        zoom_index: int = 0,
        local_tz: tzinfo | None = None,
        ascii_only: bool | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        """
        Args:
            earliest, latest: the restorable window (EarliestRestorableDateTime and
                LatestRestorableDateTime); now: the end of the lag band.
            cursor: where the cursor starts (default: the latest restorable time).
            zoom_index: index into `ZOOM_SPANS` (default 0, the whole window).
            local_tz: the zone of the "local" time (default: this machine's).
            ascii_only: draw with ASCII only (default: when TERM is "linux").
        """
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        initial = TimelineState.create(
            earliest, latest, now, cursor=cursor, markers=tuple(markers),
            activity=tuple(activity), zoom_index=zoom_index,
        )  # fmt: skip
        self.set_reactive(Timeline.state, initial)
        self.local_tz: tzinfo = local_tz or datetime.now().astimezone().tzinfo or UTC
        if ascii_only is None:
            ascii_only = os.environ.get("TERM") == "linux"
        self.glyphs = ASCII_GLYPHS if ascii_only else UNICODE_GLYPHS

    # -- public API ------------------------------------------------------------------------

    @property
    def cursor(self) -> datetime:
        """The selected second, in UTC."""
        return self.state.cursor

    def set_cursor(self, dt: datetime) -> str | None:
        """Put the cursor on ``dt``; outside the window it is refused (posted and notified).

        Returns the reason when refused, else None.
        """
        return self._apply(self.state.set_cursor(dt))

    def update_window(self, earliest: datetime, latest: datetime, now: datetime) -> str | None:
        """Refresh the window (periodic poll). The cursor stays put unless the window has left
        it behind; then it stops at the edge and the returned sentence says so (not notified).
        """
        return self._apply(self.state.with_window(earliest, latest, now), announce=False)

    @property
    def bookmarks(self) -> tuple[Marker, ...]:
        """The operator's bookmarks, oldest first (for the journal)."""
        return self.state.bookmarks

    def set_markers(self, markers: Iterable[Marker], *, keep_bookmarks: bool = True) -> None:
        """Replace the markers; the operator's bookmarks stay unless ``keep_bookmarks=False``."""
        self.state = self.state.with_markers(tuple(markers), keep_bookmarks=keep_bookmarks)

    def set_activity(self, activity: Iterable[Sample]) -> None:
        """Replace the write-activity samples (time, value)."""
        self.state = self.state.with_activity(tuple(activity))

    # -- actions ---------------------------------------------------------------------------

    def action_move(self, direction: int) -> None:
        self._apply(self.state.move(direction))

    def action_step(self, delta: int) -> None:
        state = self.state
        self._apply(state.step_coarser() if delta > 0 else state.step_finer())

    def action_jump(self, edge: str) -> None:
        state = self.state
        self._apply(state.jump_earliest() if edge == "earliest" else state.jump_latest())

    def action_zoom(self, delta: int) -> None:
        self._apply(self.state.zoom_in() if delta > 0 else self.state.zoom_out())

    def action_marker(self, direction: int) -> None:
        state = self.state
        self._apply(state.next_marker() if direction > 0 else state.prev_marker())

    def action_request_time(self) -> None:
        self.post_message(self.TimeRequested(self))

    def action_bookmark(self) -> None:
        at = self.state.cursor
        if any(m.kind is MarkerKind.BOOKMARK for m in self.state.markers_at(at)):
            if self._apply(self.state.remove_bookmark(at)) is None:
                self.post_message(self.BookmarkRemoved(self, at))
        elif self._apply(self.state.add_bookmark(at)) is None:
            self.post_message(self.BookmarkAdded(self, at))

    def _apply(self, outcome: Outcome, *, announce: bool = True) -> str | None:
        self.state = outcome.state
        if outcome.reason is not None and announce:
            self.post_message(self.Refused(self, outcome.reason))
            self.notify(outcome.reason, severity="warning")
        return outcome.reason

    def watch_state(self, old: TimelineState, new: TimelineState) -> None:
        if old.cursor != new.cursor:
            self.post_message(self.CursorMoved(self, new.cursor))

    def on_click(self, event: events.Click) -> None:
        """A click on the band rows puts the cursor there (stopping at the window's edges)."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y > self.row("ticks"):
            return
        width = self.content_size.width
        self._apply(self.state.set_cursor(time_at_column(self.state, offset.x, width), clamp=True))

    # -- rendering -------------------------------------------------------------------------

    def row(self, name: str) -> int:
        """Which line of the widget shows ``name`` (``band``, ``labels``, ``status``, ...)."""
        return row_names(self.band_rows).index(name)

    def fit_to(self, screen_height: int) -> None:
        """As many rows of write activity as a terminal ``screen_height`` rows tall allows."""
        self.band_rows = band_height(screen_height)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(row_names(self.band_rows))

    def render(self) -> Text:
        width = max(self.content_size.width, 1)
        style = partial(self.get_component_rich_style, partial=True)
        lines = render_rows(self.state, width, self.glyphs, style, self.local_tz, self.band_rows)
        return Text("\n").join(lines)


__all__ = ["ASCII_GLYPHS", "UNICODE_GLYPHS", "Timeline"]
