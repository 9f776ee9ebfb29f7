"""The PITR timeline: a cursor over the restorable window, and the moves that change it.

Pure: frozen dataclasses and plain functions; no Textual, no boto3, no clock. ``now`` is passed
in. Every move returns an :class:`Outcome`, the new state plus an optional reason (one plain
sentence) when the move was refused or stopped short; the state is unchanged when refused.

Times are timezone-aware; a naive datetime is taken as UTC (as on the command line). The cursor
always sits on a whole second inside ``[earliest, latest]``, the restore resolution of PITR.
Column mapping, sparkline buckets and labels live in :mod:`lee_console.core.timeline_view`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import Enum
from typing import NamedTuple

from lee_console.core.timeline_time import ceil_second as ceil_second
from lee_console.core.timeline_time import floor_second as floor_second
from lee_console.core.timeline_time import format_ago as format_ago
from lee_console.core.timeline_time import format_span as format_span
from lee_console.core.timeline_time import format_utc as format_utc
from lee_console.core.timeline_time import to_utc as to_utc

STEPS: tuple[timedelta, ...] = (
    timedelta(seconds=1),
    timedelta(seconds=10),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=6),
    timedelta(days=1),
)
"""The cursor steps, finest first; ``[``/``]`` walk through them."""

ZOOM_SPANS: tuple[timedelta, ...] = (
    timedelta(days=35),
    timedelta(days=1),
    timedelta(hours=1),
    timedelta(minutes=10),
)
"""Spans of the visible viewport, widest first. The widest always shows the whole window."""

DEFAULT_STEP_INDEX = 2  # 1 min
DEFAULT_ZOOM_INDEX = 0  # the whole window


class MarkerKind(Enum):
    """What a marker on the band stands for; ``symbol`` is what the band shows (ASCII)."""

    DEPLOYMENT = "D"
    BACKUP = "B"
    SYSTEM_BACKUP = "S"
    BOOKMARK = "*"
    PROBE = "P"

    @property
    def symbol(self) -> str:
        return self.value


MARKER_PRIORITY: tuple[MarkerKind, ...] = (
    MarkerKind.DEPLOYMENT,
    MarkerKind.BOOKMARK,
    MarkerKind.SYSTEM_BACKUP,
    MarkerKind.BACKUP,
    MarkerKind.PROBE,
)
"""When several markers fall in one column, the first kind in this order is drawn."""


@dataclass(frozen=True)
class Marker:
    """A point of interest on the band: a deployment, a backup, a bookmark, a probe."""

    at: datetime
    kind: MarkerKind
    label: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "at", to_utc(self.at))


Sample = tuple[datetime, float]
"""One write-activity sample: its time and its value (for example ConsumedWriteCapacityUnits)."""


class Outcome(NamedTuple):
    """The result of a move: the new state, and why it was refused or stopped short (or None)."""

    state: TimelineState
    reason: str | None = None


@dataclass(frozen=True)
class TimelineState:
    """The scrubber's whole state. Build it with :meth:`create`, which normalises the fields.

    ``earliest``/``latest`` bound the restorable window (whole seconds); ``now`` ends the lag
    band; ``view_start`` is the left edge of the viewport when zoomed in.
    """

    earliest: datetime
    latest: datetime
    now: datetime
    cursor: datetime
    step_index: int = DEFAULT_STEP_INDEX
    zoom_index: int = DEFAULT_ZOOM_INDEX
    markers: tuple[Marker, ...] = ()
    activity: tuple[Sample, ...] = field(default=(), repr=False)
    view_start: datetime | None = None

    @classmethod
    def create(
        cls,
        earliest: datetime,
        latest: datetime,
        now: datetime,
        *,
        cursor: datetime | None = None,
        markers: tuple[Marker, ...] | list[Marker] = (),
        activity: tuple[Sample, ...] | list[Sample] = (),
        step_index: int = DEFAULT_STEP_INDEX,
        zoom_index: int = DEFAULT_ZOOM_INDEX,
    ) -> TimelineState:
        """A normalised state; the cursor defaults to ``latest`` and is clamped to the window.

        Raises ValueError when ``latest`` is before ``earliest``.
        """
        if to_utc(latest) < to_utc(earliest):
            raise ValueError(
                f"The restorable window ends ({format_utc(latest)}) "
                f"before it starts ({format_utc(earliest)})."
            )
        lo = ceil_second(earliest)
        hi = max(lo, floor_second(latest))
        state = cls(
            earliest=lo,
            latest=hi,
            now=max(hi, floor_second(now)),
            cursor=hi if cursor is None else _clamp(floor_second(cursor), lo, hi),
            step_index=min(max(step_index, 0), len(STEPS) - 1),
            zoom_index=min(max(zoom_index, 0), len(ZOOM_SPANS) - 1),
            markers=sort_markers(markers),
            activity=tuple(sorted((to_utc(t), float(v)) for t, v in activity)),
        )
        return state._centre_view()

    # -- derived values --------------------------------------------------------------------

    @property
    def step(self) -> timedelta:
        return STEPS[self.step_index]

    @property
    def lag(self) -> timedelta:
        """How far the latest restorable time trails ``now``."""
        return self.now - self.latest

    def viewport(self) -> tuple[datetime, datetime]:
        """The visible ``(start, end)``: inside ``[earliest, now]``, never shorter than 1 s."""
        full = self.now - self.earliest
        span = ZOOM_SPANS[self.zoom_index]
        if self.zoom_index == 0 or span >= full or self.view_start is None:
            start, end = self.earliest, self.now
        else:
            start = _clamp(self.view_start, self.earliest, self.now - span)
            end = start + span
        return start, max(end, start + timedelta(seconds=1))

    def in_window(self, dt: datetime) -> bool:
        return self.earliest <= to_utc(dt) <= self.latest

    def window_text(self) -> str:
        return f"{format_utc(self.earliest)} to {format_utc(self.latest)}"

    # -- moves -----------------------------------------------------------------------------

    def move(self, direction: int) -> Outcome:
        """Move by ``direction`` steps; past an edge the cursor stops at the edge, and says why."""
        target = self.cursor + self.step * direction
        if target < self.earliest:
            return Outcome(self._at(self.earliest), self._earliest_reason())
        if target > self.latest:
            return Outcome(self._at(self.latest), self._latest_reason())
        return Outcome(self._at(target))

    def step_finer(self) -> Outcome:
        if self.step_index == 0:
            return Outcome(self, f"The step is already the finest, {format_span(STEPS[0])}.")
        return Outcome(replace(self, step_index=self.step_index - 1))

    def step_coarser(self) -> Outcome:
        if self.step_index == len(STEPS) - 1:
            return Outcome(self, f"The step is already the coarsest, {format_span(STEPS[-1])}.")
        return Outcome(replace(self, step_index=self.step_index + 1))

    def jump_earliest(self) -> Outcome:
        return Outcome(self._at(self.earliest))

    def jump_latest(self) -> Outcome:
        return Outcome(self._at(self.latest))

    def zoom_in(self) -> Outcome:
        if self.zoom_index == len(ZOOM_SPANS) - 1:
            span = format_span(ZOOM_SPANS[-1])
            return Outcome(self, f"Already at the closest zoom, {span} across.")
        return Outcome(self._zoom_to(self.zoom_index + 1))

    def zoom_out(self) -> Outcome:
        if self.zoom_index == 0:
            return Outcome(self, "Already showing the whole restorable window.")
        return Outcome(self._zoom_to(self.zoom_index - 1))

    def set_cursor(self, dt: datetime, *, clamp: bool = False) -> Outcome:
        """Put the cursor on ``dt`` (floored to the second).

        Outside the window it is refused (state unchanged), or with ``clamp`` it stops at the edge;
        either way the reason names the window.
        """
        target = floor_second(dt)
        if self.earliest <= target <= self.latest:
            return Outcome(self._at(target))
        edge = self.earliest if target < self.earliest else self.latest
        why = (
            "PITR keeps nothing older"
            if edge == self.earliest
            else f"AWS restores only up to {self._lag_text()} (LatestRestorableDateTime)"
        )
        reason = (
            f"{format_utc(target)} is outside the restorable window {self.window_text()}: {why}."
        )
        return Outcome(self._at(edge) if clamp else self, reason)

    def next_marker(self) -> Outcome:
        """Jump to the next marker after the cursor; refused if none, or if it is not restorable."""
        after = [m for m in self.markers if m.at > self.cursor]
        if not after:
            return Outcome(self, f"No marker after {format_utc(self.cursor)}.")
        return self._jump_to_marker(after[0])

    def prev_marker(self) -> Outcome:
        before = [m for m in self.markers if m.at < self.cursor]
        if not before:
            return Outcome(self, f"No marker before {format_utc(self.cursor)}.")
        return self._jump_to_marker(before[-1])

    def markers_at(self, dt: datetime) -> tuple[Marker, ...]:
        second = floor_second(dt)
        return tuple(m for m in self.markers if floor_second(m.at) == second)

    def add_bookmark(self, at: datetime | None = None, label: str = "") -> Outcome:
        """Bookmark ``at`` (default: the cursor), a restorable second."""
        when = self.cursor if at is None else floor_second(at)
        if not self.in_window(when):
            return Outcome(self, f"Cannot bookmark {format_utc(when)}: it is not restorable.")
        if any(m.kind is MarkerKind.BOOKMARK for m in self.markers_at(when)):
            return Outcome(self, f"{format_utc(when)} is already bookmarked.")
        mark = Marker(when, MarkerKind.BOOKMARK, label)
        return Outcome(replace(self, markers=sort_markers((*self.markers, mark))))

    def remove_bookmark(self, at: datetime | None = None) -> Outcome:
        when = self.cursor if at is None else floor_second(at)
        kept = tuple(
            m
            for m in self.markers
            if not (m.kind is MarkerKind.BOOKMARK and floor_second(m.at) == when)
        )
        if len(kept) == len(self.markers):
            return Outcome(self, f"No bookmark at {format_utc(when)}.")
        return Outcome(replace(self, markers=kept))

    # -- replacing data --------------------------------------------------------------------

    def with_window(self, earliest: datetime, latest: datetime, now: datetime) -> Outcome:
        """The same cursor, step, zoom and markers over a refreshed window.

        The cursor stays where it was; if the window has moved past it, it stops at the edge
        and the reason says so.
        """
        fresh = TimelineState.create(
            earliest,
            latest,
            now,
            cursor=self.cursor,
            markers=self.markers,
            activity=self.activity,
            step_index=self.step_index,
            zoom_index=self.zoom_index,
        )
        fresh = replace(fresh, view_start=self.view_start)._follow()
        if fresh.cursor == self.cursor:
            return Outcome(fresh)
        return Outcome(
            fresh,
            f"The restorable window moved; the cursor now stands at {format_utc(fresh.cursor)}.",
        )

    def with_markers(
        self, markers: tuple[Marker, ...] | list[Marker], *, keep_bookmarks: bool = True
    ) -> TimelineState:
        """New markers (say, from a refresh); the operator's bookmarks stay unless told not to."""
        kept = self.bookmarks if keep_bookmarks else ()
        return replace(self, markers=sort_markers(tuple(set((*kept, *markers)))))

    @property
    def bookmarks(self) -> tuple[Marker, ...]:
        return tuple(m for m in self.markers if m.kind is MarkerKind.BOOKMARK)

    def with_activity(self, activity: tuple[Sample, ...] | list[Sample]) -> TimelineState:
        return replace(self, activity=tuple(sorted((to_utc(t), float(v)) for t, v in activity)))

    # -- helpers ---------------------------------------------------------------------------

    def _at(self, cursor: datetime) -> TimelineState:
        return replace(self, cursor=cursor)._follow()

    def _follow(self) -> TimelineState:
        """Scroll the viewport just enough to keep the cursor in sight."""
        start, end = self.viewport()
        if start <= self.cursor <= end:
            return replace(self, view_start=start)
        span = end - start
        new_start = self.cursor if self.cursor < start else self.cursor - span
        return replace(self, view_start=new_start)

    def _centre_view(self) -> TimelineState:
        span = ZOOM_SPANS[self.zoom_index]
        return replace(self, view_start=floor_second(self.cursor - span / 2))._follow()

    def _zoom_to(self, zoom_index: int) -> TimelineState:
        """Change the zoom with the cursor in the middle of the view, as far as the window
        allows: near ``now`` (or ``earliest``) the view stops at that edge, so zooming in at the
        latest restorable time still shows the lag band."""
        return replace(self, zoom_index=zoom_index, view_start=None)._centre_view()

    def _jump_to_marker(self, marker: Marker) -> Outcome:
        when = floor_second(marker.at)
        if self.in_window(when):
            return Outcome(self._at(when))
        where = "before the earliest" if when < self.earliest else "after the latest"
        return Outcome(
            self,
            f"The {marker.kind.name.lower().replace('_', ' ')} marker {marker.label!r} at "
            f"{format_utc(when)} is {where} restorable time; the window is {self.window_text()}.",
        )

    def _lag_text(self) -> str:
        lag = self.lag
        return "now" if lag < timedelta(seconds=1) else f"about {format_span(lag)} ago"

    def _earliest_reason(self) -> str:
        return (
            f"The cursor stops at the earliest restorable time {format_utc(self.earliest)}: "
            "PITR keeps nothing older."
        )

    def _latest_reason(self) -> str:
        return (
            f"The cursor stops at the latest restorable time {format_utc(self.latest)}: "
            f"AWS can restore only up to {self._lag_text()} (LatestRestorableDateTime)."
        )


def sort_markers(markers: tuple[Marker, ...] | list[Marker]) -> tuple[Marker, ...]:
    """Markers by time, then by :data:`MARKER_PRIORITY`, then by label."""
    return tuple(sorted(markers, key=lambda m: (m.at, MARKER_PRIORITY.index(m.kind), m.label)))


def _clamp(dt: datetime, lo: datetime, hi: datetime) -> datetime:
    return max(lo, min(dt, hi)) if lo <= hi else lo
