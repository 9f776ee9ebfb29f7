"""--read-only shows no change to AWS anywhere, in any text: the timeline, the runbook, the
settings, the cutover (its plans as a dry run, said so) and a deleted table's backups. And the
settings' verdict after an apply says what is still to do by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sample_runbook import LIVE, RESTORED, RunbookSource, recovery_journal
from sample_source import SMALL, FixedClock, make_app
from textual.pilot import Pilot
from ui_helpers import dashboard_loaded, flat, screen_text, sync, wait_until

from lee_console.aws.settings import ApplyResult
from lee_console.core.drift import Drift
from lee_console.ui.screens.backups import BackupsScreen
from lee_console.ui.screens.cutover import CutoverScreen
from lee_console.ui.screens.runbook import RunbookScreen
from lee_console.ui.screens.settings import SettingsScreen, applied_verdict
from lee_console.ui.screens.timeline import TimelineScreen
from lee_console.ui.screens.typed_confirm import TypedConfirmScreen
from lee_console.ui.widgets.timeline import Timeline

LATER = datetime(2025, 2, 14, 12, 34, tzinfo=UTC)
OFFERS = ("r restores", "a applies", "3 rolls", "press e", "e on the dashboard", "Roll back")


def _app(step: str = "declared", at: datetime | None = None) -> Any:
    source = RunbookSource(read_only=True, restore_polls=None, journal=recovery_journal(step))
    return make_app(source, clock=FixedClock(at) if at else FixedClock())


async def _shows(pilot: Pilot[Any], text: str) -> str:
    await wait_until(pilot, lambda: text in flat(screen_text(pilot.app)), what=text)
    return flat(screen_text(pilot.app))


def _offers_nothing(text: str) -> None:
    for offer in OFFERS:
        assert offer not in text, offer


@sync
async def test_timeline_says_no_restore_and_no_enabling() -> None:
    app = _app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.query(Timeline), what="the timeline")
        text = await _shows(pilot, "cursor set 1 s before the declared damage start")
        _offers_nothing(text)
        assert "Restore" not in text and "Find good" not in text  # not in the footer either
        assert "Damage" not in text  # exports write to S3
        await pilot.press("escape")
        app.push_screen(TimelineScreen("lee-audit"))  # PITR off
        text = await _shows(pilot, "PITR is disabled on lee-audit")
        assert "Read-only: enabling it is not offered here." in text
        _offers_nothing(text)


@sync
async def test_runbook_says_which_steps_are_not_done_from_here() -> None:
    app = _app("settings", LATER)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        await pilot.press("u")
        await wait_until(pilot, lambda: isinstance(app.screen, RunbookScreen))
        text = await _shows(pilot, "READ-ONLY: restoring, re-applying settings and cutting over")
        assert text.count("(read-only: not done here)") == 3
        assert "Override lock" not in text
        assert "enter shows the repoint and repair plans as a dry run" in text


@sync
async def test_settings_are_shown_not_offered() -> None:
    app = _app("verified", LATER)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        app.push_screen(SettingsScreen(LIVE, RESTORED))
        text = await _shows(pilot, "(read-only: shown, not applied)")
        _offers_nothing(text)
        assert "! apply" not in text and "! differs: PITR on" in text


@sync
async def test_cutover_shows_its_plans_as_a_dry_run_that_cannot_be_applied() -> None:
    app = _app("settings", LATER)
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        app.push_screen(CutoverScreen(LIVE, RESTORED))
        await _shows(pilot, "READ-ONLY: 1 and 2 show what each would change")
        text = await _shows(pilot, "1 Repoint plan (dry run) 2 Repair plan (dry run)")
        _offers_nothing(text)
        await pilot.press("1")
        text = await _shows(pilot, "this repoint cannot be applied from a read-only console")
        assert "plan: ssm /lee/prod/devices-table: lee-devices ->" in text
        assert not isinstance(app.screen, TypedConfirmScreen)
        await pilot.press("2")
        await _shows(pilot, "this repair cannot be applied from a read-only console")
        assert isinstance(app.screen, CutoverScreen)


@sync
async def test_a_deleted_tables_backups_offer_no_restore() -> None:
    app = _app()
    async with app.run_test(size=SMALL) as pilot:
        await dashboard_loaded(pilot)
        app.push_screen(BackupsScreen("lee-archive", 0, table_exists=False))
        text = await _shows(pilot, "(table deleted; AWS keeps its SYSTEM backup)")
        _offers_nothing(text)
        assert "Restore backup" not in text and "Create backup" not in text


def test_the_verdict_after_apply_names_what_is_left_by_hand() -> None:
    pitr = Drift("pitr", "on, 35 days", "on, 35 days", True, "")
    tags = Drift("tags", "unknown (not in a backup)", "none", False, "set by hand", False)
    result = ApplyResult(LIVE, LIVE, [pitr], after=[pitr, tags], holds={"pitr": True})
    verdict = applied_verdict(result)
    assert verdict == (
        "Applied and re-read: every applied setting holds. Still to change by hand: tags "
        "(see ACTION)."
    )
    assert "every setting holds" not in verdict
    everything = ApplyResult(LIVE, LIVE, [pitr], after=[pitr], holds={"pitr": True})
    assert applied_verdict(everything) == "Applied and re-read: every setting holds."
