"""Accidental delete, by keys in the console: the dashboard shows lee-devices DELETED with its
SYSTEM backup; enter lists its backups (the SYSTEM one first), enter plans the restore under
the table's own name, tab and enter start it; then the runbook: verify, the settings step (the
source table is gone, so the drift is against the deleted table's SYSTEM backup, and the
screen says so; `a` re-applies PITR, the stream and deletion protection), cutover not needed,
confirm service, close."""

from __future__ import annotations

from pathlib import Path

from scenario_helpers import DEVICES, Sandbox, client, scan_devices
from textual.widgets import DataTable
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

from lee_console.core.report.fold import fold_incident
from lee_console.core.runbook import StepId, StepState
from lee_console.store.journal_file import Journal
from lee_console.ui.screens.backups import BackupsScreen
from lee_console.ui.screens.report import ReportScreen
from lee_console.ui.screens.restore_plan import RestorePlanScreen
from lee_console.ui.screens.restore_progress import RestoreProgressScreen
from lee_console.ui.screens.settings import SettingsScreen
from lee_console.ui.screens.verify import VerifyScreen

SYSTEM_BACKUP = f"{DEVICES}$DeletedTableBackup"


@sync
async def test_restore_the_deleted_table_by_keys(
    accidental_delete_tui: Sandbox, tmp_path: Path
) -> None:
    sandbox = accidental_delete_tui
    url = sandbox.url
    journal = Journal(tmp_path / "lee-state" / "journals", "accidental-delete-tui")
    app = make_app(url, journal)

    async with app.run_test(size=SIZE) as pilot:
        dashboard = await dashboard_loaded(pilot, timeout=15)
        rows: DataTable[str] = dashboard.query_one("#tables", DataTable)
        deleted_row = rows.get_row_index(f"deleted:{DEVICES}")
        await wait_for(
            pilot,
            lambda: "DELETED" in screen_text(app) and "SYSTEM backup" in screen_text(app),
            "the deleted row on screen",
        )
        while rows.cursor_row != deleted_row:
            await pilot.press("down" if rows.cursor_row < deleted_row else "up")

        await pilot.press("enter")  # its backups
        await wait_for(pilot, lambda: isinstance(app.screen, BackupsScreen), "the backups")
        backups = app.screen
        assert isinstance(backups, BackupsScreen)
        await wait_for(pilot, lambda: backups.backups, "the backups to load")
        assert backups.backups[0].name == SYSTEM_BACKUP  # newest first: taken at the delete
        assert "table deleted: r restores its SYSTEM backup" in screen_text(app)

        await pilot.press("enter")  # plan its restore
        await wait_for(pilot, lambda: isinstance(app.screen, RestorePlanScreen), "the plan")
        plan = app.screen
        assert isinstance(plan, RestorePlanScreen)
        [request] = plan.requests()
        assert request.target_table == DEVICES  # under its own name, by default
        assert request.backup_arn == backups.backups[0].arn
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreProgressScreen), "progress")
        tracked = app.restores.restores[DEVICES]
        await wait_for(pilot, lambda: tracked.done, "the restore to finish", timeout=20)
        assert tracked.error is None and tracked.item_count == len(sandbox.damaged)

        runbook = await open_runbook(pilot, app)
        assert runbook.book is not None
        assert runbook.book.table == DEVICES and runbook.book.restored == DEVICES
        assert runbook.book.step(StepId.RESTORE).state is StepState.DONE
        assert runbook.book.step(StepId.CUTOVER).state is StepState.SKIPPED

        await select_step(pilot, runbook, StepId.VERIFY)
        await wait_for(pilot, lambda: isinstance(app.screen, VerifyScreen), "verify")
        await wait_for(pilot, lambda: "PASSED" in screen_text(app), "the verification", 20)
        await pilot.press("escape")
        await wait_for(
            pilot,
            lambda: (
                runbook.book is not None
                and runbook.book.step(StepId.VERIFY).state is StepState.DONE
            ),
            "verify done",
        )

        await select_step(pilot, runbook, StepId.SETTINGS)
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "settings")
        settings = app.screen
        assert isinstance(settings, SettingsScreen)
        await wait_for(pilot, lambda: settings.loaded is not None, "the drift", 20)
        # The rows are painted after the data arrives: wait for them on screen.
        await wait_for(pilot, lambda: "off at deletion" in flat(screen_text(app)), "rows", 10)
        text = flat(screen_text(app))
        assert f"deleted table's SYSTEM backup {SYSTEM_BACKUP}" in text
        assert "off at deletion" in text and "period assumed" in text
        assert "Every setting matches" not in text
        assert settings.loaded is not None
        todo = {d.setting for d in settings.loaded.drifts if d.to_apply}
        assert todo == {"pitr", "stream", "deletion-protection"}
        await pilot.press("a")
        await confirm_modal(pilot, app)
        await wait_for(pilot, lambda: settings.holds, "the re-read after apply", 30)
        assert settings.holds == dict.fromkeys(todo, True)
        await wait_for(
            pilot, lambda: "every applied setting holds" in flat(screen_text(app)), "holds"
        )
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is runbook, "the runbook again")
        await wait_for(
            pilot,
            lambda: book_of(journal).step(StepId.SETTINGS).state is StepState.DONE,
            "settings done",
        )

        await select_step(pilot, runbook, StepId.CONFIRM)
        await confirm_modal(pilot, app)
        await wait_for(pilot, lambda: app.screen is runbook, "the runbook again")
        await select_step(pilot, runbook, StepId.CLOSE)
        await confirm_modal(pilot, app)
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen), "the report")

    assert states(book_of(journal)) == {
        StepId.CHOOSE_POINT: StepState.DONE,
        StepId.RESTORE: StepState.DONE,
        StepId.VERIFY: StepState.DONE,
        StepId.SETTINGS: StepState.DONE,
        StepId.CUTOVER: StepState.SKIPPED,
        StepId.CONFIRM: StepState.DONE,
        StepId.CLOSE: StepState.DONE,
    }
    verification = fold_incident(journal.events()).verification
    assert verification is not None and verification.passed
    assert verification.table == DEVICES and verification.against is None  # not against itself
    assert set(scan_devices(url, DEVICES)) == sandbox.damaged  # every item of the backup
    described = client(url).describe_table(TableName=DEVICES)["Table"]
    assert described["TableStatus"] == "ACTIVE" and described["DeletionProtectionEnabled"]
    assert described["StreamSpecification"]["StreamEnabled"]
