"""The post-incident report, built from the journal alone, as the `report` command prints it.
`w` writes it next to the journal as Markdown."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown

from lee_console.core.report import build_report
from lee_console.ui.screens.console_access import ConsoleAccess


class ReportScreen(ConsoleAccess, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("w", "write", "Write file", id="report.write",
                tooltip="Save the report as Markdown beside the journal"),
        Binding("escape", "app.pop_screen", "Back", id="report.back"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.markdown = ""
        self.title = "Report"

    def compose(self) -> ComposeResult:
        journal = self.console.source.journal
        events = list(journal.events()) if journal else []
        report = build_report(
            events,
            rto_target_minutes=self.console.config.rto_target_minutes,
            rto_clock=self.console.config.rto_clock,
            incident=journal.incident if journal else None,
        )
        self.markdown = report.to_markdown()
        with VerticalScroll():
            yield Markdown(self.markdown)
        yield Footer()

    def action_write(self) -> None:
        journal = self.console.source.journal
        if journal is None:
            self.notify("No journal: nothing to write.", severity="warning")
            return
        path = journal.path.with_suffix(".report.md")
        path.write_text(self.markdown, encoding="utf-8")
        self.notify(f"Report written to {path}")
