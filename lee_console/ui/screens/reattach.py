"""On launch: restores still running (from the journals and from DescribeTable), offered for
reattaching. Choosing one opens its progress screen with the true elapsed time. The console
follows them all meanwhile: the list says, every second, how long each has run and which have
finished since it opened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from lee_console.core.inflight import InFlightRestore
from lee_console.core.timeparse import format_relative, format_utc
from lee_console.ui.screens.modal import ConsoleModal

if TYPE_CHECKING:
    from lee_console.ui.restores import TrackedRestore

Followed = Callable[[str], "TrackedRestore | None"]  # the console's tracking of a target


class ReattachScreen(ConsoleModal[str | None]):
    DEFAULT_CSS = """
    ReattachScreen { align: center middle; }
    ReattachScreen > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 80%;
        border: round $warning; background: $surface; padding: 0 1;
    }
    ReattachScreen OptionList { height: auto; max-height: 12; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Later", id="reattach.later",
                tooltip="Keep following them from the dashboard"),
    ]  # fmt: skip

    def __init__(
        self,
        restores: list[InFlightRestore],
        clock: Callable[[], datetime],
        followed: Followed = lambda target: None,
    ) -> None:
        super().__init__()
        self.restores = restores
        self.clock = clock
        self.followed = followed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading_text(), id="reattach-heading")
            lines = [Option(self.entry_text(e), id=e.request.target_table) for e in self.restores]
            yield OptionList(*lines)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.set_interval(1.0, self.update_lines)

    def update_lines(self) -> None:
        self.query_one("#reattach-heading", Label).update(self.heading_text())
        options = self.query_one(OptionList)
        for entry in self.restores:
            options.replace_option_prompt(entry.request.target_table, self.entry_text(entry))

    def heading_text(self) -> str:
        running = sum(1 for entry in self.restores if not self._finished(entry))
        done = len(self.restores) - running
        since = f"; {done} finished since" if done else ""
        return f"{running} restore(s) still in progress{since}. Enter watches one; escape later."

    def entry_text(self, entry: InFlightRestore) -> str:
        now = self.clock()
        request, started = entry.request, entry.started_at
        when = f"{started:%H:%M:%S}Z" if started.date() == now.date() else format_utc(started)
        head = f"{request.source_table} -> {request.target_table}, started {when}"
        tracked = self.followed(request.target_table)
        if tracked is not None and tracked.error is not None:
            return f"{head}: FAILED, {tracked.error}"
        if tracked is not None and tracked.finished_at is not None:
            return f"{head}: done, {tracked.status}"
        return f"{head} ({format_relative(started, now)})"

    def _finished(self, entry: InFlightRestore) -> bool:
        tracked = self.followed(entry.request.target_table)
        return tracked is not None and tracked.done

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_later(self) -> None:
        self.dismiss(None)
