"""The post-incident report, built from the journal alone, as the `report` command prints it.
`w` writes it next to the journal as Markdown."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, Static

from lee_console.core.report.build import Report, build_report
from lee_console.core.report.render import timeline_rows
from lee_console.store.private import write_private
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.widgets.console_footer import ConsoleFooter


class ReportScreen(ConsoleAccess, Screen[None]):
    DEFAULT_CSS = """
    ReportScreen #report-summary { padding: 0 1; height: auto; }
    ReportScreen VerticalScroll { height: 1fr; }
    """
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
        yield Static("Building the report from the journal...", id="report-summary")
        with VerticalScroll():
            yield Markdown()
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self.build()

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def build(self) -> None:
        """Read and fold the journal off the UI thread: it may hold 100,000 events."""
        journal = self.console.source.journal
        events = journal.events() if journal else []
        report = build_report(
            events,
            rto_target_minutes=self.console.config.rto_target_minutes,
            rto_clock=self.console.config.rto_clock,
            incident=journal.incident if journal else None,
        )
        self.app.call_from_thread(self.show, report.to_markdown(), summary(report))

    def show(self, markdown: str, top: Text) -> None:
        if self.is_mounted:
            self.markdown = markdown
            self.query_one("#report-summary", Static).update(top)
            self.query_one(Markdown).update(markdown)

    def action_write(self) -> None:
        journal = self.console.source.journal
        if journal is None:
            self.notify("No journal: nothing to write.", severity="warning")
            return
        if not self.markdown:
            self.notify("The report is still being built.", severity="warning")
            return
        path = write_private(journal.path.with_suffix(".report.md"), self.markdown)
        self.notify(f"Report written to {path}")


def summary(report: Report) -> Text:
    """Above the full report, what the review looks at first: the verdict and every
    milestone's time, in as many lines as there are milestones."""
    text = Text()
    text.append(f"{report.rto.verdict}. ", style="bold")
    text.append(report.rto.other_clock)
    rows, _ = timeline_rows(report)
    width = max(len(label) for label, _, _ in rows)
    text.append(f"\n{'MILESTONE':<{width}}  {'TIME (UTC)':<20}  SINCE PREVIOUS", style="bold")
    for label, when, since in rows:
        text.append(f"\n{label:<{width}}  {when:<20}  {since}")
    return text
