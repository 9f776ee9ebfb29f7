"""`b`: a table's backups (on-demand USER and SYSTEM, including the one AWS keeps for a deleted
table). `r` or enter plans a restore from the highlighted backup; `c` creates a backup."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from lee_console.core.timeparse import format_relative, format_utc
from lee_console.core.views import BackupSummary
from lee_console.ui.formatting import size_cell
from lee_console.ui.loading import ScreenLoad
from lee_console.ui.screens.confirm import ConfirmScreen
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.widgets.console_footer import ConsoleFooter


class BackupsLoaded(Message):
    def __init__(self, backups: list[BackupSummary]) -> None:
        super().__init__()
        self.backups = backups


class BackupsScreen(ConsoleAccess, Screen[None]):
    DEFAULT_CSS = """
    BackupsScreen #backups-title { padding: 0 1; text-style: bold; }
    BackupsScreen #backups-status { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "restore", "Restore backup", id="backups.restore",
                tooltip="Plan a restore from the highlighted backup into a new table"),
        Binding("c", "create", "Create backup", id="backups.create",
                tooltip="Take an on-demand backup of this table now"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="backups.reload",
                tooltip="Read this table's backups again"),
        Binding("escape", "app.pop_screen", "Back", id="backups.back"),
    ]  # fmt: skip

    def __init__(self, table: str, size_bytes: int, table_exists: bool = True) -> None:
        super().__init__()
        self.table = table
        self.size_bytes = size_bytes
        self.table_exists = table_exists
        self.backups: list[BackupSummary] = []
        self.title = f"Backups {table}"
        self.reads = ScreenLoad(self, self.show_status)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("restore", "create") and self.console.source.read_only:
            return False
        return not (action == "create" and not self.table_exists)

    def title_text(self) -> str:
        """Whether the table is there: deleted, being restored under its own name (or done),
        or as it was; read-only offers no restore."""
        tracked = self.console.restores.restores.get(self.table)
        exists = self.table_exists or self.table in self.console.known_tables
        if tracked is not None and not tracked.error:
            how = "restored" if tracked.done else "being restored"
            return f"Backups of {self.table} ({how} under its own name)"
        if exists:
            return f"Backups of {self.table}"
        if self.console.source.read_only:
            return f"Backups of {self.table} (table deleted; AWS keeps its SYSTEM backup)"
        return f"Backups of {self.table} (table deleted: r restores its SYSTEM backup)"

    def on_screen_resume(self) -> None:
        if self.is_mounted:
            self.query_one("#backups-title", Static).update(self.title_text())

    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), id="backups-title")
        table: DataTable[str] = DataTable(id="backups", cursor_type="row", zebra_stripes=True)
        for label in ("TYPE", "CREATED (UTC)", "NAME", "SIZE", "STATUS", "AGE"):
            table.add_column(label)
        yield table
        yield Static("Loading backups...", id="backups-status")
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        if self.is_attached:
            self.reads.begin(self.load(), "Loading backups")

    def show_status(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#backups-status", Static).update(text)

    @work(thread=True, exclusive=True, group="backups", exit_on_error=False)
    def load(self) -> None:
        self.post_message(BackupsLoaded(self.console.source.backups(self.table)))

    @on(BackupsLoaded)
    def show(self, message: BackupsLoaded) -> None:
        self.backups = sorted(message.backups, key=lambda b: b.created, reverse=True)
        table: DataTable[str] = self.query_one("#backups", DataTable)
        table.clear()
        now = self.console.now()
        for backup in self.backups:
            table.add_row(
                backup.backup_type,
                format_utc(backup.created),
                backup.name,
                size_cell(backup.size_bytes),
                backup.status,
                format_relative(backup.created, now),
                key=backup.arn,
            )
        status = f"{len(self.backups)} backups" if self.backups else "No backups of this table."
        self.query_one("#backups-status", Static).update(status)
        self.query_one("#backups-title", Static).update(self.title_text())
        table.focus()

    @on(DataTable.RowSelected, "#backups")
    def action_restore(self) -> None:
        if not self.is_active or self.console.source.read_only:
            return  # a press queued before another screen was pushed
        if not self.backups:
            if self.reads.worker is not None:
                self.notify("The backups are still loading.", severity="warning")
            elif self.reads.failure is not None:
                self.notify("The backups could not be read: ctrl+r retries.", severity="warning")
            else:
                self.notify("No backups of this table: nothing to restore from.")
            return
        row = self.query_one("#backups", DataTable).cursor_row
        backup = self.backups[min(row, len(self.backups) - 1)]
        self.console.plan_backup_restore(
            self.table, self.size_bytes, backup, backup.of_deleted_table
        )

    def action_create(self) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                self.create()

        question = f"Create an on-demand backup of {self.table} now?"
        self.app.push_screen(ConfirmScreen(question, "Create backup"), answered)

    @work(thread=True, group="backups-create", exit_on_error=False)
    def create(self) -> None:
        backup = self.console.source.create_backup(self.table, self.console.now())
        self.app.call_from_thread(self.notify, f"Backup {backup.name} created.")
        self.app.call_from_thread(self.action_reload)
