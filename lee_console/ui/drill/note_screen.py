"""The drill's boxed notes over the screen (the page, the hints): 76 columns wide, scrolling
when taller than the terminal."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from lee_console.ui.screens.modal import ConsoleModal, ResultT

NOTE_WIDTH = 72  # the box's 76 columns less its border and padding: text pre-wrapped to it


class NoteScreen(ConsoleModal[ResultT]):
    DEFAULT_CSS = """
    NoteScreen { align: center middle; }
    NoteScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 90%; border: round $warning;
        background: $surface; padding: 0 1;
    }
    """

    def note(self) -> str:
        """The text in the box."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(self.note(), id="note")
