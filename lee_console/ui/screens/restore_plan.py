"""`r`: the restore plan. What will be restored, to which second, under which name, at what
cost, what AWS will not carry over, and the equivalent `aws` command, before anything is sent.
Restore is not the focused button; confirming returns the requests to start."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from lee_console.core.awscli import aws_cli_line
from lee_console.core.cost import restore_cost
from lee_console.core.errors import LeeError
from lee_console.core.estimate import DurationEstimate
from lee_console.core.names import (
    default_restore_target,
    suggest_free_name,
    validate_table_name,
)
from lee_console.core.pitr import PitrWindow
from lee_console.core.restore import (
    NOT_CARRIED_OVER,
    RestoreKind,
    RestoreRequest,
    restore_api_params,
)
from lee_console.core.timeparse import format_utc, parse_time_detailed
from lee_console.ui.point_text import point_text
from lee_console.ui.screens.modal import ConsoleModal

BILLING_CHOICES = [
    ("keep the source's billing mode", ""),
    ("PAY_PER_REQUEST (on demand)", "PAY_PER_REQUEST"),
    ("PROVISIONED", "PROVISIONED"),
]


@dataclass(frozen=True)
class PlanSource:
    """One table in the plan, with what the estimate needs."""

    table: str
    size_bytes: int
    earliest: datetime | None = None
    latest: datetime | None = None
    backup_arn: str | None = None
    backup_kind: RestoreKind | None = None  # BACKUP or DELETED for a backup restore


class RestorePlanScreen(ConsoleModal[list[RestoreRequest] | None]):
    DEFAULT_CSS = """
    RestorePlanScreen { align: center middle; }
    RestorePlanScreen > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: round $warning; background: $surface; padding: 0 1;
    }
    RestorePlanScreen .title { text-style: bold; }
    RestorePlanScreen .field { height: 1; }
    RestorePlanScreen .field Label { width: auto; }
    RestorePlanScreen .field Input { width: 1fr; }
    RestorePlanScreen .field Select { width: 40; }
    RestorePlanScreen #plan-command { margin-top: 1; }
    RestorePlanScreen #buttons { height: 1; margin-top: 1; }
    RestorePlanScreen #buttons .gap { width: 3; }
    RestorePlanScreen #plan-error { height: auto; }
    RestorePlanScreen #plan-error { color: $error; text-style: bold; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="plan.cancel", tooltip="Start nothing"),
    ]

    def __init__(
        self,
        sources: Sequence[PlanSource],
        restore_point: datetime,
        now: datetime,
        estimates: dict[str, DurationEstimate],
        local_tz: tzinfo | None = None,
        taken: frozenset[str] = frozenset(),
    ) -> None:
        super().__init__()
        self.taken = taken  # table names that exist: a target must not be one of them
        self.sources = list(sources)
        self.restore_point = restore_point
        self.now = now
        self.estimates = estimates
        self.local_tz = local_tz or datetime.now().astimezone().tzinfo
        self.is_backup = any(source.backup_kind for source in self.sources)
        # Targets follow the restore point until the operator edits them.
        self.default_targets = [self._free(_default_target(s, restore_point)) for s in self.sources]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            names = ", ".join(source.table for source in self.sources)
            yield Label(f"Restore plan: {names} (into new tables)", classes="title")
            yield Static(id="plan-point")
            if not self.is_backup:
                with Horizontal(classes="field"):
                    yield Label("restore point ")
                    yield Input(format_utc(self.restore_point), id="point-input", compact=True)
            for index, source in enumerate(self.sources):
                with Horizontal(classes="field"):
                    yield Label(f"target for {source.table} ")
                    yield Input(self.default_targets[index], id=f"target-{index}", compact=True)
            with Horizontal(classes="field"):
                yield Label("billing mode ")
                yield Select(
                    BILLING_CHOICES, value="", allow_blank=False, id="billing", compact=True
                )
            yield Static(id="plan-estimate")
            not_carried = "; ".join(NOT_CARRIED_OVER)
            yield Static(f"Not carried over, re-apply before cutover: {not_carried}")
            yield Static(id="plan-command")
            yield Static(id="plan-error")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="primary", compact=True)
                yield Static(" ", classes="gap")
                yield Button("Restore", id="confirm", variant="warning", compact=True)
            yield Static("tab moves to Restore; escape cancels", classes="dim")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()
        self.refresh_plan()

    def _free(self, name: str) -> str:
        return suggest_free_name(name, self.taken) if name in self.taken else name

    @on(Input.Changed, "#point-input")
    def follow_point(self, event: Input.Changed) -> None:
        try:
            point, _ = parse_time_detailed(event.value, self.now)
        except LeeError:
            return
        for index, source in enumerate(self.sources):
            box = self.query_one(f"#target-{index}", Input)
            new_default = self._free(default_restore_target(source.table, point))
            if box.value == self.default_targets[index]:
                box.value = new_default
            self.default_targets[index] = new_default

    @on(Input.Changed)
    @on(Select.Changed)
    def refresh_plan(self) -> None:
        error = self.query_one("#plan-error", Static)
        try:
            requests = self.requests()
        except LeeError as problem:
            error.update(problem.message)
            self.query_one("#confirm", Button).disabled = True
            return
        error.update("")
        self.query_one("#confirm", Button).disabled = False
        point = requests[0].restore_point or self.restore_point
        kind = "backup taken" if self.is_backup else "restore to"
        self.query_one("#plan-point", Static).update(
            f"{kind} {point_text(point, self.now, self.local_tz)}"
        )
        lines = []
        for source in self.sources:
            estimate = self.estimates.get(source.table)
            duration = estimate.describe() if estimate else "unknown"
            lines.append(
                f"{source.table}: ${restore_cost(source.size_bytes):.4f} at $0.15/GB; {duration}"
            )
        self.query_one("#plan-estimate", Static).update("\n".join(lines))
        commands = [aws_cli_line("dynamodb", *restore_api_params(r)) for r in requests]
        self.query_one("#plan-command", Static).update("\n".join(f"$ {c}" for c in commands))

    def requests(self) -> list[RestoreRequest]:
        point = self.restore_point
        if not self.is_backup:
            text = self.query_one("#point-input", Input).value
            point, _ = parse_time_detailed(text, self.now)
        billing = self.query_one("#billing", Select).value
        requests = []
        for index, source in enumerate(self.sources):
            target = validate_table_name(self.query_one(f"#target-{index}", Input).value.strip())
            request = RestoreRequest(
                kind=source.backup_kind or RestoreKind.POINT_IN_TIME,
                source_table=source.table,
                target_table=target,
                restore_point=point,
                backup_arn=source.backup_arn,
                billing_mode=billing if isinstance(billing, str) and billing else None,
            )
            if not self.is_backup:
                _check_window(source, point)
            requests.append(request)
        for request in requests:
            if request.target_table in self.taken:
                raise LeeError(
                    f"A table named {request.target_table} already exists; choose another "
                    f"target, for example {suggest_free_name(request.target_table, self.taken)}."
                )
        targets = [r.target_table for r in requests]
        if len(set(targets)) != len(targets):
            raise LeeError("Two targets have the same name: give each table its own target.")
        return requests

    @on(Button.Pressed, "#confirm")
    def confirm(self) -> None:
        try:
            self.dismiss(self.requests())
        except LeeError as problem:
            self.query_one("#plan-error", Static).update(problem.message)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


def _default_target(source: PlanSource, point: datetime) -> str:
    """A deleted table comes back under its own name (it is free, and the application still
    uses it); every other restore goes to a new, timestamped name."""
    if source.backup_kind is RestoreKind.DELETED:
        return source.table
    return default_restore_target(source.table, point)


def _check_window(source: PlanSource, point: datetime) -> None:
    window = PitrWindow(enabled=True, earliest=source.earliest, latest=source.latest)
    window.check_restorable(source.table, point)
