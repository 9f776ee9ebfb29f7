"""What `q` says when restores are still running: AWS goes on with them (a restore cannot be
cancelled), and the next launch of the console finds them and offers to follow them."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual.binding import Binding, BindingType

from lee_console.core.timeparse import format_relative
from lee_console.ui.restores import TrackedRestore
from lee_console.ui.screens.confirm import ConfirmScreen


def _named(restores: list[TrackedRestore], now: datetime) -> str:
    parts = []
    for tracked in restores:
        started = format_relative(tracked.started_at, now)
        parts.append(
            f"{tracked.request.source_table} -> {tracked.target} ({tracked.status}, "
            f"started {started})"
        )
    return "; ".join(parts)


def running(restores: dict[str, TrackedRestore]) -> list[TrackedRestore]:
    return [tracked for tracked in restores.values() if not tracked.done]


def quit_question(restores: list[TrackedRestore], now: datetime) -> str:
    """The confirmation before leaving with restores running."""
    count = len(restores)
    them = "it" if count == 1 else "them"
    return (
        f"Quit? {count} restore(s) go on in AWS after the console quits (AWS cannot cancel "
        f"a restore): {_named(restores, now)}. The next launch finds {them} and offers to "
        f"follow {them} (reattach). q again, or tab then enter, quits."
    )


def exit_message(restores: list[TrackedRestore], now: datetime) -> str:
    """Printed once the console has left the screen."""
    count = len(restores)
    them = "it" if count == 1 else "them"
    return (
        f"lee-console: {count} restore(s) go on in AWS: {_named(restores, now)}. "
        f"Launch lee-console again to reattach and follow {them} to ACTIVE."
    )


class QuitScreen(ConfirmScreen):
    """The question `q` asks with restores running (Cancel focused); q again quits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit_now", "Quit", id="quit.again", tooltip="Quit; the restores go on"),
    ]

    def action_quit_now(self) -> None:
        self.dismiss(True)
