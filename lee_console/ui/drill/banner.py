"""The drill's line at the top of every full screen: DRILL, who plays, the clock since the
page, the RTO, and the keys for the page and hints. In the layout, not docked: docked widgets on
one edge overlap, and the dashboard's header is docked there."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from lee_console.core.drill.hints import HINT_COST
from lee_console.ui.drill.mode import DrillMode


class DrillState:
    """What every screen's banner shows: shared, so a hint taken on one screen counts on all.
    ``clock`` is the app's (``LeeConsoleApp.now``), which tests fix."""

    def __init__(self, mode: DrillMode, hints_used: int, clock: Callable[[], datetime]) -> None:
        self.mode = mode
        self.hints_used = hints_used
        self.clock = clock
        self.started = datetime.fromisoformat(mode.record.started_at.replace("Z", "+00:00"))
        self.finished_at: datetime | None = None


def elapsed_text(seconds: float) -> str:
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


class DrillBanner(Static):
    DEFAULT_CSS = """
    DrillBanner { height: 1; background: $warning; color: $text; padding: 0 1; }
    """

    def __init__(self, state: DrillState) -> None:
        super().__init__()
        self.state = state

    def on_mount(self) -> None:
        self.set_interval(1.0, self.refresh)

    def render(self) -> Text:
        state = self.state
        end = state.finished_at or state.clock()
        clock = elapsed_text((end - state.started).total_seconds())
        record = state.mode.record
        line = Text()
        line.append(" DRILL ", style="bold reverse")
        line.append(f" {record.participant}  {clock} / RTO {record.rto_minutes} min")
        if state.finished_at is None:
            used = f", {state.hints_used} used" if state.hints_used else ""
            line.append(f"  i page  h hint (-{HINT_COST}{used})")
        else:
            line.append("  finished")
        return line
