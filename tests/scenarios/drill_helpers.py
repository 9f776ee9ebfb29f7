"""Helpers for the drills played by keys (Pilot): a drill started with `drill start` (small, fast
restores, no live writes unless asked), the console in drill mode on it through the real AWS
source, and the score card as the participant reads it on screen."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from tui_helpers import (
    book_of,
    confirm_modal,
    dashboard_loaded,
    flat,
    open_runbook,
    screen_text,
    select_step,
    wait_for,
)

from lee_console.aws.console_source import AwsConsoleSource
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.cli import main
from lee_console.core.config import Config
from lee_console.core.runbook import StepId, StepState
from lee_console.drill_play import drill_truth
from lee_console.store.drills import DrillRecord, current_drill, results_dir
from lee_console.store.journal_file import Journal
from lee_console.store.paths import state_dir
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.drill.brief_screen import BriefScreen
from lee_console.ui.drill.mode import DrillMode
from lee_console.ui.drill.score_screen import ScoreScreen
from lee_console.ui.screens.cutover import CutoverScreen
from lee_console.ui.screens.restore_progress import RestoreProgressScreen
from lee_console.ui.screens.runbook import RunbookScreen
from lee_console.ui.screens.typed_confirm import TypedConfirmScreen
from lee_console.ui.screens.verify import VerifyScreen

CARD = re.compile(r"Score \d+ / \d+")


def drill_started(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, scenario: str, seed: int = 3
) -> Iterator[DrillRecord]:
    """For a fixture: a drill of ``scenario`` running (300 items, 1 s restores, no live writes),
    its results in a data dir of the test's own; finished (its sandbox stopped) afterwards."""
    monkeypatch.setenv("LEE_CONSOLE_DATA_DIR", str(tmp_path / "lee-data"))
    args = ["drill", "start", "--scenario", scenario, "--seed", str(seed), "--items", "300",
            "--restore-seconds", "1", "--live-writes", "0"]  # fmt: skip
    assert main(args) == 0
    record = current_drill(state_dir())
    assert record is not None
    yield record
    if current_drill(state_dir()) is not None:
        main(["drill", "finish"])


def drill_fixture(scenario: str) -> Callable[[pytest.MonkeyPatch, Path], Iterator[DrillRecord]]:
    """A module's ``drill`` fixture: a drill of ``scenario`` for each test (drill_started)."""

    @pytest.fixture(name="drill")
    def drill(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[DrillRecord]:
        yield from drill_started(monkeypatch, tmp_path, scenario)

    return drill


def journal_of(record: DrillRecord) -> Journal:
    return Journal(state_dir() / "journals", record.incident)


def drill_app(record: DrillRecord, facilitator: bool = True) -> LeeConsoleApp:
    settings = ConnectionSettings(endpoint_url=record.endpoint_url, region="us-east-1",
                                  sandbox=True)  # fmt: skip
    mode = DrillMode(record, drill_truth(record).brief.symptoms, facilitator=facilitator)
    return LeeConsoleApp(AwsConsoleSource(Aws(settings, journal_of(record))), Config(),
                         restore_poll_seconds=0.3, drill=mode)  # fmt: skip


async def past_the_page(pilot: Pilot[Any], app: LeeConsoleApp) -> str:
    """The page on screen, enter: the dashboard, loaded. Returns the page's text."""
    await wait_for(pilot, lambda: isinstance(app.screen, BriefScreen), "the page")
    page = str(screen_text(app))
    assert "PAGE" in page
    await pilot.press("enter")
    await dashboard_loaded(pilot, timeout=15)
    return page


async def restore_done(pilot: Pilot[Any], app: LeeConsoleApp, target: str | None = None) -> None:
    """After the plan's confirm: the progress screen, the restore to ``target`` (default: the
    only one) done without an error."""
    await wait_for(pilot, lambda: isinstance(app.screen, RestoreProgressScreen), "progress", 40)
    if target is None:
        [tracked] = app.restores.restores.values()
    else:
        tracked = app.restores.restores[target]
    await wait_for(pilot, lambda: tracked.done, "the restore", timeout=30)
    assert tracked.error is None


async def score_card(pilot: Pilot[Any], app: LeeConsoleApp) -> str:
    """The score card's text once the incident is closed and the drill scored."""
    await wait_for(pilot, lambda: isinstance(app.screen, ScoreScreen), "the score card")
    screen = app.screen
    assert isinstance(screen, ScoreScreen)
    await wait_for(pilot, lambda: screen.finished is not None, "the score", timeout=20)
    # The card is painted on the next refresh after the score arrives.
    await wait_for(pilot, lambda: CARD.search(screen_text(app)), "the card on screen")
    return str(screen_text(app))


def result_path(record: DrillRecord) -> Path:
    return results_dir() / f"{record.incident}.json"


def saved_result(record: DrillRecord) -> dict[str, Any]:
    """The result the score card saved (card JSON), by line key under "by_key"."""
    data: dict[str, Any] = json.loads(result_path(record).read_text(encoding="utf-8"))
    data["by_key"] = {line["key"]: line for line in data["lines"]}
    return data


async def verify_step(pilot: Pilot[Any], runbook: RunbookScreen) -> None:
    """Verify from the runbook, PASSED, back to the runbook (cutover unlocked)."""
    app = runbook.app
    await select_step(pilot, runbook, StepId.VERIFY)
    await wait_for(pilot, lambda: isinstance(app.screen, VerifyScreen), "verify")
    await wait_for(pilot, lambda: "PASSED" in screen_text(app), "the verdict", timeout=20)
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.screen is runbook, "the runbook")
    await wait_for(pilot, lambda: not runbook.book.cutover_locked, "cutover unlocked")  # type: ignore[union-attr]


async def cutover_step(
    pilot: Pilot[Any], runbook: RunbookScreen, record: DrillRecord, key: str, typed: str
) -> None:
    """The cutover step with strategy ``key`` (1 repoint, 2 repair in place) confirmed by
    typing ``typed``; done in the journal; back to the runbook."""
    app = runbook.app
    await select_step(pilot, runbook, StepId.CUTOVER)
    await wait_for(pilot, lambda: isinstance(app.screen, CutoverScreen), "cutover")
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, TypedConfirmScreen), "typed")
    await pilot.press(*typed, "enter")
    journal = journal_of(record)
    await wait_for(
        pilot,
        lambda: book_of(journal).step(StepId.CUTOVER).state is StepState.DONE,
        "the cutover",
        timeout=30,
    )
    await pilot.press("escape")
    await wait_for(pilot, lambda: app.screen is runbook, "the runbook")


async def close_for_the_card(pilot: Pilot[Any], app: LeeConsoleApp) -> str:
    """Close the incident in the runbook (step 7): the score card's text, flattened."""
    runbook = await open_runbook(pilot, app)
    await select_step(pilot, runbook, StepId.CLOSE)
    await confirm_modal(pilot, app)
    return str(flat(await score_card(pilot, app)))
