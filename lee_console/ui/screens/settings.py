"""Re-apply settings: the drift of source vs restored for every setting AWS drops on restore
(PITR, TTL, tags, streams, deletion protection, auto scaling, alarms); `a` applies them with
one confirmation, then re-reads the restored table and shows that each holds.

A deleted table restored (under its own name, or any name) has no source table left: the source
is then the deleted table's SYSTEM backup (aws/settings_backup.py), and the screen says so."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static

from lee_console.aws.settings import ApplyResult
from lee_console.core.drift import Drift, TableSettings
from lee_console.core.settings_runs import interrupted_applies, said
from lee_console.ui import drift_cells
from lee_console.ui.loading import ScreenLoad
from lee_console.ui.screens.confirm import ConfirmScreen
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.widgets.console_footer import ConsoleFooter


class DriftLoaded(Message):
    def __init__(
        self,
        source: TableSettings,
        restored: TableSettings,
        drifts: list[Drift],
        earlier: tuple[str, ...] = (),
    ) -> None:
        super().__init__()
        self.source = source
        self.restored = restored
        self.drifts = drifts
        self.earlier = earlier  # what applies killed part way left (core/settings_runs.py)


class SettingsApplied(Message):
    def __init__(self, result: ApplyResult) -> None:
        super().__init__()
        self.result = result


class SettingsScreen(ConsoleAccess, Screen[None]):
    DEFAULT_CSS = """
    SettingsScreen #settings-title { padding: 0 1; text-style: bold; }
    SettingsScreen #drift { height: auto; max-height: 1fr; }
    SettingsScreen #settings-detail { padding: 0 1; height: auto; color: $text-muted; }
    SettingsScreen #settings-status { padding: 0 1; height: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "apply", "Apply", id="settings.apply",
                tooltip="Re-apply every drifted setting to the restored table, then re-read"),
        Binding("ctrl+r", "reload", "Re-read", id="settings.reload"),
        Binding("escape", "app.pop_screen", "Back", id="settings.back"),
    ]  # fmt: skip

    def __init__(self, live: str, restored: str) -> None:
        super().__init__()
        self.live = live
        self.restored = restored
        self.loaded: DriftLoaded | None = None
        self.holds: dict[str, bool] = {}
        self.verdict: str | None = None  # what the last apply found, once applied
        self.title = f"Settings {restored}"
        self.reads = ScreenLoad(self, self.show_status, "ctrl+r re-reads")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "apply" and self.console.source.read_only)

    def compose(self) -> ComposeResult:
        title = (
            f"Settings: {self.live}, restored under its own name (source: its backup)"
            if self.live == self.restored
            else f"Settings: {self.live} (source) vs {self.restored}"
        )
        yield Static(title, id="settings-title")
        yield DataTable(id="drift", cursor_type="row", zebra_stripes=True)
        yield Static(id="settings-detail")
        yield Static("Reading both tables' settings...", id="settings-status")
        yield ConsoleFooter()

    def on_mount(self) -> None:
        self.action_reload()

    def on_resize(self) -> None:
        if self.loaded is not None:
            self.fill_table()

    def show_status(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#settings-status", Static).update(text)

    def action_reload(self) -> None:
        self.reads.begin(self.load(), "Reading both tables' settings")

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def load(self) -> None:
        source, restored, drifts = self.console.source.drift(self.live, self.restored)
        journal = self.console.source.journal
        runs = interrupted_applies(journal.events(), self.restored) if journal else []
        earlier = tuple(said(run, drifts) for run in runs)
        self.post_message(DriftLoaded(source, restored, drifts, earlier))

    @on(DriftLoaded)
    def show(self, message: DriftLoaded) -> None:
        self.loaded = message
        self.fill_table()
        self.query_one("#settings-status", Static).update(self.status_text(message))
        self.query_one("#drift", DataTable).focus()

    def fill_table(self) -> None:
        """The drift in four columns sized to the screen (ui/drift_cells.py)."""
        if self.loaded is None:
            return
        table: DataTable[str] = self.query_one("#drift", DataTable)
        row = table.cursor_row
        widths = drift_cells.column_widths(self.size.width or self.app.size.width)
        table.clear(columns=True)
        for label, width in zip(drift_cells.HEADERS, widths, strict=True):
            table.add_column(label, width=width)
        tables = (self.live, self.restored)
        read_only = self.console.source.read_only
        for cells in drift_cells.rows(self.loaded.drifts, self.holds, tables, widths, read_only):
            table.add_row(cells.setting, cells.source, cells.restored, cells.action, key=cells.key)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.show_detail()

    @on(DataTable.RowHighlighted, "#drift")
    def show_detail(self) -> None:
        drifts = self.loaded.drifts if self.loaded is not None else []
        table: DataTable[str] = self.query_one("#drift", DataTable)
        if not drifts or table.cursor_row >= len(drifts):
            return
        read_only = self.console.source.read_only
        detail = drift_cells.detail(drifts[table.cursor_row], self.holds, read_only)
        self.query_one("#settings-detail", Static).update(detail)

    def status_text(self, message: DriftLoaded) -> str:
        todo = [d for d in message.drifts if d.to_apply]
        manual = [d for d in message.drifts if not d.in_sync and not d.automatic]
        if self.verdict is not None:
            status = self.verdict
        elif todo and self.console.source.read_only:
            status = (
                f"{len(todo)} setting(s) of {self.live} differ on {self.restored} "
                "(read-only: shown, not applied)"
            )
        elif todo:
            status = f"{len(todo)} setting(s) to re-apply: a applies them (one confirmation)"
        else:
            status = "Every setting that apply sets matches the source."
        if manual and self.verdict is None:
            names = ", ".join(d.setting for d in manual)
            status += f"; {len(manual)} need a change by hand: {names} (see ACTION)"
        if message.earlier:  # a finished apply (a) also records the interrupted one
            status = "\n".join((*message.earlier, status))
        backup = message.source.backup
        if backup is not None:
            # The source table is gone (a deleted table restored): the backup stands in for it.
            status = f"{backup.note()}\n{status}"
        return status

    def action_apply(self) -> None:
        if self.loaded is None:
            return
        todo = [d.setting for d in self.loaded.drifts if d.to_apply]
        if not todo and self.loaded.earlier:  # nothing to change: record the earlier apply
            self.reads.begin(self.apply(), f"Recording the interrupted apply to {self.restored}")
            return
        if not todo:
            self.notify("Nothing to apply: the settings match.")
            return
        question = f"Apply to {self.restored}: {', '.join(todo)}? Then the table is re-read."

        def answered(yes: bool | None) -> None:
            if yes:
                self.reads.begin(self.apply(), f"Applying the settings to {self.restored}")

        self.app.push_screen(ConfirmScreen(question, "Apply settings"), answered)

    @work(thread=True, exclusive=True, group="settings", exit_on_error=False)
    def apply(self) -> None:
        loaded = self.loaded
        assert loaded is not None
        result = self.console.source.apply_settings(loaded.source, loaded.restored, loaded.drifts)
        self.post_message(SettingsApplied(result))

    @on(SettingsApplied)
    def applied(self, message: SettingsApplied) -> None:
        result = message.result
        self.holds = dict(result.holds)
        self.verdict = applied_verdict(result)
        if self.loaded is not None:
            self.show(DriftLoaded(self.loaded.source, self.loaded.restored, result.after))


def applied_verdict(result: ApplyResult) -> str:
    """What the re-read after an apply found: every applied setting holds, or which do not; and
    what is still left to do by hand (tags after an accidental delete, say)."""
    failed = [f"{name}: {error}" for name, error in result.errors.items()]
    broken = [name for name, holds in result.holds.items() if not holds]
    manual = [d.setting for d in result.after if not d.in_sync and not d.automatic]
    if broken:
        verdict = f"Applied and re-read: SOME SETTINGS DO NOT HOLD: {', '.join(broken)}."
    elif manual:
        verdict = "Applied and re-read: every applied setting holds."
    else:
        verdict = "Applied and re-read: every setting holds."
    if manual:
        verdict += f" Still to change by hand: {', '.join(manual)} (see ACTION)."
    return "\n".join((verdict, *failed))
