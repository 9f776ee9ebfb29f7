"""The first screen: one row per table with its PITR window and health, deleted tables that
can still be restored, and restores in flight. Keys in the style of k9s."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from lee_console.core.pitr import TableSummary
from lee_console.core.table_groups import grouped
from lee_console.core.views import BackupSummary, DashboardData
from lee_console.ui.dashboard_rows import Row, deleted_row, table_row
from lee_console.ui.loading import ScreenLoad
from lee_console.ui.screens.confirm import ConfirmScreen
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.screens.dashboard_messages import (
    DashboardLoaded,
    IdentityLoaded,
    TableDescribed,
)
from lee_console.ui.widgets.console_header import ConsoleHeader, incident_label
from lee_console.ui.widgets.dashboard_table import DashboardTable

REFRESH_SECONDS = 30.0
DELETED_KEY = "deleted:"
MUTATING_ACTIONS = {"restore", "enable_pitr"}


class DashboardScreen(ConsoleAccess, Screen[None]):
    TITLE = "Dashboard"
    DEFAULT_CSS = """
    DashboardScreen #tables { height: 1fr; }
    DashboardScreen #dashboard-detail { padding: 0 1; color: $text-muted; }
    DashboardScreen #dashboard-status { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "restore", "Restore", id="dashboard.restore",
                tooltip="Plan a restore of the marked tables (or this one) to one second"),
        Binding("e", "enable_pitr", "Enable PITR", id="dashboard.enable-pitr",
                tooltip="Turn point-in-time recovery on for this table"),
        Binding("b", "backups", "Backups", id="dashboard.backups",
                tooltip="On-demand and SYSTEM backups of this table"),
        Binding("space", "mark", "Mark", show=False, id="dashboard.mark",
                tooltip="Mark tables to restore together to the same second"),
        Binding("slash", "filter", "Filter", key_display="/", show=False, id="dashboard.filter",
                tooltip="Show only tables whose name contains the text"),
        Binding("u", "runbook", "Runbook", show=False, id="dashboard.runbook",
                tooltip="The recovery runbook of this incident (or of this table)"),
        Binding("ctrl+r", "refresh", "Refresh", show=False, id="dashboard.refresh",
                tooltip="Reload tables and windows now"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="dashboard.clear"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.data: DashboardData | None = None
        # The tables the load under way has described so far, and how many it describes.
        self.arrived: dict[str, TableSummary] = {}
        self.arriving_total: int | None = None
        self.load_number = 0
        self.filter_text = ""
        self.marked: set[str] = set()
        self.offered_reattach = False
        self.refresh_timer: Timer | None = None
        self.reads = ScreenLoad(self, self.show_status, back=False)
        self.identity_reads = ScreenLoad(self, self.show_identity_failure, back=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only offers no mutating action (the guard in aws/ refuses them regardless)."""
        return not (action in MUTATING_ACTIONS and self.console.source.read_only)

    def compose(self) -> ComposeResult:
        source = self.console.source
        yield ConsoleHeader(
            sandbox=source.is_sandbox,
            read_only=source.read_only,
            where=source.where,
            incident=incident_label(source.journal, read=False),
        )
        yield Input(placeholder="filter tables (enter applies, escape clears)", id="filter")
        yield DashboardTable(id="tables")
        yield Static("", id="dashboard-detail")
        yield Static("Loading tables...", id="dashboard-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#tables", DataTable).focus()
        self.start_identity()
        self.start_load()

    def start_load(self) -> None:
        """Read the tables; a reload of rows already shown keeps them (and its status line)
        unless it fails or outlasts the deadline."""
        if self.is_attached:
            self.load_number += 1
            self.arrived, self.arriving_total = {}, None
            worker = self.load_tables(self.load_number)
            self.reads.begin(worker, "Loading tables", quiet=self.data is not None)

    def start_identity(self) -> None:
        self.identity_reads.begin(self.load_identity(), "Reading the caller", quiet=True)

    def show_status(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#dashboard-status", Static).update(text)

    def show_identity_failure(self, text: str) -> None:
        if self.is_attached:
            self.query_one(ConsoleHeader).identity = text.splitlines()[0]

    @work(thread=True, exclusive=True, group="identity", exit_on_error=False)
    def load_identity(self) -> None:
        self.post_message(IdentityLoaded(self.console.source.identity()))

    @work(thread=True, exclusive=True, group="dashboard", exit_on_error=False)
    def load_tables(self, load: int) -> None:
        worker = get_current_worker()

        def described(table: TableSummary, total: int) -> None:
            if not worker.is_cancelled:  # each row as soon as it is described
                self.post_message(TableDescribed(load, table, total))

        try:
            source = self.console.source
            now = self.console.now()
            data = source.dashboard(self.console.config.tables, now, on_table=described)
            self.post_message(DashboardLoaded(data, incident_label(self.console.source.journal)))
        finally:
            # Polls never overlap: the next is scheduled when this one has finished.
            self.app.call_from_thread(self.schedule_refresh)

    def schedule_refresh(self) -> None:
        """One pending refresh at a time, however many loads were started."""
        if self.refresh_timer is not None:
            self.refresh_timer.stop()
        self.refresh_timer = self.set_timer(REFRESH_SECONDS, self.start_load)

    @on(IdentityLoaded)
    def show_identity(self, message: IdentityLoaded) -> None:
        header = self.query_one(ConsoleHeader)
        header.where = self.console.source.where
        header.identity = f"account {message.identity.account}  {message.identity.arn}"

    @on(TableDescribed)
    def show_table(self, message: TableDescribed) -> None:
        if message.load != self.load_number:  # a load a newer one replaced
            return
        self.arrived[message.table.name] = message.table
        self.arriving_total = message.total
        self.render_rows()

    @on(DashboardLoaded)
    def show_tables(self, message: DashboardLoaded) -> None:
        self.data = message.data
        self.arrived, self.arriving_total = {}, None
        self.console.past_restores = message.data.past_restores
        self.console.known_tables = frozenset(t.name for t in message.data.tables)
        header = self.query_one(ConsoleHeader)
        header.refreshed = message.data.loaded_at
        header.incident = message.incident
        header.where = self.console.source.where  # a profile's region, once connected
        self.render_rows()
        if not self.offered_reattach:
            self.offered_reattach = True
            self.offer_reattach()

    def on_screen_resume(self) -> None:
        # Back from a plan or a restore: show the new restore's row now, not at the next poll.
        if self.data is not None:
            self.start_load()

    def offer_reattach(self) -> None:
        assert self.data is not None
        # Every unfinished restore is followed again: a finished one is found ACTIVE and its
        # finish journaled; only the ones still restoring are offered to watch.
        for entry in self.data.in_flight:
            self.console.restores.reattach(entry.request, entry.started_at)
        in_flight = [entry for entry in self.data.in_flight if entry.still_restoring]
        if not in_flight:
            return

        def watch(target: str | None) -> None:
            if target:
                self.console.watch_restore(target)

        from lee_console.ui.screens.reattach import ReattachScreen

        followed = self.console.restores.restores.get
        self.app.push_screen(ReattachScreen(in_flight, self.console.now, followed), watch)

    def tables(self) -> list[TableSummary]:
        """The last load's tables, each replaced as the load under way describes it again,
        and the tables it did not have, as they arrive (in name order, whatever the order they
        are described in)."""
        known = list(self.data.tables) if self.data is not None else []
        names = {table.name for table in known}
        fresh = [self.arrived.get(table.name, table) for table in known]
        new = [table for name, table in self.arrived.items() if name not in names]
        return fresh + sorted(new, key=lambda table: table.name)  # AWS lists them by name

    def render_rows(self) -> None:
        table = self.query_one("#tables", DashboardTable)
        threshold = self.console.config.min_coverage_days
        now = self.console.now()
        shown = [t for t in self.tables() if self.filter_text in t.name]
        rows: list[Row] = [
            table_row(summary, threshold, now, depth=depth, marked=summary.name in self.marked)
            for summary, depth in grouped(shown)
        ]
        deleted = self.data.deleted if self.data is not None else ()
        rows += [
            deleted_row(backup, DELETED_KEY + backup.table)
            for backup in deleted
            if self.filter_text in backup.table
        ]
        if not rows and self.data is None:
            return
        table.show_rows(rows)
        self.show_detail()
        self.query_one("#dashboard-status", Static).update(self.status_line(len(shown)))

    @on(DataTable.RowHighlighted, "#tables")
    def show_detail(self) -> None:
        detail = self.query_one("#tables", DashboardTable).detail()
        self.query_one("#dashboard-detail", Static).update(detail)

    def status_line(self, shown: int) -> str:
        total = self.arriving_total
        if self.data is None and total is not None:
            status = f"{len(self.arrived)} of {total} tables, {total - len(self.arrived)} to come"
            if self.filter_text:
                status += f"; {shown} matching {self.filter_text!r}"
            return status
        assert self.data is not None
        status = f"{shown} of {len(self.data.tables)} tables"
        if self.filter_text:
            status += f" matching {self.filter_text!r}"
        if self.data.deleted:
            status += f"; {len(self.data.deleted)} deleted (restorable)"
        if self.data.restoring:
            status += f"; {len(self.data.restoring)} restoring"
        if self.marked:
            status += f"; marked: {', '.join(sorted(self.marked))}"
        return status

    def current(self) -> TableSummary | BackupSummary | None:
        key = self.query_one("#tables", DashboardTable).current_key()
        if key is None:
            return None
        if key.startswith(DELETED_KEY):
            name = key.removeprefix(DELETED_KEY)
            deleted = self.data.deleted if self.data is not None else ()
            return next((b for b in deleted if b.table == name), None)
        return next((t for t in self.tables() if t.name == key), None)

    def rows_ready(self, *, row_shown: bool = False) -> bool:
        """True once the rows are loaded (with ``row_shown``: once the highlighted row is
        described, while the others still load); otherwise say why the key did nothing."""
        if self.data is not None or (row_shown and self.current() is not None):
            return True
        if self.reads.failure is not None:
            self.notify("The tables could not be read: ctrl+r retries.", severity="warning")
        else:
            self.notify("The tables are still loading: wait for the rows.", severity="warning")
        return False

    @on(DataTable.RowSelected, "#tables")
    def open_row(self) -> None:
        if not self.is_active:  # a press queued before another screen was pushed
            return
        row = self.current()
        if isinstance(row, BackupSummary):
            self.open_backups(row.table, row.size_bytes, table_exists=False)
        elif row is not None and row.name in self.console.restores.restores:
            self.console.watch_restore(row.name)
        elif row is not None:
            from lee_console.ui.screens.timeline import TimelineScreen  # with boto3 behind it

            self.app.push_screen(TimelineScreen(row.name))

    def action_restore(self) -> None:
        if not self.rows_ready() or self.data is None:
            return
        row = self.current()
        if isinstance(row, BackupSummary):
            self.open_backups(row.table, row.size_bytes, table_exists=False)
            return
        chosen = [t for t in self.tables() if t.name in self.marked] or ([row] if row else [])
        not_ready = [t.name for t in chosen if not t.pitr.is_open]
        if not_ready:
            off = all(not t.pitr.enabled for t in chosen if t.name in not_ready)
            self.notify(
                f"PITR is {'off' if off else 'on but has no window yet'} on "
                f"{', '.join(not_ready)}: nothing to restore to "
                "(e enables it; b restores from a backup).",
                severity="warning",
            )
            return
        if not chosen:
            return
        # One second for all: the latest that every chosen table can restore to.
        point = min(t.pitr.latest for t in chosen if t.pitr.latest is not None)
        self.console.plan_restore(chosen, point)

    def action_enable_pitr(self) -> None:
        if not self.rows_ready():
            return
        row = self.current()
        if not isinstance(row, TableSummary):
            return
        if row.pitr.enabled:
            self.notify(f"PITR is already on for {row.name}.")
            return
        question = (
            f"Enable point-in-time recovery on {row.name}? It costs $0.20/GB-month and the "
            "window starts now: nothing before this moment becomes restorable."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.enable(row.name)

        self.app.push_screen(ConfirmScreen(question, "Enable PITR"), answered)

    @work(thread=True, group="enable-pitr", exit_on_error=False)
    def enable(self, table: str) -> None:
        self.console.source.enable_pitr(table)
        self.app.call_from_thread(self.notify, f"PITR enabled on {table}.")
        self.app.call_from_thread(self.start_load)

    def action_backups(self) -> None:
        if not self.rows_ready(row_shown=True):
            return
        row = self.current()
        if isinstance(row, BackupSummary):
            self.open_backups(row.table, row.size_bytes, table_exists=False)
        elif row is not None:
            self.open_backups(row.name, row.size_bytes, table_exists=True)

    def open_backups(self, table: str, size_bytes: int, table_exists: bool) -> None:
        from lee_console.ui.screens.backups import BackupsScreen

        self.app.push_screen(BackupsScreen(table, size_bytes, table_exists=table_exists))

    def action_mark(self) -> None:
        if not self.rows_ready(row_shown=True):
            return
        row = self.current()
        if not isinstance(row, TableSummary):
            return
        self.marked.symmetric_difference_update({row.name})
        self.render_rows()

    def action_runbook(self) -> None:
        row = self.current()
        table = row.name if isinstance(row, TableSummary) else row.table if row else None
        self.console.open_runbook(table)

    def action_refresh(self) -> None:
        if self.identity_reads.failure is not None:
            self.start_identity()
        self.start_load()

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
