"""The console after a repoint was killed between a write and its journal record (a real
`lee-console cutover repoint` process, SIGKILL while the sandbox holds PutParameter's answer
back): the runbook shows the cutover unfinished and says what to do; the cutover screen says
which references the killed run changed and offers to finish it (1) or roll it back (3); 1 with
the typed name finishes it, and 3 then puts back every reference, the one whose write was never
journaled included."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from crash_helpers import events, kill_repoint, start_sandbox
from scenario_helpers import DEVICES, FUNCTION, PARAMETER, Cli, Sandbox, references, utc_text
from textual.widgets import Input
from tui_helpers import (
    SIZE,
    book_of,
    dashboard_loaded,
    flat,
    make_app,
    screen_text,
    select_step,
    sync,
    wait_for,
)

from lee_console.core.runbook import StepId, StepState
from lee_console.ui.screens.cutover import CutoverScreen
from lee_console.ui.screens.runbook import RunbookScreen
from lee_console.ui.screens.typed_confirm import TypedConfirmScreen

INCIDENT = "crash-repoint-tui"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    yield from start_sandbox(tmp_path_factory, restore_seconds=0.3)


@pytest.fixture
def killed(sandbox: Sandbox, capsys: pytest.CaptureFixture[str]) -> tuple[Cli, str]:
    """Restored, verified, and a repoint killed after its SSM write landed unjournaled."""
    cli = Cli(capsys, sandbox.url, INCIDENT)
    target = f"{DEVICES}-crash-tui"
    point = utc_text(sandbox.damage_start - timedelta(minutes=1))
    cli.ok("incident", "declare", "--table", DEVICES, "--damage-start",
           utc_text(sandbox.damage_start))  # fmt: skip
    cli.ok("restore", DEVICES, "--at", point, "--target", target, "--poll-seconds", "0.1")
    assert cli("verify", target, "--against", DEVICES).code == 0  # unlocks cutover
    kill_repoint(sandbox, INCIDENT, cli.journal.path, target, "PutParameter", (target, DEVICES))
    return cli, target


@sync
async def test_the_cutover_screen_offers_the_interrupted_repoint_and_finishes_it(
    sandbox: Sandbox, killed: tuple[Cli, str], tmp_path: Path
) -> None:
    cli, target = killed
    journal = cli.journal
    app = make_app(sandbox.url, journal)
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_loaded(pilot, timeout=15)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, RunbookScreen), "the runbook")
        runbook = app.screen
        assert isinstance(runbook, RunbookScreen)
        await wait_for(pilot, lambda: runbook.book is not None, "the runbook's steps")
        assert runbook.book is not None
        cutover_step = runbook.book.step(StepId.CUTOVER)
        assert cutover_step.state is StepState.RUNNING
        assert "it was interrupted: repoint again to finish it" in cutover_step.evidence[0]

        await select_step(pilot, runbook, StepId.CUTOVER)
        await wait_for(pilot, lambda: isinstance(app.screen, CutoverScreen), "the cutover screen")
        screen = app.screen
        assert isinstance(screen, CutoverScreen)
        said = f"was interrupted: 1 of 2 reference(s) changed (ssm {PARAMETER})"
        await wait_for(pilot, lambda: said in flat(screen_text(app)), "the interrupted repoint")
        text = flat(screen_text(app))
        assert f"still {DEVICES}: lambda {FUNCTION} DEVICES_TABLE" in text
        assert "1 finishes it" in text and "3 rolls back" in text
        assert [s.run.restored for s in screen.interrupted] == [target]

        # 1: the rest of the plan, after typing the restored table's name.
        await pilot.press("1")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TypedConfirmScreen), "the typed confirmation"
        )
        assert isinstance(app.focused, Input)
        await pilot.press(*target, "enter")
        await wait_for(
            pilot,
            lambda: "interrupted repoint finished" in flat(screen_text(app)),
            "the repoint to finish",
            timeout=20,
        )
        assert references(sandbox.url) == (target, target)
        assert book_of(journal).step(StepId.CUTOVER).state is StepState.DONE

        # 3: every reference back, the SSM parameter the killed run changed included.
        await pilot.press("3")
        await wait_for(
            pilot, lambda: isinstance(app.screen, TypedConfirmScreen), "the rollback's typing"
        )
        await pilot.press(*DEVICES, "enter")
        await wait_for(
            pilot, lambda: "rollback complete" in flat(screen_text(app)), "the rollback", 20
        )
    assert references(sandbox.url) == (DEVICES, DEVICES)
    started = next(e for e in events(journal.path) if e["kind"] == "cutover-started")
    [cutover] = [e for e in events(journal.path) if e["kind"] == "cutover"]
    assert cutover["cutover_id"] == started["cutover_id"] and cutover["resumed"] is True
