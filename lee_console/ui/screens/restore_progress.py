"""A restore as it runs: elapsed time against the estimate, status transitions, a timestamped
log of every poll and event, and the commands sent. Leaving does not stop the restore."""

from __future__ import annotations

from datetime import tzinfo
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, RichLog, Static

from lee_console.core.timeparse import format_utc
from lee_console.ui.point_text import point_text
from lee_console.ui.restores import TrackedRestore
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.widgets.console_footer import ConsoleFooter

CANNOT_CANCEL = (
    "Leaving this screen does not stop the restore: AWS cannot cancel one. "
    "It goes on and stays on the dashboard."
)


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class RestoreProgressScreen(ConsoleAccess, Screen[None]):
    DEFAULT_CSS = """
    RestoreProgressScreen #progress-summary { height: auto; padding: 0 1; }
    RestoreProgressScreen #progress-note { padding: 0 1; text-style: italic; }
    RestoreProgressScreen RichLog { height: 1fr; border: round $primary; overflow-y: auto; }
    RestoreProgressScreen #progress-commands { height: auto; max-height: 4; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back", id="progress.back",
                tooltip="Back to the dashboard; the restore goes on"),
    ]  # fmt: skip

    def __init__(self, target: str, local_tz: tzinfo | None = None) -> None:
        super().__init__()
        self.target = target
        self.local_tz = local_tz
        self.shown_lines = 0
        self.title = f"Restore {target}"

    @property
    def tracked(self) -> TrackedRestore:
        return self.console.restores.restores[self.target]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="progress-summary")
            yield Static(CANNOT_CANCEL, id="progress-note")
            yield Label(" Log (every poll and event):")
            yield RichLog(id="progress-log", wrap=True, markup=False)
            yield Static(id="progress-commands")
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self.console.restores.changed.subscribe(self, self.on_restore_changed)
        self.set_interval(1.0, self.render_summary)
        self.on_restore_changed(self.target)

    def on_restore_changed(self, target: str) -> None:
        if target != self.target:
            return
        log = self.query_one("#progress-log", RichLog)
        for line in self.tracked.log[self.shown_lines :]:
            log.write(line)
        self.shown_lines = len(self.tracked.log)
        commands = "\n".join(f"$ {line}" for line in self.tracked.commands)
        self.query_one("#progress-commands", Static).update(commands or "(no command sent here)")
        self.render_summary()

    def render_summary(self) -> None:
        tracked = self.tracked
        now = self.console.now()
        request = tracked.request
        point = request.restore_point
        point_said = "latest restorable time"
        if point is not None:
            point_said = point_text(point, now, self.local_tz)
        estimate = tracked.estimate.describe() if tracked.estimate else "unknown (reattached)"
        if tracked.error:
            state = f"FAILED: {tracked.error}"
        elif tracked.done:
            state = f"DONE: ACTIVE, {tracked.item_count:,} items" if tracked.item_count else "DONE"
        else:
            state = f"{tracked.status}, restore in progress"
        lines = [
            f"{request.source_table} -> {tracked.target}",
            f"restore point  {point_said}",
            f"started        {format_utc(tracked.started_at)}"
            + ("  (reattached)" if tracked.reattached else ""),
            f"elapsed        {_clock(tracked.elapsed_seconds(now))}   estimate {estimate}",
            f"status         {state}",
        ]
        self.query_one("#progress-summary", Static).update("\n".join(lines))
