"""The quarterly restore test of one table, from the command palette ("DR test: TABLE"): runs
`dr-test` (aws/drtest.py test_and_save: a random point of the window, the shipped rules) in a
thread worker, shows its progress lines, then the same Markdown report the command saves.
Escape while it runs stops waiting and deletes the scratch table first (the worker does)."""

from __future__ import annotations

import threading
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, Static

from lee_console.core.errors import LeeError
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.widgets.console_footer import ConsoleFooter


class DrTestScreen(ConsoleAccess, Screen[None]):
    DEFAULT_CSS = """
    DrTestScreen #drtest-status { padding: 0 1; height: auto; }
    DrTestScreen #drtest-log { padding: 0 1; height: auto; color: $text-muted; }
    DrTestScreen VerticalScroll { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Back", id="drtest.back",
                tooltip="Back; a running test stops and deletes its scratch table first"),
    ]  # fmt: skip

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table
        self.title = f"DR test: {table}"
        self.cancelled = threading.Event()
        self.running = False
        self.lines: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(f"DR test of {self.table}: starting...", id="drtest-status")
        yield Static("", id="drtest-log")
        with VerticalScroll():
            yield Markdown()
        yield ConsoleFooter()

    def on_mount(self) -> None:
        if self.console.source.read_only:
            self.status(
                f"Not testing a restore of {self.table}: the console runs with --read-only "
                "(dr-test restores a scratch table)."
            )
            return
        self.running = True
        self.run_test()

    @work(thread=True, exclusive=True, group="dr-test", exit_on_error=False)
    def run_test(self) -> None:
        def say(line: str) -> None:
            self.app.call_from_thread(self.progress, line)

        try:
            report = self.console.source.dr_test(self.table, say, self.cancelled)
        except KeyboardInterrupt:
            self.app.call_from_thread(self.finished, None, "Stopped; the scratch table is deleted.")
        except LeeError as error:
            self.app.call_from_thread(self.finished, None, f"DR test failed: {error.message}")
        else:
            self.app.call_from_thread(self.finished, report, None)

    def progress(self, line: str) -> None:
        self.lines = [*self.lines[-4:], line]
        self.query_one("#drtest-log", Static).update("\n".join(self.lines))
        self.status(f"DR test of {self.table}: running (escape stops it and cleans up)")

    def finished(self, report: str | None, problem: str | None) -> None:
        self.running = False
        if report is not None:
            verdict = report.splitlines()[0].removeprefix("# ")
            self.status(f"{verdict}; saved with the table's dr-test history.")
            self.query_one("#drtest-log", Static).display = False
            self.query_one(Markdown).update(report)
        else:
            self.status(problem or "")
        if self.cancelled.is_set():
            self.dismiss()

    def status(self, text: str) -> None:
        self.query_one("#drtest-status", Static).update(text)

    def action_leave(self) -> None:
        if self.running:
            self.cancelled.set()
            self.status("Stopping: deleting the scratch table before leaving...")
            return
        self.dismiss()
