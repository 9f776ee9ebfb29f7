"""What each screenshot shows, in the order of a recovery: how to build the console for it (its
sample data, journal and clock) and the keys that reach the screen. tests/ui/test_snapshots.py
takes a snapshot of each at 80x24 and 120x40 and writes it to screenshots/."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sample_drill import FINISHED, MODE, drill_journal, finished_drill
from sample_runbook import LIVE, RunbookSource, recovery_journal
from sample_source import ONE_MINUTE_BEFORE, FixedClock, SampleSource, make_app
from textual.pilot import Pilot
from ui_helpers import dashboard_loaded, wait_until

from lee_console.core.inflight import InFlightRestore
from lee_console.core.restore import RestoreKind, RestoreProgress, RestoreRequest
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.drill.banner import DrillBanner
from lee_console.ui.drill.brief_screen import BriefScreen
from lee_console.ui.drill.hint_screen import HintScreen
from lee_console.ui.drill.score_screen import ScoreScreen
from lee_console.ui.screens.cutover import CutoverScreen
from lee_console.ui.screens.declare import DeclareScreen
from lee_console.ui.screens.find_good import FindGoodScreen
from lee_console.ui.screens.help import HelpScreen
from lee_console.ui.screens.note import NoteScreen
from lee_console.ui.screens.reattach import ReattachScreen
from lee_console.ui.screens.report import ReportScreen
from lee_console.ui.screens.restore_plan import RestorePlanScreen
from lee_console.ui.screens.restore_progress import RestoreProgressScreen
from lee_console.ui.screens.runbook import RunbookScreen
from lee_console.ui.screens.settings import SettingsScreen
from lee_console.ui.screens.typed_confirm import TypedConfirmScreen
from lee_console.ui.screens.verify import VerifyScreen
from lee_console.ui.widgets.timeline import Timeline

Steps = Callable[[Pilot[Any]], Awaitable[None]]
TARGET = "lee-devices-restored-20250214T112259Z"  # the second before the declared damage start
AFTER_RESTORE = datetime(2025, 2, 14, 12, 29, 40, tzinfo=UTC)  # verified: the runbook's clock


@dataclass(frozen=True)
class Shot:
    """One screenshot: the app it is taken of and the keys that reach the screen."""

    app: Callable[[], LeeConsoleApp]
    steps: Steps
    says: str  # what the picture shows, for the README


def _before_restore() -> LeeConsoleApp:
    """11:52, the incident declared, nothing restored yet."""
    journal = recovery_journal("declared")
    return make_app(RunbookSource(restore_polls=None, journal=journal), clock=FixedClock())


def _relaunched() -> LeeConsoleApp:
    """12:05: the console relaunched 13 minutes after it started two restores."""
    journal = recovery_journal("declared")
    source = RunbookSource(restore_polls=None, journal=journal)
    return make_app(source, clock=FixedClock(datetime(2025, 2, 14, 12, 5, tzinfo=UTC)))


def _after(step: str, at: datetime = AFTER_RESTORE) -> Callable[[], LeeConsoleApp]:
    def build() -> LeeConsoleApp:
        source = RunbookSource(restore_polls=None, journal=recovery_journal(step))
        return make_app(source, clock=FixedClock(at))

    return build


async def _until(pilot: Pilot[Any], kind: type, what: str = "") -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), what=what or kind.__name__)


async def timeline(pilot: Pilot[Any]) -> None:
    await dashboard_loaded(pilot)
    await pilot.press("enter")
    await wait_until(pilot, lambda: pilot.app.screen.query(Timeline), what="the timeline")


async def find_good(pilot: Pilot[Any]) -> None:
    await timeline(pilot)
    await pilot.press("g")
    await _until(pilot, FindGoodScreen)
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.estimated is not None, what="the estimate")  # type: ignore[attr-defined]


async def backups(pilot: Pilot[Any]) -> None:
    await dashboard_loaded(pilot)
    await pilot.press("b")
    await wait_until(pilot, lambda: "7 backups" in _text(pilot), what="the backups")


async def restore_plan(pilot: Pilot[Any]) -> None:
    await timeline(pilot)
    await pilot.press("r")
    await _until(pilot, RestorePlanScreen)


async def restore_progress(pilot: Pilot[Any]) -> None:
    """Started at 11:52:00, CREATING, polled every 20 s: the screen at 1 min 23 s."""
    await restore_plan(pilot)
    await pilot.press("tab", "enter")
    app: Any = pilot.app
    await _until(pilot, RestoreProgressScreen)
    tracked = app.restores.restores[TARGET]
    await wait_until(pilot, lambda: any("poll:" in line for line in tracked.log))
    for seconds in (20, 20, 20, 20, 3):
        app.now.advance(seconds)
        elapsed = tracked.elapsed_seconds(app.now())
        app.restores._apply_poll(tracked, RestoreProgress(TARGET, "CREATING", True, elapsed))
    app.screen.render_summary()


async def reattach(pilot: Pilot[Any]) -> None:
    """A relaunch while two restores started by the killed console still run."""
    await dashboard_loaded(pilot)
    started = datetime(2025, 2, 14, 11, 52, tzinfo=UTC)
    running = []
    for table, offset in ((LIVE, 0), ("lee-users", 4)):
        target = f"{table}-restored-20250214T112200Z"
        request = RestoreRequest(RestoreKind.POINT_IN_TIME, table, target, ONE_MINUTE_BEFORE)
        running.append(InFlightRestore(request, started + timedelta(seconds=offset), "journal"))
    pilot.app.push_screen(ReattachScreen(running, pilot.app.now))  # type: ignore[attr-defined]
    await _until(pilot, ReattachScreen)


async def runbook(pilot: Pilot[Any]) -> None:
    await dashboard_loaded(pilot)
    await pilot.press("u")
    await _until(pilot, RunbookScreen)
    screen = pilot.app.screen
    await wait_until(pilot, lambda: screen.book is not None, what="the runbook")  # type: ignore[attr-defined]


async def declare(pilot: Pilot[Any]) -> None:
    await runbook(pilot)
    await pilot.press("d")
    await _until(pilot, DeclareScreen)


async def verify(pilot: Pilot[Any]) -> None:
    await runbook(pilot)
    await pilot.press("enter")  # the next step: verify
    await _until(pilot, VerifyScreen)
    await wait_until(pilot, lambda: "PASSED" in _text(pilot), what="the verdict")


async def settings(pilot: Pilot[Any]) -> None:
    await runbook(pilot)
    await pilot.press("enter")  # the next step: re-apply settings
    await _until(pilot, SettingsScreen)
    await wait_until(pilot, lambda: "to re-apply" in _text(pilot), what="the drift")


async def cutover(pilot: Pilot[Any]) -> None:
    """`1` plans the repoint; the typed confirmation is cancelled: the plan stays in the log."""
    await runbook(pilot)
    await pilot.press("enter")  # the next step: cut over
    await _until(pilot, CutoverScreen)
    await pilot.press("1")
    await _until(pilot, TypedConfirmScreen)
    await pilot.press("escape")
    await _until(pilot, CutoverScreen)


async def note(pilot: Pilot[Any]) -> None:
    await runbook(pilot)
    await pilot.press("n")
    await _until(pilot, NoteScreen)
    await pilot.press(*"paged by the device team at 11:47")


async def report(pilot: Pilot[Any]) -> None:
    await runbook(pilot)
    await pilot.press("R")
    await _until(pilot, ReportScreen)
    screen = pilot.app.screen
    await wait_until(pilot, lambda: bool(screen.markdown), what="the report")  # type: ignore[attr-defined]


async def help_screen(pilot: Pilot[Any]) -> None:
    await timeline(pilot)
    await pilot.press("question_mark")
    await _until(pilot, HelpScreen)


def _drill() -> LeeConsoleApp:
    """11:52, five minutes into ann's bad-deployment drill (tests/ui/sample_drill.py)."""
    source = SampleSource(restore_polls=None)
    source.journal = drill_journal()
    return make_app(source, clock=FixedClock(), drill=MODE)


