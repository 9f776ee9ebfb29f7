"""`d` on the runbook: declare the incident, so the report can measure time to detect and the
timeline can start one minute before the damage."""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from lee_console.core.errors import LeeError
from lee_console.core.incident import declaration
from lee_console.core.timeparse import ACCEPTED_FORMS, parse_time
from lee_console.ui.screens.modal import ConsoleModal


class DeclareScreen(ConsoleModal[dict[str, Any] | None]):
    DEFAULT_CSS = """
    DeclareScreen { align: center middle; }
    DeclareScreen > Vertical {
        width: 80; max-width: 100%; height: auto; border: round $warning;
        background: $surface; padding: 0 1;
    }
    DeclareScreen .field { height: 1; }
    DeclareScreen .field Label { width: 22; }
    DeclareScreen .field Input { width: 1fr; }
    DeclareScreen #declare-error { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="declare.cancel"),
    ]

    def __init__(self, table: str, now: datetime, damage_hint: str = "") -> None:
        super().__init__()
        self.table = table
        self.now = now
        self.damage_hint = damage_hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Declare the incident on {self.table} (enter saves, escape cancels)")
            with Horizontal(classes="field"):
                yield Label("damage began at")
                yield Input(self.damage_hint, placeholder="unknown", id="damage", compact=True)
            with Horizontal(classes="field"):
                yield Label("detected at")
                yield Input("now", id="detected", compact=True)
            yield Static(f"Times: {ACCEPTED_FORMS}")
            yield Static(id="declare-error")

    def on_mount(self) -> None:
        self.query_one("#damage", Input).focus()

    @on(Input.Submitted)
    def submit(self) -> None:
        try:
            damage_text = self.query_one("#damage", Input).value.strip()
            damage = parse_time(damage_text, self.now) if damage_text else None
            detected = parse_time(self.query_one("#detected", Input).value, self.now)
            self.dismiss(declaration(self.table, damage, detected, self.now))
        except LeeError as error:
            self.query_one("#declare-error", Static).update(error.message)

    def action_cancel(self) -> None:
        self.dismiss(None)
