"""On launch: probe tables that find-good runs killed before their cleanup left behind (the
journals say they were started and never deleted; AWS shows restores of their source under a
probe's name, aws/probe_tables.py). The console names them and offers to delete them; the
safe answer is focused. One confirmation, as for the search that made them: they are the
console's own probes, whose deletion the operator agreed to when starting it. With
--read-only they are only named. The question waits for the dashboard's own launch question
(restores to reattach) and for any other modal to be answered: two questions never stack. The
deletions are journaled (DeleteTable by the session's hooks, a ``probe`` event each); the
outcome is one notification."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.screen import ModalScreen
from textual.timer import Timer

from lee_console.ui.screens.confirm import ConfirmScreen
from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.source import ConsoleSource

if TYPE_CHECKING:  # imported by the app as it mounts, before boto3 (ui/connecting.py)
    from lee_console.aws.probe_tables import LeftoverScan
    from lee_console.core.probe_leftovers import StartedProbe

SHOWN = 6  # probes named in the question; the rest are counted
WAIT_SECONDS = 0.25  # how often to look whether the question may be asked


class LeftoverProbesScreen(ConfirmScreen):
    """True: delete them."""

    def __init__(self, probes: list[StartedProbe]) -> None:
        super().__init__(question(probes), "Delete them")
        self.probes = probes


def question(probes: list[StartedProbe]) -> str:
    lines = [
        f"{len(probes)} probe table(s) left by a find-good run that was killed or lost its "
        "session still exist (they cost, and `status` alerts on them):"
    ]
    lines += [f"  {p.target} (restore of {p.table}, run {p.search_id})" for p in probes[:SHOWN]]
    if len(probes) > SHOWN:
        lines.append(f"  ... and {len(probes) - SHOWN} more")
    lines.append("Delete them? Only these tables, which the journal says find-good created.")
    return "\n".join(lines)


def find_leftover_probes(app: App[Any], source: ConsoleSource) -> None:
    """In a thread worker: find them, then ask on the UI thread."""
    scan = source.leftover_probes()
    if scan.leftovers or scan.maybe_running:
        app.call_from_thread(offer, app, source, scan)


def offer(app: App[Any], source: ConsoleSource, scan: LeftoverScan) -> None:
    if scan.maybe_running:
        names = ", ".join(p.target for p in scan.maybe_running)
        app.notify(
            f"Probe table(s) of a find-good run that may still be going: {names}; not touched.",
            title="find-good",
            timeout=12,
        )
    if not scan.leftovers:
        return
    if source.read_only:
        names = ", ".join(p.target for p in scan.leftovers)
        app.notify(
            f"Probe table(s) left by a killed find-good run: {names}. Read-only: not deleted; "
            "relaunch without --read-only, or run lee-console find-good TABLE --cleanup-only "
            "--yes.",
            title="find-good",
            severity="warning",
            timeout=20,
        )
        return

    def answered(yes: bool | None) -> None:
        if yes:
            app.run_worker(
                lambda: delete(app, source, scan.leftovers),
                thread=True,
                group="leftover-probes",
                name="delete leftover probes",
                exit_on_error=False,
            )

    timer: Timer | None = None

    def ask() -> None:
        if not _may_ask(app):
            return
        if timer is not None:
            timer.stop()
        app.push_screen(LeftoverProbesScreen(scan.leftovers), answered)

    if _may_ask(app):
        ask()
    else:
        timer = app.set_interval(WAIT_SECONDS, ask)


def _may_ask(app: App[Any]) -> bool:
    """The dashboard has loaded and asked its own launch question, and no modal is on top."""
    dashboard = next((s for s in app.screen_stack if isinstance(s, DashboardScreen)), None)
    return (
        dashboard is not None
        and dashboard.offered_reattach
        and not isinstance(app.screen, ModalScreen)
    )


def delete(app: App[Any], source: ConsoleSource, probes: list[StartedProbe]) -> None:
    """In a thread worker: delete them (each waits until its restore is done), then say."""
    failures: list[str] = []

    def said(probe: StartedProbe, deleted: bool, error: str | None) -> None:
        if not deleted:
            failures.append(f"{probe.target}: {error}; delete it yourself: {probe.delete_command}")

    left = source.delete_leftover_probes(probes, said)
    gone = len(probes) - len(left)
    if gone:
        app.call_from_thread(
            app.notify, f"Deleted {gone} leftover probe table(s).", title="find-good"
        )
    for failure in failures:
        app.call_from_thread(
            app.notify, f"NOT deleted: {failure}", title="find-good", severity="error", timeout=20
        )
