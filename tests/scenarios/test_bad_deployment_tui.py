"""Bad deployment, by keys in the console (Pilot, against the sandbox through the real AWS
source): restore to one minute before the deployment, open the runbook, verify (which unlocks
cutover), repair lee-devices in place with the typed confirmation, confirm service, close, and
read the report; then check the live table against the truth, and that a relaunch with the
same journal rebuilds the runbook where it was."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from scenario_helpers import DEVICE_RULES, DEVICES, Sandbox, scan_devices
from textual.widgets import Input
from tui_helpers import (
    SIZE,
    book_of,
    confirm_modal,
    dashboard_loaded,
    flat,
    make_app,
    open_runbook,
    screen_text,
    select_step,
    states,
    sync,
    wait_for,
)

from lee_console.core.runbook import StepId, StepState
from lee_console.store.journal_file import Journal
from lee_console.ui.screens.cutover import CutoverScreen
from lee_console.ui.screens.dashboard import DashboardScreen
from lee_console.ui.screens.report import ReportScreen
from lee_console.ui.screens.restore_plan import RestorePlanScreen
from lee_console.ui.screens.restore_progress import RestoreProgressScreen
from lee_console.ui.screens.runbook import RunbookScreen
from lee_console.ui.screens.typed_confirm import TypedConfirmScreen
from lee_console.ui.screens.verify import VerifyScreen
from lee_console.ui.widgets.timeline import Timeline

INCIDENT = "bad-deployment-tui"


@sync
async def test_recover_by_keys_repair_in_place(
    bad_deployment_slow: Sandbox, tmp_path: Path
) -> None:
    sandbox = bad_deployment_slow
    url = sandbox.url
    journal = Journal(tmp_path / "lee-state" / "journals", INCIDENT)
    point = sandbox.damage_start - timedelta(minutes=1)
    target = f"{DEVICES}-restored-{point:%Y%m%dT%H%M%SZ}"
    before = scan_devices(url, DEVICES)
    app = make_app(url, journal)

    async with app.run_test(size=SIZE) as pilot:
        await dashboard_loaded(pilot, timeout=15)

        # Restore: enter (timeline, cursor 1 min before the deployment), r, tab, enter.
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen.query(Timeline), "the timeline")
        timeline = app.screen.query_one(Timeline)
        await wait_for(pilot, lambda: timeline.cursor == point, "the cursor before the deploy")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RestorePlanScreen), "the plan")
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreProgressScreen), "progress")
        tracked = app.restores.restores[target]
        await wait_for(pilot, lambda: tracked.done, "the restore to finish", timeout=20)
        assert tracked.error is None and tracked.item_count == len(before)

        # The runbook: it opens when the watched restore is done (else escape to the
        # dashboard and u); restore done, verify next, cutover locked.
        runbook = await open_runbook(pilot, app)
        assert runbook.book is not None
        assert runbook.book.table == DEVICES and runbook.book.restored == target
        assert runbook.book.step(StepId.RESTORE).state is StepState.DONE
        assert runbook.book.cutover_locked
        await wait_for(
            pilot,
            lambda: "[x] 2. Restore" in flat(screen_text(app)) and "(locked)" in screen_text(app),
            "the runbook's steps on screen",
        )

        # Verify: enter on the step; the verdict; back, and cutover is unlocked.
        await select_step(pilot, runbook, StepId.VERIFY)
        await wait_for(pilot, lambda: isinstance(app.screen, VerifyScreen), "verify")
        await wait_for(pilot, lambda: "PASSED" in screen_text(app), "the verification", timeout=20)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is runbook, "the runbook again")
        await wait_for(
            pilot,
            lambda: runbook.book is not None and not runbook.book.cutover_locked,
            "cutover to unlock",
        )
        assert runbook.book.step(StepId.VERIFY).state is StepState.DONE
        await wait_for(pilot, lambda: "[x] 3. Verify" in flat(screen_text(app)), "verify done")

        # Cut over by repair in place: 2, type lee-devices, enter.
        await select_step(pilot, runbook, StepId.CUTOVER)
        await wait_for(pilot, lambda: isinstance(app.screen, CutoverScreen), "cutover")
        await pilot.press("2")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TypedConfirmScreen), "the typed confirmation"
        )
        typed = app.screen.query_one("#typed-name", Input)
        assert app.focused is typed
        await pilot.press(*DEVICES, "enter")
        await wait_for(
            pilot,
            lambda: book_of(journal).step(StepId.CUTOVER).state is StepState.DONE,
            "the repair to finish",
            timeout=20,
        )
        await wait_for(pilot, lambda: isinstance(app.screen, CutoverScreen), "the cutover log")
        await wait_for(
            pilot, lambda: f"{len(sandbox.damaged)} repaired" in screen_text(app), "the result"
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is runbook, "the runbook again")

        # Confirm service, then close: the report.
        await select_step(pilot, runbook, StepId.CONFIRM)
        await confirm_modal(pilot, app)
        await wait_for(
            pilot,
            lambda: book_of(journal).step(StepId.CONFIRM).state is StepState.DONE,
            "service confirmed",
        )
        await wait_for(pilot, lambda: app.screen is runbook, "the runbook again")
        await select_step(pilot, runbook, StepId.CLOSE)
        await confirm_modal(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the report")
        report = app.screen
        assert isinstance(report, ReportScreen)
        await wait_for(pilot, lambda: bool(report.markdown), "the report built from the journal")
        flowing = " ".join(report.markdown.split())  # the Markdown is wrapped at 80 columns
        assert "keeps the legitimate changes the diff found" in flowing
        assert f"restore-table-to-point-in-time lee-devices -> {target}" in flowing

    final = book_of(journal)
    assert final.complete
    assert states(final) == {
        StepId.CHOOSE_POINT: StepState.DONE,
        StepId.RESTORE: StepState.DONE,
        StepId.VERIFY: StepState.DONE,
        StepId.SETTINGS: StepState.SKIPPED,
        StepId.CUTOVER: StepState.DONE,
        StepId.CONFIRM: StepState.DONE,
        StepId.CLOSE: StepState.DONE,
    }

    # Against the truth: every damaged key repaired, every legitimate later write intact.
    restored = scan_devices(url, target)
    after = scan_devices(url, DEVICES)
    for key in sandbox.damaged:
        assert not DEVICE_RULES.passes(before[key]), key
        assert DEVICE_RULES.passes(after[key]) and after[key] == restored[key], key
    for key in set(before) - sandbox.damaged:
        assert after[key] == before[key], key
    assert sandbox.legit_after - sandbox.damaged

    # A relaunch with the same journal rebuilds the runbook where it was.
    again = make_app(url, Journal(journal.path.parent, INCIDENT))
    async with again.run_test(size=SIZE) as pilot:
        dashboard = await dashboard_loaded(pilot, timeout=15)
        assert isinstance(dashboard, DashboardScreen)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(again.screen, RunbookScreen), "the runbook")
        rebuilt = again.screen
        assert isinstance(rebuilt, RunbookScreen)
        await wait_for(pilot, lambda: rebuilt.book is not None, "the runbook's steps")
        assert rebuilt.book == final
        text = flat(screen_text(again))
        assert f"{DEVICES} -> {target}" in text
        for number, title in enumerate(("Choose restore point", "Restore", "Verify"), start=1):
            assert f"[x] {number}. {title}" in text
        assert "[-] 4. Re-apply settings" in text and "[x] 5. Cut over" in text
