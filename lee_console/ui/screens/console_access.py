"""Screens reach the console's source, config, clock and restore tracker through the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.dom import DOMNode

if TYPE_CHECKING:
    from lee_console.ui.app import LeeConsoleApp


class ConsoleAccess(DOMNode):
    """Mixed into the console's screens: ``self.console`` is the app, typed."""

    @property
    def console(self) -> LeeConsoleApp:
        from lee_console.ui.app import LeeConsoleApp

        assert isinstance(self.app, LeeConsoleApp)
        return self.app
