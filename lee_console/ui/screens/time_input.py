"""`t`: type a time, read with the same parser as the CLI."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from lee_console.core.errors import TimeParseError
from lee_console.core.timeparse import ACCEPTED_FORMS, parse_time_detailed
from lee_console.ui.screens.modal import ConsoleModal


class TimeInputScreen(ConsoleModal[datetime | None]):
    DEFAULT_CSS = """
    TimeInputScreen { align: center middle; }
    TimeInputScreen > Vertical {
        width: 76; max-width: 100%; height: auto; border: round $accent;
        background: $surface; padding: 0 1;
    }
    TimeInputScreen #time-error { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="time.cancel"),
    ]

    def __init__(self, now: datetime, initial: str = "") -> None:
        super().__init__()
        self.now = now
        self.initial = initial

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Move the cursor to (enter to apply, escape to cancel):")
            yield Input(self.initial, id="time-input")
            yield Static(f"Accepted: {ACCEPTED_FORMS}", classes="dim")
            yield Static(id="time-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        try:
            moment, assumed_utc = parse_time_detailed(event.value, self.now)
        except TimeParseError as error:
            self.query_one("#time-error", Static).update(error.message)
            return
        if assumed_utc:
            self.notify("No zone given: read as UTC.")
        self.dismiss(moment)

    def action_cancel(self) -> None:
        self.dismiss(None)
