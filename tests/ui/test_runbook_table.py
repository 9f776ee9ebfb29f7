"""The runbook opened for a table (the restore just watched, the dashboard's row) is that
table's recovery, even in an incident declared for another table."""

from __future__ import annotations

from pathlib import Path

from sample_source import SMALL, SampleSource, make_app
from ui_helpers import dashboard_loaded, flat, screen_text, sync, wait_until

from lee_console.core.journal import Kind
from lee_console.store.journal_file import Journal
from lee_console.ui.screens.runbook import RunbookScreen


@sync
async def test_the_runbook_opened_for_a_restored_table_shows_that_table(tmp_path: Path) -> None:
    journal = Journal(tmp_path / "journals", "two-tables")
    journal.append(Kind.INCIDENT_DECLARED, table="lee-devices", detected_at="2025-02-14T11:47:00Z")
    for source in ("lee-devices", "lee-users"):
        journal.append(
            Kind.RESTORE_STARTED,
            source=source,
            target=f"{source}-r",
            restore_point="2025-02-14T11:22:00Z",
            restore_kind="point-in-time",
        )
    sample = SampleSource()
    sample.journal = journal
    app = make_app(sample)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        app.open_runbook("lee-users")
        await wait_until(pilot, lambda: "Recovery runbook: lee-users" in flat(screen_text(app)))
        assert "Recovery runbook: lee-users -> lee-users-r" in flat(screen_text(app))
        await pilot.press("escape")
        app.open_runbook(None)  # the incident's own table
        await wait_until(pilot, lambda: isinstance(app.screen, RunbookScreen))
        await wait_until(pilot, lambda: "Recovery runbook: lee-devices" in flat(screen_text(app)))
        assert "lee-devices -> lee-devices-r" in flat(screen_text(app))
