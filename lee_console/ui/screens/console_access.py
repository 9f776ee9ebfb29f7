"""Screens reach the console's source, config, clock and restore tracker through the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from lee_console.ui.app import LeeConsoleApp
    from lee_console.ui.loading import ScreenLoad


class ConsoleAccess(DOMNode):
    """Mixed into the console's screens: ``self.console`` is the app, typed."""

    @property
    def console(self) -> LeeConsoleApp:
        from lee_console.ui.app import LeeConsoleApp

        assert isinstance(self.app, LeeConsoleApp)
        return self.app

    @property
    def screen_loads(self) -> list[ScreenLoad]:
        """The reads this screen follows (each ScreenLoad adds itself)."""
        loads: list[ScreenLoad] = vars(self).setdefault("_screen_loads", [])
        return loads

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """This screen's workers report here alone (the message does not bubble to the app): a
        followed read shows its failure in place; any other worker's error is notified."""
        if any(load.handle(event) for load in self.screen_loads):
            return
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.console.worker_failed(event.worker.error, event.worker.name)