async def drill_page(pilot: Pilot[Any]) -> None:
    """The page, over the dashboard with the drill's banner, as the drill opens."""
    await _until(pilot, BriefScreen)
    dashboard = pilot.app.screen_stack[1]
    await wait_until(pilot, lambda: dashboard.query(DrillBanner), what="the banner")
    await wait_until(pilot, lambda: dashboard.data is not None, what="the dashboard")  # type: ignore[attr-defined]
    await wait_until(pilot, lambda: dashboard.query_one("#tables").row_count > 0)  # type: ignore[attr-defined]


async def drill_hint(pilot: Pilot[Any]) -> None:
    """h, y: hint 1 taken; escape, h: it again (free) and the offer of hint 2."""
    await drill_page(pilot)
    await pilot.press("enter")
    await dashboard_loaded(pilot)
    await pilot.press("h")
    await _until(pilot, HintScreen)
    await pilot.press("y")
    await wait_until(pilot, lambda: "Hint 1:" in _text(pilot), what="hint 1")
    await pilot.press("escape")
    await pilot.press("h")
    await wait_until(pilot, lambda: "Hint 2 of 3" in _text(pilot), what="the next offer")


async def drill_score(pilot: Pilot[Any]) -> None:
    """The incident closed at 12:21:40: the score card, and the ground truth beside ann's
    timeline (--facilitator)."""
    await drill_page(pilot)
    await pilot.press("enter")
    await dashboard_loaded(pilot)
    app: Any = pilot.app
    app.drill.state.finished_at = FINISHED
    app.push_screen(ScoreScreen(finished_drill, facilitator=True))
    await _until(pilot, ScoreScreen)
    await wait_until(pilot, lambda: "Score 93 / 100" in _text(pilot), what="the card")


