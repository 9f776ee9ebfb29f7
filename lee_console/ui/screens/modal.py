"""Modals that are dismissed once, only while they are on top, and only once they are built.

Keys typed faster than the screen handles them (a laggy SSH link delivers `r enter tab enter`
5 ms apart) queue two button presses on the restore plan before the first is handled: Cancel,
then Restore. The first press dismissed the plan; Textual's ``dismiss`` pops whatever screen
is on top, so the second popped the dashboard beneath it, leaving Textual's blank default
screen. And a press that arrives while the plan's widgets are still mounting removed the plan
under them (its Select then failed to find its own overlay, and the app stopped)."""

from __future__ import annotations

from functools import partial
from typing import TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import ModalScreen
from textual.widget import Widget

ResultT = TypeVar("ResultT")
MAX_DEFERRALS = 100  # refreshes to wait for the widgets to mount before dismissing anyway


class ConsoleModal(ModalScreen[ResultT]):
    """A ModalScreen whose ``dismiss`` waits until every widget of it is mounted, and does
    nothing once the modal is no longer the top screen (a late, queued press)."""

    deferrals = 0

    def dismiss(self, result: ResultT | None = None) -> AwaitComplete:
        if not self.is_active:  # already dismissed (or covered)
            return AwaitComplete()
        built = all(node.is_mounted for node in self.walk_children(Widget, with_self=True))
        if not built and self.deferrals < MAX_DEFERRALS:
            self.deferrals += 1
            self.call_after_refresh(partial(self._dismiss_later, result))
            return AwaitComplete()
        return super().dismiss(result)

    def _dismiss_later(self, result: ResultT | None) -> None:
        """The deferred dismiss, returning nothing: Textual awaits what a callback returns, and
        awaiting a dismiss from the screen's own message handler is a ScreenError (a burst of
        keys in tmux ended the console so)."""
        self.dismiss(result)
