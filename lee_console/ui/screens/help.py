"""`?`: every key of the screen beneath, built from its live bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from lee_console.ui.screens.modal import ConsoleModal


def _key_name(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {"left_square_bracket": "[", "right_square_bracket": "]", "colon": ":",
             "slash": "/", "question_mark": "?", "space": "space"}  # fmt: skip
    return names.get(binding.key, binding.key)


def describe_keys(screen: Screen[object]) -> Text:
    """This screen's own keys first, then the focused widget's, then the keys that work
    everywhere, and last Textual's generic focus and copy keys."""
    generic = {key for b in _bindings(Screen.BINDINGS) for key in b.key.split(",")}
    groups: dict[str, list[tuple[Binding, bool]]] = {
        "screen": [], "widget": [], "app": [], "generic": []
    }  # fmt: skip
    for active in screen.active_bindings.values():
        if active.node is screen:
            group = "generic" if active.binding.key in generic else "screen"
        elif active.node is screen.app:
            group = "app"
        else:
            group = "widget"
        groups[group].append((active.binding, active.enabled))
    titles = {
        "screen": f"Keys: {screen.title or type(screen).__name__}",
        "widget": "In the focused list or band",
        "app": "Everywhere",
        "generic": "Focus and copy",
    }
    text = Text()
    for group, entries in groups.items():
        shown = [(b, enabled) for b, enabled in entries if b.description]
        if not shown:
            continue
        text.append(f"{titles[group]}\n", style="bold")
        for binding, enabled in shown:
            text.append(f"{_key_name(binding):>12}  ", style="bold")
            text.append(binding.description + ("" if enabled else " (not available now)"))
            if binding.tooltip:
                text.append(f"  {binding.tooltip}", style="dim")
            text.append("\n")
        text.append("\n")
    return text


def _bindings(declared: list[BindingType]) -> list[Binding]:
    return [b for b in declared if isinstance(b, Binding)]


class HelpScreen(ConsoleModal[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 90%;
        border: round $accent; padding: 0 1; background: $surface;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "Close help", id="help.close"),
    ]

    def __init__(self, beneath: Screen[object]) -> None:
        super().__init__()
        self.beneath = beneath

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(describe_keys(self.beneath))
            yield Static("escape closes this help", classes="dim")
