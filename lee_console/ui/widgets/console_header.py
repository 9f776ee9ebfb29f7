"""The top line: where the console is pointed, who it is, and how fresh the data is.

The sandbox is unmistakable (a SANDBOX badge) and --read-only shows a banner."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static


class ConsoleHeader(Static):
    DEFAULT_CSS = """
    ConsoleHeader {
        dock: top;
        height: 3;
        background: $panel;
        color: $text;
        padding: 0 1;
    }
    """

    identity: reactive[str] = reactive("caller: loading...")
    refreshed: reactive[datetime | None] = reactive(None)

    def __init__(self, *, sandbox: bool, read_only: bool, where: str) -> None:
        super().__init__()
        self.sandbox = sandbox
        self.read_only = read_only
        self.where = where

    def render(self) -> Text:
        line = Text()
        line.append("lee-console ", style="bold")
        if self.sandbox:
            line.append(" SANDBOX ", style="bold reverse")
            line.append(" not production ", style="italic")
        else:
            line.append(" AWS ", style="bold reverse")
        if self.read_only:
            line.append(" ")
            line.append(" READ-ONLY ", style="bold reverse")
        stamp = self.refreshed.strftime("%H:%M:%SZ") if self.refreshed is not None else "loading..."
        line.append(f"  refreshed {stamp}")
        line.append(f"\n{self.where}")
        line.append(f"\n{self.identity}", style="dim")
        return line
