"""Enter on a runbook step opens the screen that does it, or asks the question it needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from lee_console.core.journal import Kind
from lee_console.core.runbook import Runbook, StepId
from lee_console.ui.screens.confirm import ConfirmScreen

if TYPE_CHECKING:
    from lee_console.ui.app import LeeConsoleApp


def run_step(app: LeeConsoleApp, step: StepId, book: Runbook) -> None:
    from lee_console.ui.screens.cutover import CutoverScreen
    from lee_console.ui.screens.settings import SettingsScreen
    from lee_console.ui.screens.timeline import TimelineScreen
    from lee_console.ui.screens.verify import VerifyScreen

    live, restored = book.table, book.restored
    if live is None:
        app.notify("Pick the damaged table on the dashboard first: u on its row opens its runbook.")
        return
    if step in (StepId.CHOOSE_POINT, StepId.RESTORE):
        if restored and restored in app.restores.restores and step is StepId.RESTORE:
            app.watch_restore(restored)
        else:
            app.push_screen(TimelineScreen(live))
        return
    if step is StepId.CONFIRM:
        confirm_and_journal(
            app,
            f"Confirm the application works on the recovered data of {live}?",
            "Service works",
            Kind.SERVICE_CONFIRMED,
            live,
        )
        return
    if step is StepId.CLOSE:
        confirm_and_journal(
            app,
            "Close the incident? The report is built from the journal.",
            "Close incident",
            Kind.CLOSED,
            live,
            then=lambda: after_close(app),
        )
        return
    if restored is None:
        app.notify("No restore yet: choose a restore point and restore first.")
        return
    if step is StepId.VERIFY:
        app.push_screen(VerifyScreen(restored, live))
    elif step is StepId.SETTINGS:
        app.push_screen(SettingsScreen(live, restored))
    elif restored == live:
        app.notify(
            f"{live} was restored under its own name: the application already uses it, "
            "so there is nothing to cut over."
        )
    elif book.cutover_locked and not app.source.read_only:  # read-only: dry runs only
        app.notify(book.lock_reason or "Cutover is locked.", severity="warning")
    else:
        app.push_screen(CutoverScreen(live, restored))


def after_close(app: LeeConsoleApp) -> None:
    """The incident is closed: its report; in a drill, first the score card."""
    from lee_console.ui.screens.report import ReportScreen

    if app.drill is not None:
        app.drill.closed()
    else:
        app.push_screen(ReportScreen())


def confirm_and_journal(
    app: LeeConsoleApp,
    question: str,
    label: str,
    kind: str,
    table: str,
    then: Callable[[], object] | None = None,
) -> None:
    def answered(yes: bool | None) -> None:
        if yes and app.journal(kind, table=table) and then is not None:
            then()

    app.push_screen(ConfirmScreen(question, label), answered)
