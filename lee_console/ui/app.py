"""The console app: holds the AWS handle and settings the CLI built, shows the dashboard, and
turns every worker error into a notification the operator can read."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, tzinfo
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from rich.text import Text
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from lee_console.core.config import Config
from lee_console.core.errors import LeeError
from lee_console.core.estimate import PastRestore
from lee_console.hangup import on_hangup
from lee_console.store.fault_log import log_fault
from lee_console.store.journal_file import set_warning_sink
from lee_console.store.paths import state_dir
from lee_console.ui.drtest_commands import DrTestCommands
from lee_console.ui.loading import LOAD_TIMEOUT_SECONDS
from lee_console.ui.quitting import QuitScreen, exit_message, quit_question, running
from lee_console.ui.restores import RestoreTracker
from lee_console.ui.screen_stack import already_open
from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.source import ConsoleSource

if TYPE_CHECKING:
    from lee_console.core.pitr import TableSummary
    from lee_console.core.restore import RestoreRequest
    from lee_console.core.views import BackupSummary
    from lee_console.ui.drill.controller import DrillController
    from lee_console.ui.drill.mode import DrillMode
    from lee_console.ui.screens.restore_plan import PlanSource


def utc_now() -> datetime:
    return datetime.now(UTC)


class LeeConsoleApp(App[None]):
    TITLE = "lee-console"
    COMMANDS = App.COMMANDS | {DrTestCommands}  # "DR test: TABLE" (ui/drtest_commands.py)
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", key_display="?", id="app.help",
                tooltip="Every key of this screen"),
        Binding("colon", "command_palette", "Commands", key_display=":", show=False,
                id="app.palette",
                tooltip="Search every action (also ctrl+p)"),
        # Textual adds its own ctrl+p only when no binding runs command_palette: keep both.
        Binding("ctrl+p", "command_palette", "Commands", show=False, priority=True,
                id="app.palette-ctrl-p", tooltip="Search every action (also :)"),
        Binding("u", "runbook", "Runbook", show=False, id="app.runbook",
                tooltip="The recovery runbook: verify, settings, cutover, report"),
        Binding("n", "note", "Note", show=False, id="app.note",
                tooltip="Write a note into the incident journal"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Leave; AWS restores go on"),
        Binding("h", "drill_hint", "Hint", show=False, id="app.drill-hint",
                tooltip="Drill: the next hint (costs points)"),
        Binding("i", "drill_page", "Page", show=False, id="app.drill-page",
                tooltip="Drill: the page you were sent"),
    ]  # fmt: skip

    def __init__(
        self,
        source: ConsoleSource,
        config: Config,
        clock: Callable[[], datetime] = utc_now,
        restore_poll_seconds: float = 5.0,
        local_tz: tzinfo | None = None,
        drill: DrillMode | None = None,
    ) -> None:
        super().__init__()
        self.source = source
        self.config = config
        self.now = clock
        # The zone of every "local" time on screen (default: this machine's); tests fix it.
        self.local_tz: tzinfo = local_tz or datetime.now().astimezone().tzinfo or UTC
        self.restore_poll_seconds = restore_poll_seconds
        self.restores = RestoreTracker(self)
        self.past_restores: tuple[PastRestore, ...] = ()
        self.known_tables: frozenset[str] = frozenset()  # as of the last dashboard load
        # How long a screen waits for a read before it says so and offers the retry key.
        self.load_timeout_seconds = LOAD_TIMEOUT_SECONDS
        self.drill: DrillController | None = None
        if drill is not None:  # imported only for a drill: the score pulls in the report
            from lee_console.ui.drill.controller import DrillController

            self.drill = DrillController(self, drill, state_dir())

    def on_mount(self) -> None:
        set_warning_sink(self.warn)
        self._stop_watching_trouble = self.source.watch_trouble(self.aws_trouble)
        # A dropped SSH session (SIGHUP) leaves as `q` does: restores go on in AWS, a search
        # stops after its running probes and deletes them.
        self._release_hangup = on_hangup(self.exit)
        self.push_screen(DashboardScreen())
        if self.drill is not None:
            self.drill.begin()
        from lee_console.ui.screens.leftover_probes import find_leftover_probes

        self.run_worker(
            partial(find_leftover_probes, self, self.source),
            thread=True,
            group="leftover-probes",
            name="leftover probes",
            exit_on_error=False,
        )

    def on_unmount(self) -> None:
        # Stop polling; the restores themselves go on in AWS and are reattached on relaunch.
        self.restores.stopping.set()
        self._stop_watching_trouble()
        self._release_hangup()
        set_warning_sink(None)

    def aws_trouble(self, line: str) -> None:
        """AWS retrying, an outage ridden out, credentials expired: said as it happens (from
        the worker thread that saw it), so no wait looks hung."""
        severity: Literal["information", "warning"] = (
            "information" if "again" in line else "warning"
        )
        if threading.current_thread() is threading.main_thread():
            self.notify(line, title="AWS", severity=severity, timeout=8)
        elif self.is_running:
            self.call_from_thread(self.notify, line, title="AWS", severity=severity, timeout=8)

    def push_screen(
        self,
        screen: Screen[Any] | str,
        callback: Any = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> Any:
        """Push ``screen``, unless one of its class is already on top (two presses queued in a
        burst of keys, enter enter, would otherwise stack it twice), or the same screen is
        already open beneath: then the screens above it close and it is on top again
        (ui/screen_stack.py), instead of a second copy."""
        top = self.screen_stack[-1] if self.screen_stack else None
        if isinstance(screen, Screen) and type(top) is type(screen):
            self.log.warning(f"not pushed: {type(screen).__name__} is already on top")
            return AwaitComplete()
        existing = already_open(self.screen_stack, screen) if isinstance(screen, Screen) else None
        if existing is not None and not wait_for_dismiss:
            self.log.warning(f"not pushed: back to the {type(screen).__name__} already open")
            existing.pop_until_active()
            return AwaitComplete()
        if self.drill is not None and isinstance(screen, Screen):
            self.call_later(self.drill.decorate, screen)
        if wait_for_dismiss:
            return super().push_screen(screen, callback, True, mode=mode)
        return super().push_screen(screen, callback, False, mode=mode)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("drill_hint", "drill_page"):
            return self.drill is not None
        return True

    def action_drill_hint(self) -> None:
        if self.drill is not None:
            self.drill.offer_hint()

    def action_drill_page(self) -> None:
        if self.drill is not None:
            self.drill.show_page()

    async def action_quit(self) -> None:
        """Leave; with restores running, say first that AWS goes on with them and that the
        next launch reattaches (q again on that question quits)."""
        going = running(self.restores.restores)
        if not going:
            self.exit()
            return
        now = self.now()

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit(message=Text(exit_message(running(self.restores.restores), now)))

        self.push_screen(QuitScreen(quit_question(going, now), "Quit"), answered)

    def pop_screen(self) -> AwaitComplete:
        """Pop the top screen, but never the dashboard: beneath it is only Textual's blank
        default screen, with no header, no footer and no key that leads anywhere."""
        if len(self.screen_stack) <= 2 and isinstance(self.screen, DashboardScreen):
            self.log.warning("not popped: the dashboard is the console's first screen")
            return AwaitComplete()
        return super().pop_screen()

    def warn(self, message: str) -> None:
        """A journal line skipped or cut off: shown once, from any thread."""
        if threading.current_thread() is threading.main_thread():
            self.notify(message, title="Journal", severity="warning", timeout=15)
        else:
            self.call_from_thread(self.notify, message, title="Journal", severity="warning")

    def journal(self, kind: str, **data: object) -> bool:
        """Append to the incident's journal; False (and a notification) when it cannot be."""
        if self.source.journal is None:
            self.notify("No journal: nothing was saved.", severity="warning")
            return False
        try:
            self.source.journal.append(kind, **data)
        except LeeError as refused:  # the incident was closed (here or by another process)
            self.notify(refused.message, severity="error", timeout=12)
            return False
        return True

    def plan_restore(self, tables: list[TableSummary], point: datetime) -> None:
        """Open the plan for restoring ``tables`` to one and the same second."""
        if self.source.read_only:
            self.notify("Read-only: restores are not offered.", severity="warning")
            return
        from lee_console.ui.screens.restore_plan import PlanSource

        sources = [PlanSource(t.name, t.size_bytes, t.pitr.earliest, t.pitr.latest) for t in tables]
        self._open_plan(sources, point)

    def plan_backup_restore(
        self, table: str, size_bytes: int, backup: BackupSummary, deleted: bool
    ) -> None:
        from lee_console.core.restore import RestoreKind
        from lee_console.ui.screens.restore_plan import PlanSource

        kind = RestoreKind.DELETED if deleted else RestoreKind.BACKUP
        source = PlanSource(table, size_bytes, backup_arn=backup.arn, backup_kind=kind)
        self._open_plan([source], backup.created)

    def _open_plan(self, sources: list[PlanSource], point: datetime) -> None:
        from lee_console.core.estimate import estimate_restore_duration
        from lee_console.ui.screens.restore_plan import RestorePlanScreen
        from lee_console.ui.screens.restore_progress import RestoreProgressScreen

        estimates = {
            s.table: estimate_restore_duration(s.size_bytes, self.past_restores) for s in sources
        }
        sizes = {s.table: s.size_bytes for s in sources}

        def start(requests: list[RestoreRequest] | None) -> None:
            if not requests:
                return
            for request in requests:
                source = request.source_table
                self.restores.start(request, estimates.get(source), sizes.get(source, 0))
            self.push_screen(RestoreProgressScreen(requests[0].target_table, self.local_tz))

        plan = RestorePlanScreen(
            sources, point, self.now(), estimates, self.local_tz, taken=self.known_tables
        )
        self.push_screen(plan, start)

    def watch_restore(self, target: str) -> None:
        from lee_console.ui.screens.restore_progress import RestoreProgressScreen

        if target in self.restores.restores:
            self.push_screen(RestoreProgressScreen(target, self.local_tz))

    def restore_finished(self, target: str) -> None:
        """A restore the operator is watching is done: the runbook takes over (verify next)."""
        from lee_console.ui.screens.restore_progress import RestoreProgressScreen

        screen = self.screen
        if isinstance(screen, RestoreProgressScreen) and screen.target == target:
            self.open_runbook(self.restores.restores[target].request.source_table)

    def action_runbook(self) -> None:
        self.open_runbook(None)

    def open_runbook(self, table: str | None) -> None:
        from lee_console.ui.screens.runbook import RunbookScreen

        self.push_screen(RunbookScreen(table))

    def action_note(self) -> None:
        from lee_console.core.journal import Kind
        from lee_console.ui.screens.note import NoteScreen

        def save(text: str | None) -> None:
            if text and self.journal(Kind.NOTE, text=text):
                self.notify("Note saved in the journal.")

        self.push_screen(NoteScreen(), save)

    def action_help(self) -> None:
        from lee_console.ui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers every keyed action of the current screen, then Textual's own."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.description in seen or not active.enabled:
                continue
            seen.add(binding.description)
            yield SystemCommand(
                binding.description,
                binding.tooltip or binding.description,
                _runner(self, binding.action, active.node),
            )
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":  # the console writes no screenshot (below)
                yield command

    def deliver_screenshot(
        self,
        filename: str | None = None,
        path: str | None = None,
        time_format: str | None = None,
    ) -> str | None:
        """Textual would save the screen as an SVG in the Downloads folder, readable by all:
        the screen can show item values (verify's examples), which the console writes nowhere.
        The report (R, then w) is the record to keep."""
        self.notify(NO_SCREENSHOT, severity="warning")
        return None

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The app's own workers; a screen's workers report to their screen (the message does
        not bubble), which shows the failure in place and calls ``worker_failed``."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.worker_failed(event.worker.error, event.worker.name)

    def worker_failed(self, error: BaseException, name: str) -> str:
        """Notify the operator of a worker's failure; return the reason to show on screen."""
        if isinstance(error, LeeError):
            message = error.message
        else:
            log = log_fault(error, name)
            message = (
                f"Internal error ({type(error).__name__}); the traceback is in {log}. The "
                "console goes on, and the journal shows every change that was sent."
            )
        self.notify(message, title="AWS", severity="error", timeout=12)
        return message


NO_SCREENSHOT = (
    "No screenshot is saved: the screen can show item values. The report (R, then w) is "
    "written beside the journal, owner-only."
)


def _runner(app: App[None], action: str, namespace: object) -> Callable[[], object]:
    def run() -> object:
        return app.run_action(action, namespace)  # type: ignore[arg-type]

    return run
