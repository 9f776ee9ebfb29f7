"""`g` on the timeline: find the last good point. Before anything starts, the screen states the
plan: rounds, probes per round, probe restores in all, what they cost (x size x $0.15/GB) and
how long they take, beside the same with one probe a round. Probes per round are chosen (the
fewest rounds within the probe budget and AWS's 50 concurrent restores, then the fewest probes)
unless the operator types a number; the operator may change the precision, and confirms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, Static

from lee_console.core.errors import LeeError
from lee_console.core.findgood import SearchEstimate, parse_precision
from lee_console.ui.screens.console_access import ConsoleAccess
from lee_console.ui.screens.modal import ConsoleModal

DEFAULT_PRECISION = "1m"
AUTO = "auto"


@dataclass(frozen=True)
class SearchChoice:
    precision: timedelta
    parallel: int
    window: tuple[datetime, datetime]
    adaptive: bool = False  # chosen: each round runs only the probes still needed


class Estimated(Message):
    def __init__(
        self,
        asked: tuple[timedelta, int | None],
        estimate: SearchEstimate,
        window: tuple[datetime, datetime],
    ) -> None:
        super().__init__()
        self.asked = asked  # the precision and probes per round it was computed for
        self.estimate = estimate
        self.window = window


class FindGoodScreen(ConsoleAccess, ConsoleModal[SearchChoice | None]):
    DEFAULT_CSS = """
    FindGoodScreen { align: center middle; }
    FindGoodScreen > Vertical {
        width: 80; max-width: 100%; height: auto; border: round $warning;
        background: $surface; padding: 0 1;
    }
    FindGoodScreen .field { height: 1; }
    FindGoodScreen .field Label { width: 24; }
    FindGoodScreen .field Input { width: 1fr; }
    FindGoodScreen #buttons { height: 1; margin-top: 1; }
    FindGoodScreen #buttons .gap { width: 3; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="findgood.cancel"),
    ]

    def __init__(self, table: str) -> None:
        super().__init__()
        self.table = table
        self.estimated: Estimated | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Find the last good point of {self.table}", classes="title")
            yield Static(
                "Restores probe tables across the window, checks each with the integrity "
                "rules, deletes it, and narrows down to the latest point with no violations. "
                "Assumes damage, once begun, stays (monotone)."
            )
            with Horizontal(classes="field"):
                yield Label("precision (30s, 1m, 1h)")
                yield Input(DEFAULT_PRECISION, id="precision", compact=True)
            with Horizontal(classes="field"):
                yield Label("probes per round")
                yield Input(AUTO, id="parallel", compact=True, placeholder="auto or 1-50")
            yield Static("Estimating the cost...", id="estimate")
            with Horizontal(id="buttons"):
                yield Button("Cancel", id="cancel", variant="primary", compact=True)
                yield Static(" ", classes="gap")
                yield Button("Start search", id="start", variant="warning", compact=True)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()
        self.refresh_estimate()

    @on(Input.Changed)
    def refresh_estimate(self) -> None:
        try:
            precision, parallel = self.choice()
        except LeeError as error:
            self.query_one("#estimate", Static).update(error.message)
            self.query_one("#start", Button).disabled = True
            return
        self.query_one("#start", Button).disabled = True
        self.estimate(precision, parallel)

    def choice(self) -> tuple[timedelta, int | None]:
        precision = parse_precision(self.query_one("#precision", Input).value)
        raw = self.query_one("#parallel", Input).value.strip().lower()
        if raw in ("", AUTO):
            return precision, None
        if not raw.isdigit() or not 1 <= int(raw) <= 50:
            raise LeeError("Probes per round: auto, or a whole number from 1 to 50.")
        return precision, int(raw)

    @work(thread=True, exclusive=True, group="findgood-estimate", exit_on_error=False)
    def estimate(self, precision: timedelta, parallel: int | None) -> None:
        estimate, earliest, latest = self.console.source.estimate_search(
            self.table, precision, parallel
        )
        self.post_message(Estimated((precision, parallel), estimate, (earliest, latest)))

    @on(Estimated)
    def show_estimate(self, message: Estimated) -> None:
        try:
            if message.asked != self.choice():
                return  # an estimate for inputs since changed
        except LeeError:
            return
        self.estimated = message
        self.query_one("#estimate", Static).update("\n".join(message.estimate.plan_lines()))
        self.query_one("#start", Button).disabled = False

    @on(Button.Pressed, "#start")
    def start(self) -> None:
        if self.estimated is None:
            return
        try:
            asked = self.choice()
        except LeeError as error:
            self.query_one("#estimate", Static).update(error.message)
            return
        if asked != self.estimated.asked:
            return  # its estimate is on its way
        plan = self.estimated.estimate
        self.dismiss(
            SearchChoice(asked[0], plan.probes_per_round, self.estimated.window, plan.adaptive)
        )

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
