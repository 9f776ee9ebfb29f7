"""The score card, computed against the ground truth once the incident is closed: the sandbox
is read (what the application reads now, item digests) in a worker, the result saved."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from lee_console.aws.drill_finish import FinishedDrill
from lee_console.core.drill.card import card_text, timeline_text

Finish = Callable[[], FinishedDrill]


class ScoreScreen(Screen[None]):
    DEFAULT_CSS = """
    ScoreScreen VerticalScroll { padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="score.back"),
    ]

    def __init__(self, finish: Finish, facilitator: bool) -> None:
        super().__init__()
        self.finish = finish
        self.facilitator = facilitator
        self.finished: FinishedDrill | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("Scoring the drill against its ground truth...", id="card")
        yield Footer()

    def on_mount(self) -> None:
        self.score()

    @work(thread=True, exclusive=True, group="drill-score", exit_on_error=False)
    def score(self) -> None:
        try:
            finished = self.finish()
        except Exception as error:  # said on screen; the drill can be finished headless
            self.app.call_from_thread(self._failed, error)
            return
        self.app.call_from_thread(self.show, finished)

    def _failed(self, error: BaseException) -> str:
        reason: str = self.app.worker_failed(error, "drill score")  # type: ignore[attr-defined]
        self.query_one("#card", Static).update(
            Text(f"The drill could not be scored: {reason}\n`lee-console drill finish` retries.")
        )
        return reason

    def show(self, finished: FinishedDrill) -> None:
        self.finished = finished
        self.paint()

    def on_resize(self) -> None:
        self.paint()

    def paint(self) -> None:
        """The card wrapped to the screen (its padding and scrollbar taken off)."""
        finished = self.finished
        if finished is None:
            return
        width = max(40, self.size.width - 4)
        text = card_text(finished.card, width)
        if self.facilitator:
            text += "\n\n" + timeline_text(finished.timeline, finished.card.info.participant, width)
        text += f"\n\nSaved {finished.markdown_path}. q leaves the console."
        self.query_one("#card", Static).update(Text(text))

    def action_back(self) -> None:
        self.app.pop_screen()