def _text(pilot: Pilot[Any]) -> str:
    strips = pilot.app.screen._compositor.render_strips()
    return " ".join(" ".join(strip.text.split()) for strip in strips)


SHOTS: dict[str, Shot] = {
    "timeline": Shot(_before_restore, timeline,
                     "lee-devices' timeline as it opens: the cursor one minute before the "
                     "deployment `D`, in the middle of the hour around it; the writes jump at "
                     "the deployment; the markers nearest the cursor below"),
    "find-good": Shot(_before_restore, find_good,
                      "`g` on the timeline: the probe restores' cost and duration, stated "
                      "before the search starts"),
    "backups": Shot(_before_restore, backups, "`b`: the table's backups, newest first"),
    "restore-plan": Shot(_before_restore, restore_plan,
                         "`r`: the restore plan for that second (Cancel focused): target, "
                         "cost, duration, what is not carried over, the `aws` command"),
    "restore-progress": Shot(_before_restore, restore_progress,
                             "the restore as it runs: elapsed against the estimate, status, "
                             "every poll"),
    "reattach": Shot(_relaunched, reattach,
                     "a relaunch while restores still run: follow one again"),
    "runbook": Shot(_after("restored", datetime(2025, 2, 14, 12, 28, tzinfo=UTC)), runbook,
                    "the runbook once the restore is ACTIVE (it opens by itself): verify next"),
    "declare": Shot(_after("restored"), declare,
                    "`d` on the runbook: when the damage began, when it was detected"),
    "verify": Shot(_after("restored"), verify,
                   "verify: counts, rules, schema and the diff restored -> live"),
    "settings": Shot(_after("verified", datetime(2025, 2, 14, 12, 31, tzinfo=UTC)), settings,
                     "the settings AWS did not carry over, and what `a` re-applies"),
    "cutover": Shot(_after("settings", datetime(2025, 2, 14, 12, 34, tzinfo=UTC)), cutover,
                    "cutover: both strategies' trade-offs, and `1`'s repoint plan"),
    "note": Shot(_after("settings", datetime(2025, 2, 14, 12, 34, tzinfo=UTC)), note,
                 "`n`: a note for the journal (and the report)"),
    "report": Shot(_after("closed", datetime(2025, 2, 14, 12, 40, tzinfo=UTC)), report,
                   "`R`: the report, built from the journal alone: the RTO missed by 15 min"),
    "help": Shot(_before_restore, help_screen, "`?` on the timeline: every key of the screen"),
    "drill-page": Shot(_drill, drill_page,
                       "a drill opens on the page (symptoms, not the answer), the DRILL line "
                       "with its clock on every screen"),
    "drill-hint": Shot(_drill, drill_hint,
                       "`h` in a drill: the hints taken, free to read again, and the next "
                       "one's cost"),
    "drill-score": Shot(_drill, drill_score,
                        "the score card once the incident is closed: every point lost with its "
                        "reason, and the ground truth beside the participant's timeline"),
}  # fmt: skip
