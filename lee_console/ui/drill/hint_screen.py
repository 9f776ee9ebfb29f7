"""`h`: the hints seen so far (free to read again) and the next one, shown only once the
participant accepts its cost."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from lee_console.core.drill.hints import HINT_COST, hints_for
from lee_console.ui.drill.note_screen import NoteScreen


def hints_text(scenario: str, seen: int, offer: bool) -> str:
    hints = hints_for(scenario)
    lines = [f"Hint {n}: {text}" for n, text in enumerate(hints[:seen], start=1)]
    if seen >= len(hints):
        lines.append("No further hint.")
    elif offer:
        lines.append(
            f"Hint {seen + 1} of {len(hints)} costs {HINT_COST} points: y shows it, "
            "escape goes back without it."
        )
    return "\n\n".join(lines)


class HintScreen(NoteScreen[bool]):
    """Dismissed with True when the participant takes the next hint (the caller journals it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "take", "Take the hint", id="hint.take"),
        Binding("escape", "close", "Back", id="hint.close"),
    ]

    def __init__(self, scenario: str, seen: int, offer: bool = True) -> None:
        super().__init__()
        self.scenario = scenario
        self.seen = seen
        self.offer = offer and seen < len(hints_for(scenario))

    def note(self) -> str:
        return hints_text(self.scenario, self.seen, self.offer)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.offer if action == "take" else True

    def action_take(self) -> None:
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
