"""`enter` on a table: its PITR window as a timeline to scrub to the second, with deployments,
backups, bookmarks and write activity; `r` plans a restore to the cursor, `d` finds the damage
from the cursor to now with incremental exports."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from lee_console.aws.findgood import ProbeUpdate
from lee_console.core.findgood import SearchResult
from lee_console.core.restore_point import suggested_restore_point
from lee_console.core.runbook import Runbook
from lee_console.core.timeline import Marker, MarkerKind, TimelineState
from lee_console.core.timeline_frame import nearest_markers, opening_zoom
from lee_console.core.timeparse import format_utc
from lee_console.core.views import TimelineData
from lee_console.ui.loading import ScreenLoad
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.screens.find_good import FindGoodScreen, SearchChoice
from lee_console.ui.screens.time_input import TimeInputScreen
from lee_console.ui.widgets.console_footer import ConsoleFooter
from lee_console.ui.widgets.timeline import Timeline

WINDOW_REFRESH_SECONDS = 30.0
MARKERS_LISTED = 20  # as many as the screen has room for are shown, nearest first


class TimelineLoaded(Message):
    def __init__(self, data: TimelineData, damage_start: datetime | None) -> None:
        super().__init__()
        self.data = data
        self.damage_start = damage_start


class TimelineScreen(ConsoleAccess, Screen[None]):
    DEFAULT_CSS = """
    TimelineScreen #timeline-title { padding: 0 1; text-style: bold; }
    TimelineScreen #timeline-info { padding: 0 1; height: auto; }
    TimelineScreen #timeline-markers {
        padding: 0 1; height: 1fr; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "restore", "Restore", id="timeline.restore",
                tooltip="Plan a restore of this table to the cursor's second"),
        Binding("g", "find_good", "Find good", id="timeline.find-good",
                tooltip="Search the window with probe restores for the last point with no "
                "integrity violations"),
        Binding("d", "damage", "Damage", id="timeline.damage",
                tooltip="Find the damage from the cursor to now with incremental exports (no "
                "restore, the table not read)"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="timeline.reload",
                tooltip="Read the window, deployments and activity again"),
        Binding("escape", "app.pop_screen", "Back", show=False, id="timeline.back"),
    ]  # fmt: skip

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table
        self.data: TimelineData | None = None
        self.probes: dict[datetime, Marker] = {}
        self.suggestion = ""  # why the cursor was set where it was, while it is still there
        self.suggested_at: datetime | None = None
        self.info_lines: list[str] = []  # the window line and the warnings of the last read
        self.refresh_timer: Timer | None = None
        self.stop_search = threading.Event()
        self.title = f"Timeline {table}"
        self.reads = ScreenLoad(self, self.show_info)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only offers no restore and no find-good (its probes are restores); the guard in
        aws/ refuses them regardless."""
        return not (action in ("restore", "find_good", "damage") and self.console.source.read_only)

    def compose(self) -> ComposeResult:
        yield Static(f"{self.table}: PITR timeline", id="timeline-title")
        yield Static(
            f"Loading the window, deployments and activity of {self.table}...", id="timeline-info"
        )
        yield Static(id="timeline-markers")
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        """Read the window (again); a refresh of a window already shown keeps it on screen
        unless it fails or outlasts the deadline."""
        if self.is_attached:
            what = f"Loading the window, deployments and activity of {self.table}"
            self.reads.begin(self.load(), what, quiet=self.data is not None)

    def show_info(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#timeline-info", Static).update(text)

    @work(thread=True, exclusive=True, group="timeline", exit_on_error=False)
    def load(self) -> None:
        try:
            data = self.console.source.timeline(self.table, self.console.now())
            self.post_message(TimelineLoaded(data, self.damage_start()))
        finally:
            self.app.call_from_thread(self.schedule_refresh)

    def schedule_refresh(self) -> None:
        """One pending window refresh, none once the screen is gone."""
        if self.refresh_timer is not None:
            self.refresh_timer.stop()
        self.refresh_timer = None
        if self.is_attached:
            self.refresh_timer = self.set_timer(WINDOW_REFRESH_SECONDS, self.action_reload)

    @on(TimelineLoaded)
    def show(self, message: TimelineLoaded) -> None:
        data = message.data
        self.data = data
        pitr = data.table.pitr
        info = self.query_one("#timeline-info", Static)
        if not pitr.enabled or pitr.earliest is None or pitr.latest is None:
            enable = (
                "Read-only: enabling it is not offered here."
                if self.console.source.read_only
                else "Press escape, then e on the dashboard to enable it."
            )
            info.update(
                f"PITR is disabled on {self.table}: there is no window to restore from. {enable}"
            )
            return
        existing = self.query(Timeline)
        if existing:
            existing.first().update_window(pitr.earliest, pitr.latest, data.loaded_at)
            existing.first().set_activity(data.activity)
        else:
            suggestion = suggested_restore_point(
                data.markers, pitr.earliest, pitr.latest, message.damage_start
            )
            cursor = suggestion[0] if suggestion else None
            # Open close enough to see both sides of the suggested second (the writes jump at a
            # bad deployment), the cursor in the middle where the window allows.
            framed = TimelineState.create(pitr.earliest, pitr.latest, data.loaded_at, cursor=cursor)
            timeline = Timeline(
                pitr.earliest,
                pitr.latest,
                data.loaded_at,
                markers=data.markers,
                activity=data.activity,
                cursor=cursor,
                zoom_index=opening_zoom(framed),
                local_tz=self.console.local_tz,
                id="timeline",
            )
            timeline.fit_to(self.app.size.height)
            if suggestion:
                self.suggest(suggestion[0], f"cursor set {suggestion[1]}")
            self.mount(timeline, after=self.query_one("#timeline-title"))
            timeline.focus()
            self.call_after_refresh(self.show_markers)
        coverage = pitr.coverage_days or 0.0
        self.info_lines = [
            f"window {format_utc(pitr.earliest)} -> {format_utc(pitr.latest)} "
            f"({coverage:.1f} d), read {data.loaded_at:%H:%M:%S}Z",
            *(f"! {warning}" for warning in data.warnings),
        ]
        self.show_window_info()

    def suggest(self, at: datetime, why: str) -> None:
        then = "" if self.console.source.read_only else "; r restores to it"
        self.suggestion, self.suggested_at = f"{why}{then}", at

    def show_window_info(self) -> None:
        """The window, why the cursor is where it is (only while it is there: `r` restores to
        the cursor, not to the suggestion), and the read's warnings."""
        timeline = self.query(Timeline)
        here = timeline.first().cursor.replace(microsecond=0) if timeline else None
        at = self.suggested_at.replace(microsecond=0) if self.suggested_at else None
        if self.suggestion and here is not None and here != at:
            self.suggestion, self.suggested_at = "", None  # moved away: it no longer says
        lines = self.info_lines[:1] + ([self.suggestion] if self.suggestion else [])
        self.query_one("#timeline-info", Static).update("\n".join(lines + self.info_lines[1:]))

    def on_resize(self, event: events.Resize) -> None:
        for timeline in self.query(Timeline):
            timeline.fit_to(event.size.height)

    @on(Timeline.CursorMoved)
    @on(Timeline.BookmarkAdded)
    @on(Timeline.BookmarkRemoved)
    def show_markers(self) -> None:
        """The markers nearest the cursor, with their exact times, in the room left."""
        if self.suggestion:
            self.show_window_info()
        timeline = self.query(Timeline)
        if not timeline or not timeline.first().state.markers:
            return
        lines = nearest_markers(timeline.first().state, MARKERS_LISTED)
        self.query_one("#timeline-markers", Static).update(
            "\n".join(["Markers nearest the cursor (n next, p previous):", *lines])
        )

    @on(Timeline.TimeRequested)
    def type_time(self) -> None:
        timeline = self.query(Timeline)
        if not timeline:
            return
        initial = format_utc(timeline.first().cursor)

        def apply(moment: datetime | None) -> None:
            if moment is not None:
                timeline.first().set_cursor(moment)

        self.app.push_screen(TimeInputScreen(self.console.now(), initial), apply)

    def action_find_good(self) -> None:
        if self.console.source.read_only:
            self.notify("Read-only: find-good restores probe tables, so it is not offered.")
            return

        def start(choice: SearchChoice | None) -> None:
            if choice is not None:
                self.notify(
                    "Searching: probes appear on the timeline as P. Leaving this screen stops "
                    "the search after the running probes, which are still deleted."
                )
                self.search(choice)

        self.app.push_screen(FindGoodScreen(self.table), start)

    @work(thread=True, exclusive=True, group="find-good", exit_on_error=False)
    def search(self, choice: SearchChoice) -> None:
        result = self.console.source.find_good(
            self.table,
            choice.precision,
            choice.parallel,
            choice.window,
            on_probe=lambda update: self.app.call_from_thread(self.show_probe, update),
            cancelled=self.stop_search,
            adaptive=choice.adaptive,
        )
        self.app.call_from_thread(self.found, result)

    def show_probe(self, update: ProbeUpdate) -> None:
        if not self.is_attached:
            return
        probe = update.probe
        verdict = {True: "good", False: "bad", None: update.phase}[probe.good]
        self.probes[probe.point] = Marker(probe.point, MarkerKind.PROBE, f"probe {verdict}")
        timeline = self.query(Timeline)
        if timeline and self.data is not None:
            timeline.first().set_markers((*self.data.markers, *self.probes.values()))
            self.show_markers()
        self.query_one("#timeline-info", Static).update(update.line())

    def found(self, result: SearchResult) -> None:
        self.notify(result.describe(), title="Find good point", timeout=20)
        if not self.is_attached:
            return
        self.query_one("#timeline-info", Static).update(result.describe())
        timeline = self.query(Timeline)
        if result.last_good is not None and timeline:
            timeline.first().set_cursor(result.last_good)

    def on_unmount(self) -> None:
        self.stop_search.set()  # the running probes are still deleted
        if self.refresh_timer is not None:
            self.refresh_timer.stop()

    def damage_start(self) -> datetime | None:
        """The damage start declared in this incident's journal for this table, if any."""
        journal = self.console.source.journal
        if journal is None:
            return None
        book = Runbook.from_events(journal.events(), self.table)
        return book.damage_start if book.table == self.table else None

    def action_restore(self) -> None:
        timeline = self.query(Timeline)
        if self.data is None or not timeline:
            self.notify("The window is still loading.", severity="warning")
            return
        self.console.plan_restore([self.data.table], timeline.first().cursor)

    def action_damage(self) -> None:
        """The damage from the cursor to now (ui/screens/damage.py); a first damaging write
        found puts the cursor on the second before it, the default restore point."""
        timeline = self.query(Timeline)
        if self.data is None or not timeline:
            self.notify("The window is still loading.", severity="warning")
            return
        from lee_console.ui.screens.damage import DamageScreen

        def found(first: datetime | None) -> None:
            if first is None or not self.is_attached:
                return
            point = first.replace(microsecond=0) - timedelta(seconds=1)
            timeline.first().set_cursor(point)
            why = f"cursor set 1 s before the first damaging write {format_utc(first)}"
            self.suggest(point, why)
            self.show_window_info()

        self.app.push_screen(DamageScreen(self.table, timeline.first().cursor), found)
