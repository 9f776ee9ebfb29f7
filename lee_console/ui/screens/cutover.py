"""Cut over, with the two strategies' trade-offs shown before the choice.

1 Repoint: the application's references (SSM parameters, Lambda environment) move from the
  live table to the restored one, after typing the restored table's name; `u` rolls back.
2 Repair in place: only the damaged items are written back to the live table, each on the
  condition that it is still what the diff saw, after typing the live table's name.
3 Roll back a repoint: every reference goes back to its recorded old value, after typing the
  live table's name. One cutover operation runs at a time.

A repoint killed before it journaled its outcome (core/repoint_runs.py) is said when the screen
opens, reference by reference: 1 then finishes it (the references still on the live table),
3 rolls back what it changed; a repoint to another table waits until one of them is done."""

from __future__ import annotations

import threading
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import RichLog, Static
from textual.worker import Worker, get_current_worker

from lee_console.core.repair import RepairPlan, RepairProgress
from lee_console.core.repoint import Change
from lee_console.core.repoint_runs import RepointState, interrupted_repoints, refuse_other_target
from lee_console.ui.loading import ScreenLoad
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.screens.typed_confirm import TypedConfirmScreen
from lee_console.ui.widgets.console_footer import ConsoleFooter

TRADE_OFFS = """\
[1] Repoint: the application uses {restored}
    + fast; the restored data as is; reversible (3 rolls it back)
    - legitimate writes to {live} after the restore point are left behind
    - re-apply settings first (PITR, TTL, alarms are not on the restored table)
[2] Repair {live} in place from the restored table
    + keeps the table, the application and every legitimate later write
    + writes back only damaged items (live breaks the rules, restored passes),
      each only if unchanged since the diff: a newer write is kept
    - scans both tables; slow for large damage; leaving stops it after the
      current batch, and it resumes where it stopped
    Both needed a restore ($0.15 per GB restored, 20-40 min in AWS).
[-] Export + repair, no restore (headless, from the damage start on):
      lee-console damage {live} --since TIME --json > damage.json
      lee-console repair {live} --from-export damage.json
    + no restore to wait for and neither table scanned: incremental exports
      read no capacity; keeps every legitimate write an export shows
    - exports are billed ($0.10 per GB of change data, a minimum each) and
      take minutes; a legitimate write overwritten by the damage within one
      export period (15 min to 24 h) cannot be seen, and is named"""


READ_ONLY = """\
READ-ONLY: 1 and 2 show what each would change (a dry run: only reads);
neither can be applied from a read-only console, and nothing is rolled back."""


DRY_RUN = "read-only: a dry run; this {what} cannot be applied from a read-only console."


