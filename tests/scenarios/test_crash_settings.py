"""A real `lee-console settings apply` killed with SIGKILL part way: the sandbox holds one
call's answer back for 30 s after applying it, and the test kills the process once the setting
holds. The journal has what the run was about to apply (settings-applying) and no outcome; the
runbook shows it unfinished and the report does not count it as re-applied. The next `settings
apply` says what the killed run left, applies the rest, and records the earlier run as finished
(even when nothing was left to apply); the console's settings screen says the same, and `a`
records it."""

from __future__ import annotations

import socket
import subprocess
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from crash_helpers import answered, called, kill_when, kinds, spawn, start_sandbox
from scenario_helpers import DEVICES, Cli, Sandbox, client, set_faults, utc_text
from tui_helpers import SIZE, dashboard_loaded, flat, make_app, screen_text, sync, wait_for

from lee_console.core.journal import Kind
from lee_console.core.runbook import Runbook, StepId, StepState
from lee_console.ui.screens.settings import SettingsScreen


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    yield from start_sandbox(tmp_path_factory, restore_seconds=0.3)


def _restored(cli: Cli, sandbox: Sandbox, target: str) -> None:
    point = utc_text(sandbox.damage_start - timedelta(minutes=1))
    cli.ok("incident", "declare", "--table", DEVICES, "--damage-start",
           utc_text(sandbox.damage_start))  # fmt: skip
    cli.ok("restore", DEVICES, "--at", point, "--target", target, "--poll-seconds", "0.1")


