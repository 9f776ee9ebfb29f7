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
from textual.widgets import DataTable, Footer, Static

from lee_console.aws.settings import ApplyResult
from lee_console.core.drift import Drift, TableSettings
from lee_console.core.settings_runs import interrupted_applies, said
from lee_console.ui.loading import ScreenLoad
from lee_console.ui.screens.confirm import ConfirmScreen
from lee_console.ui.screens.console_access import ConsoleAccess


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
        self.title = f"Settings {restored}"
        self.reads = ScreenLoad(self, self.show_status, "ctrl+r re-reads")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (action == "apply" and self.console.source.read_only)

    def compose(self) -> ComposeResult:
        yield Static(f"Settings of {self.live} (source) vs {self.restored} (restored)",
                     id="settings-title")  # fmt: skip
        table: DataTable[str] = DataTable(id="drift", cursor_type="row", zebra_stripes=True)
        for label in ("SETTING", "STATE", "SOURCE", "RESTORED", "ACTION"):
            table.add_column(label)
        yield table
        yield Static("Reading both tables' settings...", id="settings-status")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

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
        table: DataTable[str] = self.query_one("#drift", DataTable)
        table.clear()
        for drift in message.drifts:
            table.add_row(
                drift.setting,
                self.state_of(drift),
                drift.source_value,
                drift.restored_value,
                drift.action or "-",
            )
        todo = [d for d in message.drifts if d.to_apply]
        manual = [d for d in message.drifts if not d.in_sync and not d.automatic]
        status = (
            f"{len(todo)} setting(s) to re-apply (a applies them)"
            if todo
            else "Every setting matches the source."
        )
        if manual:
            status += f"; {len(manual)} need a change by hand (see ACTION)"
        if message.earlier:  # a finished apply (a) also records the interrupted one
            status = "\n".join((*message.earlier, status))
        backup = message.source.backup
        if backup is not None:
            # The source table is gone (a deleted table restored): the backup stands in for it.
            status = f"{backup.note()}\n{status}"
        self.query_one("#settings-status", Static).update(status)
        table.focus()

    def state_of(self, drift: Drift) -> str:
        if drift.setting in self.holds:
            return "holds" if self.holds[drift.setting] else "! does not hold"
        if drift.in_sync:
            return "in sync"
        return "! drift" if drift.automatic else "! by hand"

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
        if self.loaded is not None:
            self.show(DriftLoaded(self.loaded.source, self.loaded.restored, result.after))
        failed = [f"{name}: {error}" for name, error in result.errors.items()]
        verdict = "every setting holds" if result.all_hold else "SOME SETTINGS DO NOT HOLD"
        backup = self.loaded.source.backup if self.loaded is not None else None
        note = f"{backup.note()}\n" if backup is not None else ""
        self.query_one("#settings-status", Static).update(
            f"{note}Applied and re-read: {verdict}." + ("\n" + "\n".join(failed) if failed else "")
        )
