"""On launch: restores still running (from the journals and from DescribeTable), offered for
reattaching. Choosing one opens its progress screen with the true elapsed time."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from lee_console.core.inflight import InFlightRestore
from lee_console.core.timeparse import format_relative, format_utc
from lee_console.ui.screens.modal import ConsoleModal


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

    def __init__(self, restores: list[InFlightRestore], now: datetime) -> None:
        super().__init__()
        self.restores = restores
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical():
            count = len(self.restores)
            yield Label(f"{count} restore(s) still in progress. Enter watches one; escape later.")
            options = []
            for entry in self.restores:
                request = entry.request
                ago = format_relative(entry.started_at, self.now)
                started = entry.started_at
                when = (
                    f"{started:%H:%M:%S}Z" if started.date() == self.now.date()
                    else format_utc(started)
                )  # fmt: skip
                text = f"{request.source_table} -> {request.target_table}, started {when} ({ago})"
                options.append(Option(text, id=request.target_table))
            yield OptionList(*options)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def choose(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_later(self) -> None:
        self.dismiss(None)
