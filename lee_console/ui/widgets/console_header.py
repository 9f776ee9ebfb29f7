"""The top line: where the console is pointed, who it is, and how fresh the data is.

The sandbox is unmistakable (a SANDBOX badge) and --read-only shows a banner."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from lee_console.store.journal_file import Journal


def incident_label(journal: Journal | None, read: bool = True) -> str:
    """``incident adhoc-... open`` (or CLOSED, or new: nothing journaled yet), short enough to
    share a line with the endpoint at 80 columns. ``read`` looks at the file (a worker's job);
    without it only the id is known."""
    if journal is None:
        return "no incident journal"
    if not read:
        return f"incident {journal.incident}"
    if not journal.started:
        return f"incident {journal.incident} new"
    return f"incident {journal.incident} {'CLOSED' if journal.closed_at else 'open'}"


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
    incident: reactive[str] = reactive("")
    where: reactive[str] = reactive("")  # the profile's region once the session has read it

    def __init__(self, *, sandbox: bool, read_only: bool, where: str, incident: str = "") -> None:
        super().__init__()
        self.sandbox = sandbox
        self.read_only = read_only
        self.set_reactive(ConsoleHeader.where, where)
        self.set_reactive(ConsoleHeader.incident, incident)

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
        line.append(f"\n{self.incident}", style="bold")
        line.append(f"  {self.where}")
        line.append(f"\n{self.identity}", style="dim")
        return line
