"""Drill mode inside the console app: the banner on every screen, the page at the start, hints
(journaled, so the score counts them even after a relaunch), and the score card when the
participant closes the incident."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import ModalScreen, Screen

from lee_console.aws.drill_finish import HINT_KIND, FinishedDrill, hints_used
from lee_console.core.drill.hints import HINT_COST, hint
from lee_console.core.drill.truth import DrillTruth
from lee_console.store.drills import read_truth
from lee_console.ui.drill.banner import DrillBanner, DrillState
from lee_console.ui.drill.brief_screen import BriefScreen
from lee_console.ui.drill.hint_screen import HintScreen
from lee_console.ui.drill.mode import DrillMode
from lee_console.ui.drill.score_screen import ScoreScreen

if TYPE_CHECKING:
    from lee_console.ui.app import LeeConsoleApp


class DrillController:
    def __init__(self, app: LeeConsoleApp, mode: DrillMode, state_dir: Path) -> None:
        self.app = app
        self.mode = mode
        self.state_dir = state_dir
        journal = app.source.journal
        used = len(hints_used(journal.events())) if journal is not None else 0
        self.state = DrillState(mode, used, app.now)

    def begin(self) -> None:
        self.app.push_screen(BriefScreen(self.mode))

    def decorate(self, screen: Screen[Any], tries: int = 100) -> None:
        """Give a full screen the banner (modals sit over one that has it), once the screen is
        mounted: a widget mounted into a screen still composing is lost."""
        if isinstance(screen, ModalScreen) or screen.query(DrillBanner):
            return
        if not screen.is_mounted:
            if tries > 0:
                self.app.set_timer(0.02, lambda: self.decorate(screen, tries - 1))
            return
        first = screen.children[0] if screen.children else None
        screen.mount(DrillBanner(self.state), before=first)

    def show_page(self) -> None:
        self.app.push_screen(BriefScreen(self.mode))

    def offer_hint(self) -> None:
        if self.state.finished_at is not None:
            self.app.notify("The drill is over: no hint counts now.")
            return
        scenario = self.mode.record.scenario
        seen = self.state.hints_used

        def answered(take: bool | None) -> None:
            if not take:
                return
            number = seen + 1
            text = hint(scenario, number)
            if text is None or not self.app.journal(HINT_KIND, number=number, cost=HINT_COST):
                return
            self.state.hints_used = number
            self.app.refresh_bindings()
            for screen in self.app.screen_stack:  # the count now, not at the clock's next tick
                for banner in screen.query(DrillBanner):
                    banner.refresh()
            self.app.push_screen(HintScreen(scenario, number, offer=False))

        self.app.push_screen(HintScreen(scenario, seen), answered)

    def closed(self) -> None:
        """The participant closed the incident: the drill is over, score it."""
        self.state.finished_at = self.app.now()
        self.app.push_screen(ScoreScreen(self._finish, self.mode.facilitator))

    def _finish(self) -> FinishedDrill:
        self.mode.before_scoring()
        truth = DrillTruth.from_json(read_truth(self.mode.record))
        now = self.state.finished_at or self.app.now()
        return self.app.source.finish_drill(self.state_dir, self.mode.record, truth, now)
