"""A destructive change (cutover, write-back repair, override): the operator types the name it
acts on. Nothing is focused on a button; enter with the wrong text does nothing but say so."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from lee_console.ui.screens.modal import ConsoleModal


class TypedConfirmScreen(ConsoleModal[str | None]):
    """Returns the reason typed (may be empty) once the expected text was typed, else None."""

    DEFAULT_CSS = """
    TypedConfirmScreen { align: center middle; }
    TypedConfirmScreen > Vertical {
        width: 78; max-width: 100%; height: auto; border: thick $error;
        background: $surface; padding: 0 1;
    }
    TypedConfirmScreen #typed-error { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="typed.cancel"),
    ]

    def __init__(self, what: str, expected: str, ask_reason: bool = False) -> None:
        super().__init__()
        self.what = what
        self.expected = expected
        self.ask_reason = ask_reason

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.what)
            yield Label(f"Type {self.expected} to confirm (escape cancels):")
            yield Input(id="typed-name", compact=True)
            if self.ask_reason:
                yield Label("Reason (goes into the journal):")
                yield Input(id="typed-reason", compact=True)
            yield Static(id="typed-error")

    def on_mount(self) -> None:
        self.query_one("#typed-name", Input).focus()

    @on(Input.Submitted)
    def submit(self) -> None:
        typed = self.query_one("#typed-name", Input).value.strip()
        if typed != self.expected:
            self.query_one("#typed-error", Static).update(
                f"That is not {self.expected}: nothing was done."
            )
            return
        reason = ""
        if self.ask_reason:
            reason = self.query_one("#typed-reason", Input).value.strip()
            if not reason:
                self.query_one("#typed-error", Static).update("Give a reason for the journal.")
                self.query_one("#typed-reason", Input).focus()
                return
        self.dismiss(reason)

    def action_cancel(self) -> None:
        self.dismiss(None)
