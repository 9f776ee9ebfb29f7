"""The recovery runbook: the steps from restore point to report, each with what it does, why,
its evidence and its state, rebuilt from the journal (so it survives quit and relaunch).
Enter does the highlighted step; cutover stays locked until verification passes or the
operator overrides it by typing the table's name."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from lee_console.core.journal import Kind
from lee_console.core.runbook import (
    Runbook,
    Step,
    StepId,
    StepState,
    override_event,
    step_event,
)
from lee_console.core.timeparse import format_utc
from lee_console.ui.runbook_steps import run_step
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.screens.declare import DeclareScreen
from lee_console.ui.screens.note import NoteScreen
from lee_console.ui.screens.typed_confirm import TypedConfirmScreen
from lee_console.ui.widgets.console_footer import ConsoleFooter

STATE_MARK = {
    StepState.PENDING: "[ ]",
    StepState.RUNNING: "[>]",
    StepState.DONE: "[x]",
    StepState.FAILED: "[!]",
    StepState.SKIPPED: "[-]",
}
REFRESH_SECONDS = 2.0
READ_ONLY_NOTE = (
    "READ-ONLY: restoring, re-applying settings and cutting over change AWS and are not done "
    "from here; enter shows each step's state (the drift, the cutover plan as a dry run)."
)
CHANGES_AWS = {
    StepId.RESTORE: "this console does not restore; enter shows the timeline.",
    StepId.SETTINGS: "enter shows the drift; nothing is applied from here.",
    StepId.CUTOVER: "enter shows the repoint and repair plans as a dry run; neither is applied.",
}


class RunbookScreen(ConsoleAccess, Screen[None]):
    DEFAULT_CSS = """
    RunbookScreen #runbook-title { padding: 0 1; text-style: bold; height: auto; }
    RunbookScreen #runbook-next { padding: 0 1; }
    RunbookScreen #runbook-read-only { padding: 0 1; text-style: bold; }
    RunbookScreen OptionList { height: 9; }
    RunbookScreen #runbook-detail { padding: 0 1; height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("d", "declare", "Declare", id="runbook.declare",
                tooltip="When the damage began and when it was detected (for the report)"),
        Binding("s", "skip", "Skip step", id="runbook.skip",
                tooltip="Skip the highlighted step, with a reason for the journal"),
        Binding("o", "override", "Override lock", id="runbook.override",
                tooltip="Unlock cutover without a passing verification (typed, journaled)"),
        Binding("R", "report", "Report", id="runbook.report",
                tooltip="The post-incident report, built from the journal"),
        Binding("escape", "app.pop_screen", "Back", id="runbook.back"),
    ]  # fmt: skip

    def __init__(self, table: str | None) -> None:
        super().__init__()
        self.table = table
        self.opened_for = table
        self.book: Runbook | None = None
        self.journal_stamp: tuple[int, int] | None = None
        self.title = "Runbook"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only cannot cut over: the lock's override is not offered."""
        return not (action == "override" and self.console.source.read_only)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="runbook-title")
            if self.console.source.read_only:
                yield Static(READ_ONLY_NOTE, id="runbook-read-only")
            yield Static(id="runbook-next")
            yield OptionList(id="runbook-steps")
            yield Static(id="runbook-detail")
        yield ConsoleFooter()

    def on_mount(self) -> None:
        steps = self.query(OptionList)
        if not steps:
            return  # pushed as the app shuts down: nothing to show
        self.reload()
        self.set_interval(REFRESH_SECONDS, self.reload)
        steps.first().focus()

    def on_resize(self) -> None:
        """The steps' evidence is clipped to the width: draw them again."""
        book, self.book = self.book, None
        if book is not None:
            self.show_book(book, self.journal_stamp)

    def on_screen_resume(self) -> None:
        if self.is_mounted:  # resumed before its first mount: on_mount loads it
            self.reload()

    def reload(self) -> None:
        """Rebuild from the journal, when it changed since the last look (in a worker: a long
        journal is read and folded off the UI thread)."""
        if not self.query("#runbook-title"):
            return  # the screen is being taken down before it was shown
        self.load_book()

    @work(thread=True, exclusive=True, group="runbook", exit_on_error=False)
    def load_book(self) -> None:
        journal = self.console.source.journal
        stamp = _file_stamp(journal.path) if journal else None
        if stamp is not None and stamp == self.journal_stamp:
            return  # the journal has not changed: nothing to rebuild
        events = journal.events() if journal else []
        # Opened for a table (the restore just watched, the dashboard's row): that table's
        # recovery, even in an incident declared for another; else the journal's table.
        book = Runbook.from_events(events, self.opened_for)
        self.app.call_from_thread(self.show_book, book, stamp)

    def show_book(self, book: Runbook, stamp: tuple[int, int] | None) -> None:
        if not self.is_mounted or not self.query("#runbook-title"):
            return
        self.journal_stamp = stamp
        if book == self.book:
            return
        journal = self.console.source.journal
        self.book = book
        self.table = book.table or self.table
        restored = f" -> {book.restored}" if book.restored else ""
        incident = journal.incident if journal else "no journal"
        self.query_one("#runbook-title", Static).update(
            f"Recovery runbook: {self.table or 'no table yet'}{restored}\njournal {incident}"
        )
        undeclared = "" if book.damage_start else "  (d: declare when the damage began)"
        self.query_one("#runbook-next", Static).update(f"Next: {book.next_action}{undeclared}")
        steps = self.query_one(OptionList)
        steps.clear_options()
        read_only = self.console.source.read_only
        width = (self.size.width or self.app.size.width) - 6  # the list's border and padding
        for number, step in enumerate(book.steps, 1):
            line = _step_line(number, step, book, read_only, width)
            steps.add_option(Option(line, id=step.id.value))
        steps.highlighted = _index_of_next(book)  # the journal moved on: so does the highlight
        self.show_detail()

    @on(OptionList.OptionHighlighted)
    def show_detail(self) -> None:
        step = self.current_step()
        if step is None or self.book is None:
            return
        text = Text()
        text.append(f"{step.title}: {step.state.value}", style="bold")
        if step.reason:
            text.append(f" ({step.reason})")
        text.append(f"\nWhat: {step.what}\nWhy: {step.why}\n")
        for line in step.evidence:
            text.append(f"  - {line}\n")
        read_only = self.console.source.read_only
        if read_only and step.id in CHANGES_AWS:
            text.append(f"Read-only: {CHANGES_AWS[step.id]}\n", style="bold")
        elif step.id is StepId.CUTOVER and self.book.cutover_locked:
            text.append(f"LOCKED: {self.book.lock_reason}\n", style="bold")
            text.append("o overrides the lock (type the table name and a reason).\n")
        self.query_one("#runbook-detail", Static).update(text)

    def current_step(self) -> Step | None:
        if self.book is None:
            return None
        index = self.query_one(OptionList).highlighted
        return self.book.steps[index] if index is not None else None

    @on(OptionList.OptionSelected)
    def do_step(self) -> None:
        step = self.current_step()
        book = self.book
        if step is None or book is None:
            return
        run_step(self.console, step.id, book)

    def action_skip(self) -> None:
        step = self.current_step()
        if step is None:
            return

        def skip(reason: str | None) -> None:
            if reason:
                self.journal(Kind.RUNBOOK_STEP, **step_event(step.id, StepState.SKIPPED, reason))

        self.app.push_screen(NoteScreen(f"Why skip '{step.title}'? (enter saves)"), skip)

    def action_override(self) -> None:
        book = self.book
        if book is None or not book.cutover_locked or book.override_phrase is None:
            self.notify("Cutover is not locked: nothing to override.")
            return
        what = (
            f"Override the cutover lock: cut over {book.restored or 'the restore'} without a "
            "passing verification. The report will show it."
        )

        def apply(reason: str | None) -> None:
            if reason is None or self.book is None:
                return
            typed = self.book.override_phrase or ""
            self.journal(Kind.OVERRIDE, **override_event(self.book, typed, reason))

        self.app.push_screen(TypedConfirmScreen(what, book.override_phrase, True), apply)

    def action_declare(self) -> None:
        if self.table is None:
            self.notify("Open the runbook from the damaged table's row (u on the dashboard).")
            return
        hint = ""
        if self.book is not None and self.book.damage_start is not None:
            hint = format_utc(self.book.damage_start)

        def save(data: dict[str, object] | None) -> None:
            if data is not None:
                self.journal(Kind.INCIDENT_DECLARED, **data)

        self.app.push_screen(DeclareScreen(self.table, self.console.now(), hint), save)

    def action_report(self) -> None:
        from lee_console.ui.screens.report import ReportScreen

        self.app.push_screen(ReportScreen())

    def journal(self, kind: str, **data: object) -> None:
        if self.console.journal(kind, **data):
            self.reload()


def _file_stamp(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


def _step_line(number: int, step: Step, book: Runbook, read_only: bool, width: int) -> Text:
    line = Text(f"{STATE_MARK[step.state]} {number}. {step.title}")
    if read_only and step.id in CHANGES_AWS:
        line.append("  (read-only: not done here)", style="bold")
    elif step.id is StepId.CUTOVER and book.cutover_locked:
        line.append("  (locked)", style="bold")
    if step.evidence:
        room = max(width - line.cell_len - 2, EVIDENCE_WIDTH)
        line.append(f"  {_clip(step.evidence[0], room)}", style="dim")
    return line


EVIDENCE_WIDTH = 20  # at least


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def _index_of_next(book: Runbook) -> int:
    following = book.next_step
    return book.steps.index(following) if following is not None else len(book.steps) - 1
