"""The first screen: one row per table with its PITR window and health."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from lee_console.aws.dashboard import DashboardData, Identity, load_dashboard, load_identity
from lee_console.core.cost import pitr_monthly_cost
from lee_console.core.pitr import TableSummary
from lee_console.ui.formatting import health_cell, size_cell, window_cell
from lee_console.ui.widgets.console_header import ConsoleHeader

if TYPE_CHECKING:
    from lee_console.ui.app import LeeConsoleApp

REFRESH_SECONDS = 30.0

COLUMNS = (
    ("table", "TABLE"),
    ("health", "HEALTH"),
    ("pitr", "PITR"),
    ("cover", "COVER"),
    ("window", "WINDOW (UTC)"),
    ("status", "STATUS"),
    ("period", "PERIOD"),
    ("items", "ITEMS"),
    ("size", "SIZE"),
    ("delprot", "DEL-PROT"),
    ("cost", "PITR/MO"),
)


class DashboardLoaded(Message):
    def __init__(self, data: DashboardData) -> None:
        super().__init__()
        self.data = data


class IdentityLoaded(Message):
    def __init__(self, identity: Identity) -> None:
        super().__init__()
        self.identity = identity


class DashboardScreen(Screen[None]):
    TITLE = "Dashboard"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter", key_display="/", id="dashboard.filter",
                tooltip="Show only tables whose name contains the text"),
        Binding("ctrl+r", "refresh", "Refresh", id="dashboard.refresh",
                tooltip="Reload tables and windows now"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="dashboard.clear"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.data: DashboardData | None = None
        self.filter_text = ""

    @property
    def console(self) -> LeeConsoleApp:
        from lee_console.ui.app import LeeConsoleApp

        assert isinstance(self.app, LeeConsoleApp)
        return self.app

    def compose(self) -> ComposeResult:
        aws = self.console.aws
        yield ConsoleHeader(
            sandbox=aws.settings.sandbox or aws.settings.endpoint_is_loopback,
            read_only=aws.settings.read_only,
            where=aws.where,
        )
        yield Input(placeholder="filter tables (enter applies, escape clears)", id="filter")
        table: DataTable[str] = DataTable(id="tables", cursor_type="row", zebra_stripes=True)
        for key, label in COLUMNS:
            table.add_column(label, key=key)
        yield table
        yield Static("Loading tables...", id="dashboard-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.load_identity()
        self.load_tables()

    @work(thread=True, exclusive=True, group="identity", exit_on_error=False)
    def load_identity(self) -> None:
        self.post_message(IdentityLoaded(load_identity(self.console.aws)))

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load_tables(self) -> None:
        try:
            data = load_dashboard(self.console.aws, self.console.config.tables, self.console.now())
            self.post_message(DashboardLoaded(data))
        finally:
            # Polls never overlap: the next is scheduled when this one has finished.
            self.app.call_from_thread(self.set_timer, REFRESH_SECONDS, self.load_tables)

    @on(IdentityLoaded)
    def show_identity(self, message: IdentityLoaded) -> None:
        header = self.query_one(ConsoleHeader)
        header.identity = f"account {message.identity.account}  {message.identity.arn}"

    @on(DashboardLoaded)
    def show_tables(self, message: DashboardLoaded) -> None:
        self.data = message.data
        self.query_one(ConsoleHeader).refreshed = message.data.loaded_at
        self.render_rows()

    def render_rows(self) -> None:
        if self.data is None:
            return
        table: DataTable[str] = self.query_one("#tables", DataTable)
        selected = table.cursor_row
        table.clear()
        threshold = self.console.config.min_coverage_days
        shown = [t for t in self.data.tables if self.filter_text in t.name]
        for summary in shown:
            table.add_row(*row_cells(summary, threshold), key=summary.name)
        if shown:
            table.move_cursor(row=min(selected, len(shown) - 1))
        restoring = len(self.data.restoring)
        status = f"{len(shown)} of {len(self.data.tables)} tables"
        if self.filter_text:
            status += f" matching {self.filter_text!r}"
        if restoring:
            status += f"; {restoring} restore(s) in progress"
        status += f"; coverage threshold {threshold:g} d"
        self.query_one("#dashboard-status", Static).update(status)

    def action_refresh(self) -> None:
        self.load_tables()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#filter")
    def apply_filter(self, event: Input.Submitted) -> None:
        self.filter_text = event.value.strip()
        self.query_one("#tables", DataTable).focus()
        self.render_rows()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.display = False
        self.filter_text = ""
        self.query_one("#tables", DataTable).focus()
        self.render_rows()


def row_cells(table: TableSummary, threshold: float) -> list[str]:
    pitr = table.pitr
    return [
        table.name,
        health_cell(table, threshold),
        "on" if pitr.enabled else "OFF",
        f"{pitr.coverage_days:.1f}d" if pitr.coverage_days is not None else "-",
        window_cell(table),
        table.status,
        f"{pitr.recovery_period_days}d" if pitr.recovery_period_days else "-",
        f"{table.item_count:,}",
        size_cell(table.size_bytes),
        "on" if table.deletion_protection else "off",
        f"${pitr_monthly_cost(table.size_bytes):.4f}",
    ]
