"""Screens reach the console's source, config, clock and restore tracker through the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerState

if TYPE_CHECKING:
    from textual.dom import DOMNode as _Node

    from lee_console.ui.app import LeeConsoleApp
    from lee_console.ui.loading import ScreenLoad
else:
    _Node = object


class ConsoleAccess(_Node):
    """Mixed into the console's screens: ``self.console`` is the app, typed.

    It is a DOMNode for the type checker only. Textual takes a class's CSS from the chain of
    its first DOMNode bases: a DOMNode mixin listed first hid Screen's own rules (its opaque
    background among them) from every console screen, so the screen beneath showed through
    wherever the one on top drew nothing."""

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