def _pitr_on(url: str, table: str) -> bool:
    described = client(url).describe_continuous_backups(TableName=table)
    pitr = described["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]
    return bool(pitr["PointInTimeRecoveryStatus"] == "ENABLED")


def _alarm_of(url: str, table: str) -> bool:
    alarms = client(url, "cloudwatch").describe_alarms(AlarmNames=[f"{table}-read-throttles"])
    return bool(alarms["MetricAlarms"])


def _kill_apply(
    sandbox: Sandbox, cli: Cli, target: str, held: str, landed: Callable[[], bool]
) -> None:
    journal = cli.journal.path
    set_faults(sandbox.url, f"latency@{held},ms=30000,count=1")
    try:
        process = spawn(sandbox.url, cli.incident, "settings", "apply", DEVICES, target, "--yes")
        kill_when(process, lambda: called(journal, held) and landed(), f"the {held} to land")
    finally:
        set_faults(sandbox.url, "")
    assert not answered(journal, held), "its answer was journaled: not killed in between"
    assert "settings-applying" in kinds(journal) and "settings-applied" not in kinds(journal)


def test_a_settings_apply_killed_after_pitr_is_said_and_finished(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, sandbox.url, "crash-settings-pitr")
    target = f"{DEVICES}-crash-settings"
    _restored(cli, sandbox, target)
    planned = cli("settings", "diff", DEVICES, target, "--json").json
    todo = [d["setting"] for d in planned if not d["in_sync"] and d["automatic"]]
    assert todo[0] == "pitr" and len(todo) > 3

    # PITR is applied first; its UpdateContinuousBackups answer never comes.
    pitr_on = lambda: _pitr_on(sandbox.url, target)  # noqa: E731
    _kill_apply(sandbox, cli, target, "UpdateContinuousBackups", pitr_on)
    book = Runbook.from_events(cli.journal.events())
    assert book.step(StepId.SETTINGS).state is StepState.RUNNING
    assert "interrupted: apply again" in " ".join(book.step(StepId.SETTINGS).evidence)
    report = cli.ok("report", "--format", "json").json
    assert any("NO OUTCOME" in line for line in report["settings"])
    assert not any("re-read: holds" in line for line in report["settings"])  # not claimed
    assert any("has no outcome in the journal (killed?)" in w for w in report["warnings"])

    rerun = cli.ok("settings", "apply", DEVICES, target, "--yes", "--json")
    left = len(todo) - 1
    assert (
        f"was interrupted before it recorded its outcome: of its {len(todo)} setting(s), 1 hold "
        f"now (pitr); {left} do not ({', '.join(todo[1:])}): this run applies them."
    ) in rerun.err
    result = rerun.json
    assert result["applied"] == todo[1:] and result["all_hold"] is True
    [earlier] = result["interrupted_earlier"]
    assert earlier["settings"] == todo and earlier["held"] == ["pitr"]
    assert cli("settings", "diff", DEVICES, target).code == 0
    book = Runbook.from_events(cli.journal.events())
    assert book.step(StepId.SETTINGS).state is StepState.DONE
    assert "pitr" in book.step(StepId.SETTINGS).evidence[0]
    report = cli.ok("report", "--format", "json").json
    assert not any("NO OUTCOME" in line for line in report["settings"])
    assert any("pitr applied by an apply interrupted at" in line for line in report["settings"])
    assert not any("has no outcome" in w for w in report["warnings"])


def test_a_settings_apply_killed_after_its_last_change_leaves_nothing_but_its_record(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, sandbox.url, "crash-settings-alarm")
    target = f"{DEVICES}-crash-alarm"
    _restored(cli, sandbox, target)

    # The alarm is the last setting applied; its PutMetricAlarm answer never comes.
    _kill_apply(sandbox, cli, target, "PutMetricAlarm", lambda: _alarm_of(sandbox.url, target))
    rerun = cli.ok("settings", "apply", DEVICES, target, "--yes", "--json")
    assert "nothing of it is left to apply" in rerun.err
    assert "Nothing to apply" in rerun.err
    assert rerun.json["applied"] == [] and rerun.json["interrupted_earlier"][0]["held"]
    book = Runbook.from_events(cli.journal.events())
    assert book.step(StepId.SETTINGS).state is StepState.DONE
    assert "alarm" in book.step(StepId.SETTINGS).evidence[0]


@sync
async def test_the_settings_screen_says_what_a_killed_apply_left_and_a_records_it(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, sandbox.url, "crash-settings-tui")
    target = f"{DEVICES}-crash-settings-tui"
    _restored(cli, sandbox, target)
    _kill_apply(sandbox, cli, target, "PutMetricAlarm", lambda: _alarm_of(sandbox.url, target))
    app = make_app(sandbox.url, cli.journal)
    async with app.run_test(size=SIZE) as pilot:
        await dashboard_loaded(pilot, timeout=15)
        app.push_screen(SettingsScreen(DEVICES, target))
        said = "was interrupted before it recorded its outcome"
        await wait_for(pilot, lambda: said in flat(screen_text(app)), "the interrupted apply")
        assert "nothing of it is left to apply" in flat(screen_text(app))
        await pilot.press("a")  # nothing to change: records the interrupted apply as finished
        await wait_for(
            pilot, lambda: "settings-applied" in kinds(cli.journal.path), "the apply's record"
        )
    book = Runbook.from_events(cli.journal.events())
    assert book.step(StepId.SETTINGS).state is StepState.DONE


def test_a_settings_apply_whose_process_is_alive_is_not_taken_over(
    sandbox: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    cli = Cli(capsys, sandbox.url, "crash-settings-alive")
    target = f"{DEVICES}-crash-settings-alive"
    _restored(cli, sandbox, target)
    with subprocess.Popen(["sleep", "60"]) as other:
        cli.journal.append(
            Kind.SETTINGS_APPLYING, run_id="s-alive", source=DEVICES, target=target,
            settings=["pitr"], pid=other.pid, host=socket.gethostname(),
        )  # fmt: skip
        refused = cli("settings", "apply", DEVICES, target, "--yes")
        assert refused.code == 2 and f"is under way (pid {other.pid}" in refused.err
        assert not _pitr_on(sandbox.url, target)
        other.kill()
    rerun = cli.ok("settings", "apply", DEVICES, target, "--yes", "--json")
    assert "of its 1 setting(s), 0 hold now; 1 do not (pitr)" in rerun.err
    assert _pitr_on(sandbox.url, target)
