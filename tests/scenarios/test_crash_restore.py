"""A real `lee-console restore` killed with SIGKILL while its restore is CREATING (restores take
10 s in this sandbox): the journal has restore-started and no finish; a rerun of the same
command follows that restore to ACTIVE instead of failing on the existing target (and a rerun
that would start a second restore is refused with the offer). One killed between AWS accepting
the restore and journaling its start (the sandbox holds the answer back after creating the
table) is found from its journaled call by `restore --reattach`, which journals its start late
and its finish, and by the console's reattach offer at launch, which does the same."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from crash_helpers import answered, called, events, kill_when, kinds, spawn
from crash_helpers import start_sandbox as crash_sandbox
from scenario_helpers import DEVICES, Cli, Sandbox, client, set_faults, table_names, utc_text
from textual.widgets import OptionList
from tui_helpers import SIZE, dashboard_loaded, flat, make_app, screen_text, sync, wait_for

from lee_console.aws.convert import table_summary
from lee_console.core.inflight import in_flight_restores
from lee_console.core.pitr import PitrWindow, TableSummary
from lee_console.core.runbook import Runbook, StepId, StepState
from lee_console.ui.screens.reattach import ReattachScreen
from lee_console.ui.screens.restore_progress import RestoreProgressScreen

RESTORE_SECONDS = 10.0
ITEMS = 300  # crash_helpers.start_sandbox's default


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    yield from crash_sandbox(tmp_path_factory, restore_seconds=RESTORE_SECONDS)


def _restoring(url: str, table: str) -> bool:
    described = client(url).describe_table(TableName=table)["Table"]
    return bool(described.get("RestoreSummary", {}).get("RestoreInProgress"))


def test_a_restore_killed_while_creating_is_followed_by_the_rerun(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, sandbox.url, "crash-restore-wait")
    point = sandbox.damage_start - timedelta(minutes=1)
    target = f"{DEVICES}-restored-{point:%Y%m%dT%H%M%SZ}"
    journal = cli.journal.path
    command = ("restore", DEVICES, "--at", utc_text(point), "--poll-seconds", "0.2")
    waiting = spawn(sandbox.url, cli.incident, *command)
    kill_when(waiting, lambda: "restore-started" in kinds(journal), "the restore to start")
    assert _restoring(sandbox.url, target), "the restore finished before the kill"
    assert "restore-finished" not in kinds(journal)
    book = Runbook.from_events(cli.journal.events())
    assert book.step(StepId.RESTORE).state is StepState.RUNNING

    # `--latest` would start a second restore under a new name: refused, with the offer.
    second = cli("restore", DEVICES, "--latest")
    assert second.code == 2 and f"into {target}" in second.err
    assert f"`lee-console restore {DEVICES} --reattach` follows it" in second.err
    assert [name for name in table_names(sandbox.url) if "-restored-" in name] == [target]
    # The same target asked for at another second: following it would give the wrong point.
    earlier = utc_text(point - timedelta(minutes=15))
    other = cli("restore", DEVICES, "--at", earlier, "--target", target)
    assert other.code == 2
    assert (
        f"lee-console: {target} is already being restored from {DEVICES} as of "
        f"{utc_text(point)} (started "
    ) in other.err
    assert f"not {earlier}: pass another --target for {earlier}, or `lee-console" in other.err

    rerun = cli.ok(*command)
    assert f"{target} is the restore a run started at" in rerun.err
    result = rerun.json
    assert (result["target"], result["status"], result["item_count"]) == (target, "ACTIVE", ITEMS)
    assert result["reattached"] is True and result["finished_unobserved"] is False
    assert kinds(journal).count("restore-started") == 1  # followed, not started again
    [finished] = [e for e in events(journal) if e["kind"] == "restore-finished"]
    assert finished["target"] == target and finished["duration_seconds"] >= RESTORE_SECONDS / 2
    book = Runbook.from_events(cli.journal.events())
    assert book.step(StepId.RESTORE).state is StepState.DONE


def _kill_before_started(sandbox: Sandbox, cli: Cli, target: str, minutes_before: int) -> None:
    """A restore whose call's answer the sandbox holds back after creating the table, killed
    then: its aws-call is journaled, its restore-started never."""
    journal = cli.journal.path
    set_faults(sandbox.url, "latency@RestoreTableToPointInTime,ms=30000,count=1")
    try:
        point = utc_text(sandbox.damage_start - timedelta(minutes=minutes_before))
        process = spawn(
            sandbox.url, cli.incident, "restore", DEVICES, "--at", point, "--target", target
        )
        kill_when(
            process,
            lambda: (
                called(journal, "RestoreTableToPointInTime") and target in table_names(sandbox.url)
            ),
            "the restore to be created",
        )
    finally:
        set_faults(sandbox.url, "")


def test_a_restore_killed_before_journaling_its_start_is_found_by_reattach(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, sandbox.url, "crash-restore-call")
    target = f"{DEVICES}-crash-call"
    journal = cli.journal.path
    _kill_before_started(sandbox, cli, target, minutes_before=2)
    assert not answered(journal, "RestoreTableToPointInTime")
    assert "restore-started" not in kinds(journal) and _restoring(sandbox.url, target)
    # The console's launch finds it the same way (its reattach offer).
    [entry] = [
        e for e in in_flight_restores(_summaries(cli), cli.journal.events())
        if e.request.target_table == target
    ]  # fmt: skip
    assert entry.still_restoring and not entry.start_journaled

    followed = cli.ok("restore", DEVICES, "--reattach", "--poll-seconds", "0.2")
    assert f"Reattached to the restore {DEVICES} as of" in followed.err
    assert (followed.json["target"], followed.json["item_count"]) == (target, ITEMS)
    started = [e for e in events(journal) if e["kind"] == "restore-started"]
    call = next(e for e in events(journal) if e.get("operation") == "RestoreTableToPointInTime")
    assert [(e["target"], e["journaled_late"], e["occurred_at"]) for e in started] == [
        (target, True, call["at"])
    ]
    assert "restore-finished" in kinds(journal)
    book = Runbook.from_events(cli.journal.events())
    assert book.step(StepId.RESTORE).state is StepState.DONE
    nothing = cli("restore", DEVICES, "--reattach")
    assert nothing.code == 2 and "No restore of lee-devices to reattach to" in nothing.err


def _summaries(cli: Cli) -> list[TableSummary]:
    """Every table as the dashboard sees it (its RestoreSummary)."""
    ddb = client(cli.url)
    return [
        table_summary(ddb.describe_table(TableName=name)["Table"], PitrWindow(False))
        for name in table_names(cli.url)
    ]


@sync
async def test_the_console_offers_a_restore_whose_start_was_never_journaled(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, sandbox.url, "crash-restore-console")
    target = f"{DEVICES}-crash-console"
    _kill_before_started(sandbox, cli, target, minutes_before=3)
    assert "restore-started" not in kinds(cli.journal.path) and _restoring(sandbox.url, target)
    app = make_app(sandbox.url, cli.journal)
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_loaded(pilot, timeout=15)
        await wait_for(pilot, lambda: isinstance(app.screen, ReattachScreen), "the offer")
        assert f"{DEVICES} -> {target}" in flat(screen_text(app))
        choices = app.screen.query_one(OptionList)
        index = next(
            i for i in range(choices.option_count) if choices.get_option_at_index(i).id == target
        )
        while choices.highlighted != index:
            await pilot.press("down")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RestoreProgressScreen), "progress")
        tracked = app.restores.restores[target]
        await wait_for(pilot, lambda: tracked.done, "the restore", timeout=RESTORE_SECONDS + 20)
        assert tracked.error is None and tracked.item_count == ITEMS
    call = next(
        e for e in events(cli.journal.path) if e.get("operation") == "RestoreTableToPointInTime"
    )
    started = [e for e in events(cli.journal.path) if e["kind"] == "restore-started"]
    assert [(e["target"], e["occurred_at"]) for e in started] == [(target, call["at"])]
    assert "restore-finished" in kinds(cli.journal.path)
    book = Runbook.from_events(cli.journal.events())
    assert book.restored == target and book.step(StepId.RESTORE).state is StepState.DONE
