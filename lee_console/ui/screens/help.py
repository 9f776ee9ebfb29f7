"""`?`: every key of the screen beneath, built from its live bindings."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def _key_name(binding: Binding) -> str:
    if binding.key_display:
        return binding.key_display
    names = {"left_square_bracket": "[", "right_square_bracket": "]", "colon": ":",
             "slash": "/", "question_mark": "?", "space": "space"}  # fmt: skip
    return names.get(binding.key, binding.key)


def describe_keys(screen: Screen[object]) -> Text:
    text = Text()
    text.append(f"Keys: {screen.title or type(screen).__name__}\n\n", style="bold")
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or binding.description in seen:
            continue
        seen.add(binding.description)
        name = _key_name(binding)
        tooltip = f"  {binding.tooltip}" if binding.tooltip else ""
        state = "" if active.enabled else "  (not available here)"
        text.append(f"{name:>10}  ", style="bold")
        text.append(f"{binding.description}{state}")
        text.append(f"{tooltip}\n", style="dim")
    return text


class HelpScreen(ModalScreen[None]):
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
