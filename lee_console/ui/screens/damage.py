"""`d` on the timeline: the damage from the cursor to now, found from incremental exports (no
restore, the live table not read). The plan (exports, period, cost) is shown first; enter starts
the exports; the result is every changed item classified, the first damaging write, samples and
counts per rule. Leaving with a first damaging write found puts the timeline's cursor on the
second before it (the default restore point)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from lee_console.aws.damage import ExportPlan
from lee_console.core.errors import LeeError
from lee_console.core.exports.damage import DamageReport, damage_text
from lee_console.core.timeparse import format_utc
from lee_console.ui.loading import ScreenLoad
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.widgets.console_footer import ConsoleFooter


class Planned(Message):
    def __init__(self, plan: ExportPlan) -> None:
        super().__init__()
        self.plan = plan


class Found(Message):
    def __init__(self, report: DamageReport | None, failure: str | None = None) -> None:
        super().__init__()
        self.report = report
        self.failure = failure


class DamageScreen(ConsoleAccess, Screen[datetime | None]):
    """Dismissed with the first damaging write found (None: none, or not run)."""

    DEFAULT_CSS = """
    DamageScreen #damage-status { padding: 0 1; height: auto; text-style: bold; }
    DamageScreen #damage-body { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start the exports", id="damage.start",
                tooltip="Start the incremental exports the plan shows (billed per GB)"),
        Binding("escape", "back", "Back", id="damage.back"),
    ]  # fmt: skip

    def __init__(self, table: str, since: datetime) -> None:
        super().__init__()
        self.table = table
        self.since = since
        self.plan: ExportPlan | None = None
        self.report: DamageReport | None = None
        self.running = False
        self.title = f"Damage {table}"
        self.reads = ScreenLoad(self, self.show_status)

    @property
    def bucket(self) -> str | None:
        return self.console.config.export_bucket

    def compose(self) -> ComposeResult:
        yield Static(id="damage-status")
        with VerticalScroll():
            yield Static(id="damage-body")
        yield ConsoleFooter()

    def on_mount(self) -> None:
        what = f"Planning the incremental exports of {self.table} from {format_utc(self.since)}"
        self.reads.begin(self.plan_exports(), what)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action != "start":
            return True
        if self.console.source.read_only or self.bucket is None:
            return False
        return None if self.plan is None or self.running or self.report else True

    def show_status(self, text: str) -> None:
        if self.is_attached:
            self.query_one("#damage-status", Static).update(Text(text))

    @work(thread=True, exclusive=True, group="damage-plan", exit_on_error=False)
    def plan_exports(self) -> None:
        now = self.console.now()
        self.post_message(Planned(self.console.source.damage_plan(self.table, self.since, now)))

    @on(Planned)
    def show_plan(self, message: Planned) -> None:
        self.plan = plan = message.plan
        first, last = plan.periods[0][0], plan.periods[-1][1]
        lines = [
            f"{len(plan.periods)} incremental export(s) of {self.table}, {format_utc(first)} -> "
            f"{format_utc(last)}; the live table is not read and nothing is restored.",
            f"Cost: {plan.cost.text()}.",
        ]
        if first != self.since:
            lines.append(
                f"An export covers 15 minutes at least: widened from {format_utc(self.since)}."
            )
        if self.console.source.read_only:
            status = "Read-only: exports write to S3, so they are not started from here."
        elif self.bucket is None:
            status = (
                "No S3 bucket for the exports: set export_bucket in the config file (or run "
                f"`lee-console damage {self.table} --since {format_utc(self.since)} --bucket B`)."
            )
        else:
            status = f"enter starts the exports to s3://{self.bucket}; escape goes back."
        self.show_status(status)
        self.query_one("#damage-body", Static).update(Text("\n".join(lines)))
        self.refresh_bindings()

    def action_start(self) -> None:
        if self.plan is None or self.bucket is None or self.running or self.report is not None:
            return
        self.running = True
        self.refresh_bindings()
        self.show_status(
            f"Exporting {len(self.plan.periods)} period(s) to s3://{self.bucket}: exports take "
            "minutes in AWS; the result is shown here when they are read."
        )
        self.run_exports(self.plan, self.bucket)

    @work(thread=True, exclusive=True, group="damage-run", exit_on_error=False)
    def run_exports(self, plan: ExportPlan, bucket: str) -> None:
        try:
            report = self.console.source.damage(plan, bucket, self.console.now())
        except LeeError as error:
            self.post_message(Found(None, str(error)))
            return
        self.post_message(Found(report))

    @on(Found)
    def show_result(self, message: Found) -> None:
        self.running = False
        if message.report is None:
            self.show_status(f"The exports failed: {message.failure}")
            self.refresh_bindings()
            return
        self.report = report = message.report
        if report.first_damage is None:
            status = "No damaging write in the period."
        else:
            status = (
                f"First damaging write {format_utc(report.first_damage)}: escape puts the "
                "timeline's cursor on the second before it."
            )
        self.show_status(status)
        self.query_one("#damage-body", Static).update(Text(damage_text(report)))
        self.refresh_bindings()

    def action_back(self) -> None:
        self.dismiss(self.report.first_damage if self.report is not None else None)