class Planned(Message):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class CutoverScreen(ConsoleAccess, Screen[None]):
    DEFAULT_CSS = """
    CutoverScreen #cutover-choices { padding: 0 1; height: auto; max-height: 60%; }
    CutoverScreen RichLog { height: 1fr; border: round $primary; overflow-y: auto; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "repoint", "Repoint", id="cutover.repoint",
                tooltip="Point SSM/Lambda references at the restored table (typed confirmation)"),
        Binding("2", "repair", "Repair in place", id="cutover.repair",
                tooltip="Write back only the damaged items to the live table (typed)"),
        Binding("3", "rollback", "Roll back repoint", id="cutover.rollback",
                tooltip="Put every repointed reference back to its recorded old value (typed)"),
        # Read-only: the same keys plan, and say that the plan cannot be applied here.
        Binding("1", "dry_run_repoint", "Repoint plan (dry run)", id="cutover.repoint-dry-run",
                tooltip="The references a repoint would change; read-only cannot apply it"),
        Binding("2", "dry_run_repair", "Repair plan (dry run)", id="cutover.repair-dry-run",
                tooltip="The items a repair would write back; read-only cannot apply it"),
        Binding("ctrl+r", "retry", "Plan again", show=False, id="cutover.retry",
                tooltip="Run the last plan (1 or 2) again, after it failed or did not answer"),
        Binding("escape", "app.pop_screen", "Back", id="cutover.back"),
    ]  # fmt: skip

    def __init__(self, live: str, restored: str) -> None:
        super().__init__()
        self.live = live
        self.restored = restored
        self.cancel = threading.Event()
        self.busy: str | None = None  # the operation under way: one at a time
        self.title = f"Cutover {live}"
        # The plans (1, 2) read before asking: they fail or time out aloud, ctrl+r replans.
        self.plans = ScreenLoad(self, self.log_line, "ctrl+r plans again", self.finish)
        self.last_plan: str | None = None
        self.interrupted: list[RepointState] = []  # repoints of live killed half way
        self.checks = ScreenLoad(self, self.log_line, "1 reads it again")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only shows the dry runs (plans: reads only) instead of the changes."""
        changes = action in ("repoint", "repair", "rollback")
        if not changes and action not in ("dry_run_repoint", "dry_run_repair"):
            return True
        if changes == self.read_only:
            return False
        return None if self.busy else True  # shown, but disabled while one runs

    def action_dry_run_repoint(self) -> None:
        self.action_repoint()

    def action_dry_run_repair(self) -> None:
        self.action_repair()

    @property
    def read_only(self) -> bool:
        return self.console.source.read_only

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="cutover-choices"):
            trade_offs = TRADE_OFFS.format(live=self.live, restored=self.restored)
            if self.read_only:
                trade_offs = f"{READ_ONLY}\n{trade_offs.replace(' (3 rolls it back)', '')}"
            yield Static(Text(trade_offs))
        yield RichLog(id="cutover-log", wrap=True, markup=False)
        yield ConsoleFooter()

    def on_mount(self) -> None:
        what = "Reading what an interrupted repoint left"
        self.checks.begin(self.check_interrupted(), what, quiet=True)

    def on_unmount(self) -> None:
        self.cancel.set()

    def _interrupted_now(self) -> list[RepointState]:
        """The interrupted repoints of the live table, read against AWS (in a worker); the
        journal is folded first, so a journal without one costs no AWS read."""
        journal = self.console.source.journal
        runs = interrupted_repoints(journal.events()) if journal is not None else []
        if not any(run.live == self.live for run in runs):
            return []
        return self.console.source.interrupted_repoints(self.live)

    @work(thread=True, group="cutover-interrupted", exit_on_error=False)
    def check_interrupted(self) -> None:
        states = self._interrupted_now()
        if states:
            self.app.call_from_thread(self.offer_interrupted, states)

    def offer_interrupted(self, states: list[RepointState]) -> None:
        self.interrupted = states
        if not self.is_attached:
            return
        for state in states:
            self.log_line(state.summary())
        refused = refuse_other_target(states, self.live, self.restored)
        if self.read_only:
            self.log_line("read-only: it is neither finished nor rolled back from here.")
        elif refused is not None:
            self.log_line(refused.replace("`lee-console cutover rollback`", "3"))
        else:
            self.log_line("1 finishes it (the references still on the live table); 3 rolls back.")
        self.notify(states[0].summary(), title="Interrupted repoint", severity="warning")

    def log_line(self, line: str) -> None:
        if not self.is_attached:
            return
        stamp = self.console.now().strftime("%H:%M:%S")
        log = self.query_one("#cutover-log", RichLog)
        log.write(f"{stamp}Z  {line}")
        # and the newest line in view once it is laid out: under the (capped) choices the log
        # is short, and a scroll asked for while a wrapped line was still being measured left
        # "rollback complete" one line below the view
        self.call_after_refresh(log.scroll_end, animate=False)

    @on(Planned)
    def show_planned(self, message: Planned) -> None:
        self.log_line(message.text)

    def begin(self, operation: str) -> bool:
        if self.busy:
            self.notify(f"Wait: {self.busy} is under way.", severity="warning")
            return False
        self.busy = operation
        self.refresh_bindings()
        return True

    def finish(self) -> None:
        self.busy = None
        if self.is_attached:
            self.refresh_bindings()

    def finish_from_thread(self) -> None:
        self.app.call_from_thread(self.finish)

    # -- repoint ---------------------------------------------------------------------------

    def action_retry(self) -> None:
        if self.last_plan == "repoint":
            self.action_repoint()
        elif self.last_plan == "repair":
            self.action_repair()
        else:
            self.notify("Nothing to plan again: 1 plans a repoint, 2 a repair.")

    def action_repoint(self) -> None:
        if self.begin("planning the repoint"):
            self.last_plan = "repoint"
            self.log_line(f"finding references to {self.live} (SSM parameters, Lambda env)...")
            self.plans.begin(self.plan_repoint(), f"Finding references to {self.live}", quiet=True)

    @work(thread=True, group="cutover", exit_on_error=False)
    def plan_repoint(self) -> None:
        try:
            states = self._interrupted_now()
            changes = [] if states else self.console.source.plan_repoint(self.live, self.restored)
        except BaseException:
            self.finish_from_thread()
            raise
        if states:
            self.app.call_from_thread(self.confirm_finish, states, get_current_worker())
            return
        self.app.call_from_thread(self.confirm_repoint, changes, get_current_worker())

    def confirm_finish(self, states: list[RepointState], worker: Worker[Any]) -> None:
        if not self.plans.owns(worker) or not self.is_attached:
            return
        self.finish()
        self.offer_interrupted(states)
        if self.read_only or refuse_other_target(states, self.live, self.restored) is not None:
            return
        left = [change for state in states for change in state.left]
        for change in left:
            self.log_line(f"plan: {change.label}: {change.old} -> {change.new}")
        what = (
            f"Finish the interrupted repoint of {self.live} to {self.restored}: "
            f"{len(left)} reference(s) left to change."
        )

        def answered(reason: str | None) -> None:
            if reason is not None and self.begin("finishing the repoint"):
                self.run_finish(states)

        if left:
            self.app.push_screen(TypedConfirmScreen(what, self.restored), answered)
        elif self.begin("finishing the repoint"):  # nothing to change: only its record
            self.run_finish(states)

    @work(thread=True, group="cutover", exit_on_error=False)
    def run_finish(self, states: list[RepointState]) -> None:
        try:
            results = [self.console.source.finish_repoint(state) for state in states]
        finally:
            self.finish_from_thread()
        for result in results:
            for change_result in result.results:
                line = f"{change_result.status}: {change_result.change.label} "
                self.post_message(Planned((line + change_result.detail).rstrip()))
        complete = all(result.complete for result in results)
        verdict = "finished" if complete else "still INCOMPLETE: see above; 3 rolls back"
        self.post_message(Planned(f"interrupted repoint {verdict}"))
        self.interrupted = []

    def confirm_repoint(self, changes: list[Change], worker: Worker[Any]) -> None:
        if not self.plans.owns(worker) or not self.is_attached:
            return  # the operator planned again meanwhile (or left)
        self.finish()
        if not changes:
            self.log_line(f"nothing names {self.live}: no reference to repoint.")
            return
        for change in changes:
            self.log_line(f"plan: {change.label}: {change.old} -> {change.new}")
        if self.read_only:
            self.log_line(DRY_RUN.format(what="repoint"))
            return
        what = f"Repoint {len(changes)} reference(s) from {self.live} to {self.restored}."

        def answered(reason: str | None) -> None:
            if reason is not None and self.begin("the repoint"):
                self.run_repoint(changes)

        self.app.push_screen(TypedConfirmScreen(what, self.restored), answered)

    @work(thread=True, group="cutover", exit_on_error=False)
    def run_repoint(self, changes: list[Change]) -> None:
        try:
            result = self.console.source.repoint(self.live, self.restored, changes)
        finally:
            self.finish_from_thread()
        for change_result in result.results:
            line = f"{change_result.status}: {change_result.change.label} {change_result.detail}"
            self.post_message(Planned(line.rstrip()))
        verdict = "complete" if result.complete else "INCOMPLETE: see above; 3 rolls back"
        self.post_message(Planned(f"repoint {verdict}"))

    def action_rollback(self) -> None:
        what = (
            f"Roll back the repoint: every reference this incident moved to {self.restored} "
            f"goes back to {self.live}, where it still holds the new value."
        )

        def answered(reason: str | None) -> None:
            if reason is not None and self.begin("the rollback"):
                self.rollback()

        self.app.push_screen(TypedConfirmScreen(what, self.live), answered)

    @work(thread=True, group="cutover", exit_on_error=False)
    def rollback(self) -> None:
        try:
            pending = self.console.source.pending_rollbacks()
            if not pending:
                self.post_message(Planned("no repoint to roll back in this incident's journal"))
                return
            result = self.console.source.rollback(pending)
        finally:
            self.finish_from_thread()
        for change_result in result.results:
            label = change_result.change.label
            self.post_message(Planned(f"rollback {change_result.status}: {label}"))
        self.post_message(
            Planned("rollback complete" if result.complete else "rollback INCOMPLETE")
        )
        if result.complete:
            self.interrupted = []

    # -- repair in place ---------------------------------------------------------------------

    def action_repair(self) -> None:
        if self.begin("planning the repair"):
            self.last_plan = "repair"
            self.log_line(f"diffing {self.restored} against {self.live} (dry run, no writes)...")
            what = f"Diffing {self.restored} against {self.live}"
            self.plans.begin(self.plan_repair(), what, quiet=True)

    @work(thread=True, group="cutover", exit_on_error=False)
    def plan_repair(self) -> None:
        try:
            plan = self.console.source.plan_repair(self.live, self.restored)
        except BaseException:
            self.finish_from_thread()
            raise
        self.app.call_from_thread(self.confirm_repair, plan, get_current_worker())

    def confirm_repair(self, plan: RepairPlan, worker: Worker[Any]) -> None:
        if not self.plans.owns(worker) or not self.is_attached:
            return  # the operator planned again meanwhile (or left)
        self.finish()
        counts = ", ".join(f"{name} {value}" for name, value in plan.counts().items())
        self.log_line(f"dry run: {counts}")
        if not plan.targets:
            self.log_line("nothing to write back.")
            return
        if self.read_only:
            self.log_line(DRY_RUN.format(what="repair"))
            return
        what = (
            f"Write {plan.would_repair} damaged item(s) back to {self.live} from {self.restored}. "
            f"{plan.legit_writes_after} item(s) changed legitimately are left as they are."
        )

        def answered(reason: str | None) -> None:
            if reason is not None and self.begin("the repair"):
                self.run_repair(plan)

        self.app.push_screen(TypedConfirmScreen(what, self.live), answered)

    @work(thread=True, group="cutover", exit_on_error=False)
    def run_repair(self, plan: RepairPlan) -> None:
        def progress(update: RepairProgress) -> None:
            self.post_message(Planned(update.line()))

        try:
            result = self.console.source.run_repair(plan, progress, self.cancel)
        finally:
            self.finish_from_thread()
        counts = f"{result.repaired} repaired, {result.skipped} skipped, {result.left} left"
        self.post_message(Planned(f"repair: {counts}"))
        for key, reason in result.skipped_keys[:10]:
            self.post_message(Planned(f"skipped {key}: {reason}"))
