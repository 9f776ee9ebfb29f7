"""Verify a restored table: exact item counts of restored and live, key schema and indexes
compared, the integrity rules on every item, and the diff restored -> live with sample keys.
The result goes into the journal; a pass unlocks cutover."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from lee_console.core.verify import VerifyReport
from lee_console.core.verify_text import render_report, rules_summary, verdict
from lee_console.ui.loading import ScreenLoad
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.widgets.console_footer import ConsoleFooter


class Verified(Message):
    def __init__(self, report: VerifyReport) -> None:
        super().__init__()
        self.report = report


class VerifyScreen(ConsoleAccess, Screen[None]):
    DEFAULT_CSS = """
    VerifyScreen #verify-verdict { padding: 0 1; text-style: bold; }
    VerifyScreen #verify-summary { padding: 0 1; height: auto; }
    VerifyScreen #verify-body { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "run", "Verify again", id="verify.again"),
        Binding("escape", "app.pop_screen", "Back", id="verify.back"),
    ]

    def __init__(self, restored: str, live: str | None) -> None:
        super().__init__()
        self.restored = restored
        # A table restored under its own name (a deleted one) has no live table to compare
        # with: diffing it against itself would only ever agree.
        self.live = live if live != restored else None
        self.title = f"Verify {restored}"
        self.reads = ScreenLoad(self, self.show_status, "ctrl+r verifies again")

    def compose(self) -> ComposeResult:
        yield Static(self.scanning(), id="verify-verdict")
        yield Static(id="verify-summary")
        with VerticalScroll():
            yield Static(id="verify-body")
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self.action_run()

    def action_run(self) -> None:
        self.reads.begin(self.verify(), self.scanning().removesuffix("..."))

    def show_status(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#verify-verdict", Static).update(text)

    def scanning(self) -> str:
        if self.live is None:
            return f"Verifying {self.restored}: scanning it..."
        return f"Verifying {self.restored} against {self.live}: scanning both tables..."

    @work(thread=True, exclusive=True, group="verify", exit_on_error=False)
    def verify(self) -> None:
        self.post_message(Verified(self.console.source.verify(self.restored, self.live)))

    @on(Verified)
    def show(self, message: Verified) -> None:
        report = message.report
        self.query_one("#verify-verdict", Static).update(Text(verdict(report)))
        self.query_one("#verify-summary", Static).update(Text(summary(report)))
        self.query_one("#verify-body", Static).update(
            Text(render_report(report, rules_summary(report)))
        )


def summary(report: VerifyReport) -> str:
    """What the decision needs, in three lines above the full report: the counts and
    violations of both tables, the schema, and the diff with its damaged items."""
    checks = [report.checked] + ([report.against] if report.against else [])
    lines = [
        "items: "
        + "; ".join(f"{c.table} {c.items:,} ({c.violating_items:,} violating)" for c in checks)
    ]
    if report.schema_differences is not None:
        schema = "DIFFERS" if report.schema_differences else "equal"
        lines.append(f"schema (key, GSIs, LSIs): {schema}")
    diff = report.diff
    if diff is not None:
        counts = diff.counts()
        lines.append(
            f"diff restored -> live: {counts['changed']:,} changed ({counts['damaged']:,} "
            f"damaged: to repair), {counts['added']:,} added, {counts['removed']:,} removed, "
            f"{counts['unchanged']:,} unchanged"
        )
    return "\n".join(lines)
