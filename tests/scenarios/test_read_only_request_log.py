"""Safety, proven from the outside: with --read-only, every headless command and a whole console
session (dashboard, backups, timeline, an attempted restore, settings, verify, cutover, repair,
find-good) leave the sandbox's request log (`--request-log`, one line per request it received)
with no operation that is not a read.

The read guard under test is aws/readonly.py (an allow-list); the log is checked here with a
classifier of the test's own (a read prefix or an explicit read operation), so a write that got
past the guard, or a write added to the allow-list, shows up as an offender. Only the log's
lines written after the read-only part began count: the setup before it (a normal restore to
act on, a repoint to roll back, a deleted table) writes on purpose."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sandbox_process import running_sandbox
from scenario_helpers import DEVICES, Cli, Run, client, parse_utc, utc_text
from textual.screen import ModalScreen
from tui_helpers import (
    SIZE,
    dashboard_loaded,
    open_runbook,
    screen_text,
    select_step,
    sync,
    wait_for,
)

from lee_console.aws.console_source import AwsConsoleSource
from lee_console.aws.readonly import READ_OPERATIONS
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.config import Config
from lee_console.core.errors import LeeError, ReadOnlyRefused
from lee_console.core.journal import Kind
from lee_console.core.restore import RestoreKind, RestoreRequest
from lee_console.core.runbook import StepId
from lee_console.store.incidents import journals_dir
from lee_console.store.journal_file import Journal
from lee_console.store.paths import state_dir
from lee_console.ui.app import LeeConsoleApp
from lee_console.ui.screens.backups import BackupsScreen
from lee_console.ui.screens.cutover import CutoverScreen
from lee_console.ui.screens.settings import SettingsScreen
from lee_console.ui.screens.timeline import TimelineScreen
from lee_console.ui.screens.verify import VerifyScreen
from lee_console.ui.widgets.timeline import Timeline

SESSIONS = "lee-sessions"
USERS = "lee-users"
GONE = "lee-scratch"  # created and deleted in setup: a SYSTEM backup to restore from
ITEMS = 100

# The test's own idea of a read, independent of the guard's allow-list.
READ_PREFIXES = ("Describe", "List", "Get", "BatchGet", "Scan", "Query", "Head")
READ_OPERATIONS_EXTRA = frozenset({"TransactGetItems"})
KNOWN_WRITES = (
    "PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems",
    "ExecuteStatement", "CreateTable", "DeleteTable", "UpdateTable", "UpdateContinuousBackups",
    "UpdateTimeToLive", "TagResource", "CreateBackup", "DeleteBackup",
    "RestoreTableToPointInTime", "RestoreTableFromBackup", "PutParameter",
    "UpdateFunctionConfiguration", "PublishVersion", "PutMetricAlarm",
    "RegisterScalableTarget", "PutScalingPolicy", "?",
)  # fmt: skip


def is_read(operation: str) -> bool:
    return operation.startswith(READ_PREFIXES) or operation in READ_OPERATIONS_EXTRA


@dataclass(frozen=True)
class LoggedSandbox:
    url: str
    log: Path
    damage_start: datetime
    damaged_key: str  # one device_id the incident damaged


class RequestLog:
    """The sandbox's request log, read from a mark on."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.start = len(self.lines())

    def lines(self) -> list[dict[str, Any]]:
        text = self.path.read_text(encoding="utf-8")
        complete = text[: text.rfind("\n") + 1]  # a line being written is not read yet
        return [json.loads(line) for line in complete.splitlines() if line.strip()]

    def since_start(self) -> list[dict[str, Any]]:
        return self.lines()[self.start :]

    def offenders(self) -> list[str]:
        return [
            f"{line['at']} {line['service']} {line['operation']}"
            for line in self.since_start()
            if not is_read(line["operation"])
        ]

    def operations(self) -> set[str]:
        return {line["operation"] for line in self.since_start()}


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LoggedSandbox]:
    folder = tmp_path_factory.mktemp("read-only")
    truth_file, log = folder / "truth.json", folder / "requests.jsonl"
    with running_sandbox(
        "bad-deployment",
        restore_seconds=0.3,
        restore_lag=0,
        items=ITEMS,
        truth_file=truth_file,
        extra_args=("--request-log", str(log)),
    ) as (url, _):
        truth = json.loads(truth_file.read_text())
        dynamodb = client(url)
        # A deleted table with PITR: AWS (and the sandbox) keep its SYSTEM backup.
        dynamodb.create_table(
            TableName=GONE,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        dynamodb.update_continuous_backups(
            TableName=GONE, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
        )
        dynamodb.put_item(TableName=GONE, Item={"pk": {"S": "a"}})
        dynamodb.delete_table(TableName=GONE)
        yield LoggedSandbox(
            url=url,
            log=log,
            damage_start=parse_utc(truth["damage_start"]),
            damaged_key=truth["damaged_keys"][0]["device_id"],
        )


def test_the_classifier_knows_reads_from_writes() -> None:
    """The test's classifier calls every known write a write, and every operation the guard
    allows a read: a write slipped into the allow-list fails here."""
    assert [operation for operation in KNOWN_WRITES if is_read(operation)] == []
    allowed = {op for operations in READ_OPERATIONS.values() for op in operations}
    assert sorted(op for op in allowed if not is_read(op)) == []


def test_the_log_shows_a_write_sent_past_the_guard(logged: LoggedSandbox) -> None:
    """The detector detects: writes sent by a client without the guard are offenders."""
    log = RequestLog(logged.log)
    dynamodb = client(logged.url)
    dynamodb.create_table(
        TableName="lee-canary",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="lee-canary", Item={"pk": {"S": "a"}})
    dynamodb.get_item(TableName="lee-canary", Key={"pk": {"S": "a"}})
    client(logged.url, "ssm").put_parameter(Name="/lee/canary", Value="x", Type="String")
    dynamodb.delete_table(TableName="lee-canary")
    offenders = [line.split()[-1] for line in log.offenders()]
    assert offenders == ["CreateTable", "PutItem", "PutParameter", "DeleteTable"]
    assert "GetItem" in log.operations()


def refused_line(run: Run, args: tuple[str, ...]) -> str:
    """A read-only refusal: exit 2, one line on stderr that names --read-only."""
    assert run.code == 2, (args, run.code, run.err[-2000:])
    assert len(run.err_lines) == 1, (args, run.err_lines)
    [line] = run.err_lines
    assert line.startswith("lee-console: ") and "--read-only" in line, (args, line)
    return line


def test_every_headless_command_with_read_only_sends_only_reads(
    logged: LoggedSandbox, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    incident = "read-only-headless"
    cli = Cli(capsys, logged.url, incident)
    point = utc_text(logged.damage_start - timedelta(minutes=1))
    restored, sessions_restored = f"{DEVICES}-ro-cli", f"{SESSIONS}-ro-cli"

    # Setup, not read-only: a restored table to act on, and a repoint to roll back.
    cli.ok("restore", DEVICES, "--at", point, "--target", restored, "--poll-seconds", "0.2")
    cli.ok("restore", SESSIONS, "--latest", "--target", sessions_restored, "--poll-seconds", "0.2")
    cli.ok("cutover", "repoint", SESSIONS, "--to", sessions_restored, "--confirm",
           sessions_restored)  # fmt: skip
    backups = cli.ok("backup", "list", DEVICES, "--json").json
    backup_arn = next(b["arn"] for b in backups if b["type"] == "USER")
    calls_before = len([e for e in cli.journal.events() if e.kind == Kind.AWS_CALL])

    log = RequestLog(logged.log)
    refused: list[tuple[tuple[str, ...], str]] = [
        (("enable-pitr", DEVICES), "Not enabling PITR on lee-devices"),
        (("enable-pitr", "--all"), "Not enabling PITR on"),
        (("enable-pitr", USERS, "--recovery-period-days", "7", "--confirm", USERS),
         "Not enabling PITR on lee-users"),
        (("restore", DEVICES, "--at", point), "Refused RestoreTableToPointInTime"),
        (("restore", DEVICES, "--at", "-10m", "--no-wait"), "Refused RestoreTableToPointInTime"),
        (("restore", DEVICES, "--latest", "--target", "ro-latest"),
         "Refused RestoreTableToPointInTime"),
        (("restore", DEVICES, "--backup", backup_arn), "Refused RestoreTableFromBackup"),
        (("restore", GONE, "--deleted"), "Refused RestoreTableFromBackup"),
        (("backup", "create", DEVICES), "Refused CreateBackup"),
        (("backup", "cleanup", DEVICES, "--retention-days", "1", "--confirm", DEVICES),
         "Refused DeleteBackup"),
        (("settings", "apply", DEVICES, restored, "--yes"), "Not applying"),
        (("cutover", "repoint", DEVICES, "--to", restored, "--confirm", restored),
         "Not repointing 2 reference(s)"),
        (("cutover", "rollback", "--confirm", SESSIONS), "Not rolling back 2 reference(s)"),
        (("repair", DEVICES, "--from", restored, "--confirm", DEVICES), "Not writing damaged"),
        (("repair", DEVICES, "--from", restored, "--confirm", DEVICES, "--restore-deleted"),
         "Not writing damaged"),
        (("find-good", DEVICES, "--yes"), "Not searching lee-devices's window"),
        (("find-good", DEVICES, "--parallel", "4", "--precision", "1m", "--yes"),
         "Not searching lee-devices's window"),
    ]  # fmt: skip
    for args, says in refused:
        line = refused_line(cli(*args, "--read-only"), args)
        assert says in line, (args, line)

    # read_only = true in the config file is the same guarantee without the flag.
    config = tmp_path / "lee-config.toml"  # LEE_CONSOLE_CONFIG (conftest.hermetic)
    config.write_text("read_only = true\n")
    refused_line(cli("restore", DEVICES, "--latest"), ("restore", "(config read_only)"))
    refused_line(cli("backup", "create", DEVICES), ("backup create", "(config read_only)"))
    config.unlink()

    # The commands that only read (or write only the local journal) still work: exit codes
    # as each defines them (status 1: the restored tables have no PITR; settings diff 1: drift).
    reads: list[tuple[tuple[str, ...], set[int]]] = [
        (("status",), {1}),
        (("status", "--json", "--min-coverage-days", "1"), {1}),
        (("backup", "list"), {0}),
        (("backup", "list", DEVICES, "--json"), {0}),
        (("backup", "cleanup", DEVICES, "--retention-days", "1", "--dry-run"), {0}),
        (("cost",), {0}),
        (("cost", "--json", "--months", "3"), {0}),
        (("verify", restored, "--against", DEVICES), {0}),
        (("verify", DEVICES), {1}),
        (("verify", restored, "--against", DEVICES, "--item",
          json.dumps({"device_id": logged.damaged_key})), {0}),
        (("settings", "diff", DEVICES, restored), {1}),
        (("settings", "diff", DEVICES, restored, "--json"), {1}),
        (("cutover", "repoint", DEVICES, "--to", restored, "--dry-run"), {0}),
        (("cutover", "rollback", "--dry-run"), {0}),
        (("repair", DEVICES, "--from", restored, "--dry-run"), {0}),
        (("find-good", DEVICES, "--cleanup-only", "--yes"), {0}),
        (("incident", "declare", "--table", DEVICES, "--damage-start",
          utc_text(logged.damage_start)), {0}),
        (("incident", "note", "drill under --read-only"), {0}),
        (("incident", "confirm-service"), {0}),
        (("incident", "list", "--json"), {0}),
        (("config", "show"), {0}),
        (("report",), {0}),
        (("report", "--format", "json"), {0}),
        (("incident", "close"), {0}),
    ]  # fmt: skip
    for args, codes in reads:
        run = cli(*args, "--read-only")
        assert run.code in codes, (args, run.code, run.err[-2000:])

    offenders = log.offenders()
    assert offenders == [], "mutating operations under --read-only:\n" + "\n".join(offenders)
    seen = log.operations()
    for read in ("ListTables", "DescribeTable", "DescribeContinuousBackups", "ListBackups",
                 "DescribeBackup", "Scan", "DescribeTimeToLive", "DescribeParameters",
                 "ListFunctions"):  # fmt: skip
        assert read in seen, (read, sorted(seen))
    # The journal agrees: refusals recorded, not one call sent since the setup.
    events = cli.journal.events()
    assert len([e for e in events if e.kind == Kind.AWS_CALL]) == calls_before
    refused_ops = {e.data.get("operation") for e in events if e.kind == Kind.AWS_REFUSED}
    assert {"RestoreTableToPointInTime", "RestoreTableFromBackup", "CreateBackup",
            "DeleteBackup"} <= refused_ops  # fmt: skip


def read_only_app(url: str, journal: Journal) -> LeeConsoleApp:
    settings = ConnectionSettings(endpoint_url=url, region="us-east-1", sandbox=True,
                                  read_only=True)  # fmt: skip
    source = AwsConsoleSource(Aws(settings, journal))
    return LeeConsoleApp(source, Config(read_only=True), restore_poll_seconds=0.3, local_tz=UTC)


def no_modal(app: LeeConsoleApp) -> bool:
    return not isinstance(app.screen, ModalScreen)


def palette(app: LeeConsoleApp) -> set[str]:
    """What the command palette offers on the current screen."""
    return {command.title for command in app.get_system_commands(app.screen)}


async def in_thread(call: Any) -> Any:
    """A source call as a screen's worker makes it: off the event loop; its error returned."""
    try:
        return await asyncio.to_thread(call)
    except LeeError as error:
        return error


@sync
async def test_a_read_only_console_session_sends_only_reads(
    logged: LoggedSandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    incident = "read-only-tui"
    point = logged.damage_start - timedelta(minutes=1)
    restored = f"{DEVICES}-ro-tui"
    cli = Cli(capsys, logged.url, incident)
    cli.ok("restore", DEVICES, "--at", utc_text(point), "--target", restored,
           "--poll-seconds", "0.2")  # fmt: skip
    journal = Journal(journals_dir(state_dir()), incident)
    calls_before = len([e for e in journal.events() if e.kind == Kind.AWS_CALL])

    log = RequestLog(logged.log)
    app = read_only_app(logged.url, journal)
    async with app.run_test(size=SIZE) as pilot:
        dashboard = await dashboard_loaded(pilot, timeout=20)
        assert "READ-ONLY" in screen_text(app)

        # Dashboard: r (restore) and e (enable PITR) are not offered.
        await pilot.press("r", "e", "space", "r")
        await pilot.pause(0.1)
        assert app.screen is dashboard

        # Backups: r, c and enter (restore, create) do nothing.
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, BackupsScreen), "the backups")
        backups = app.screen
        assert isinstance(backups, BackupsScreen)
        await wait_for(pilot, lambda: bool(backups.backups), "the backups' rows")
        await pilot.press("r", "c", "enter")
        await pilot.pause(0.1)
        assert app.screen is backups
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is dashboard, "the dashboard again")

        # Timeline: r (restore) and g (find-good) do nothing; the app refuses a plan asked
        # for anyway, and so does find-good's action.
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TimelineScreen), "the timeline")
        timeline_screen = app.screen
        assert isinstance(timeline_screen, TimelineScreen)
        await wait_for(pilot, lambda: timeline_screen.query(Timeline), "the timeline's band")
        await pilot.press("r", "g", "tab", "enter")
        await pilot.pause(0.1)
        assert app.screen is timeline_screen
        assert not {"Restore", "Find good"} & palette(app)
        assert timeline_screen.data is not None
        app.plan_restore([timeline_screen.data.table], point)
        timeline_screen.action_find_good()
        await pilot.pause(0.1)
        assert app.screen is timeline_screen
        notes = [n.message for n in app._notifications]
        assert "Read-only: restores are not offered." in notes
        assert any("find-good restores probe tables" in n for n in notes), notes

        # Past the UI: a restore started as the plan would start it is refused by the guard
        # in aws/ (journaled aws-refused), never sent.
        request = RestoreRequest(RestoreKind.POINT_IN_TIME, DEVICES, f"{DEVICES}-ro-bypass",
                                 restore_point=point)  # fmt: skip
        tracked = app.restores.start(request, None)
        await wait_for(pilot, lambda: tracked.done, "the refused restore")
        assert tracked.error is not None and "Refused RestoreTableToPointInTime" in tracked.error
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is dashboard, "the dashboard again")

        # Runbook -> settings: a (apply) does nothing.
        runbook = await open_runbook(pilot, app)
        assert runbook.book is not None and runbook.book.restored == restored
        await select_step(pilot, runbook, StepId.SETTINGS)
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen), "settings")
        settings_screen = app.screen
        assert isinstance(settings_screen, SettingsScreen)
        await wait_for(pilot, lambda: settings_screen.loaded is not None, "the drift", 20)
        await pilot.press("a")
        await pilot.pause(0.1)
        assert app.screen is settings_screen
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is runbook, "the runbook again")

        # Verify (reads only): it passes, which unlocks cutover.
        await select_step(pilot, runbook, StepId.VERIFY)
        await wait_for(pilot, lambda: isinstance(app.screen, VerifyScreen), "verify")
        await wait_for(pilot, lambda: "PASSED" in screen_text(app), "the verification", 30)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is runbook, "the runbook again")
        await wait_for(
            pilot, lambda: runbook.book is not None and not runbook.book.cutover_locked,
            "cutover to unlock",
        )  # fmt: skip

        # Cutover: 1 (repoint), 2 (repair in place), 3 (roll back) do nothing.
        await select_step(pilot, runbook, StepId.CUTOVER)
        await wait_for(pilot, lambda: isinstance(app.screen, CutoverScreen), "cutover")
        cutover = app.screen
        assert isinstance(cutover, CutoverScreen)
        await pilot.press("1", "2", "3", "enter", "tab", "enter")
        await pilot.pause(0.2)
        assert app.screen is cutover and cutover.busy is None and no_modal(app)
        assert not {"Repoint", "Repair in place", "Roll back repoint"} & palette(app)

        screen_reads = log.operations()  # what the screens read, before the calls below

        # Past the UI again: each change a screen could ask of the source is refused by the
        # guard (repoint refuses itself first), whatever the screens offer.
        source = app.source
        outcomes = {
            "enable-pitr": await in_thread(lambda: source.enable_pitr(restored)),
            "create-backup": await in_thread(
                lambda: source.create_backup(DEVICES, datetime.now(UTC))
            ),
        }
        changes = await in_thread(lambda: source.plan_repoint(DEVICES, restored))
        assert isinstance(changes, list) and changes, changes
        outcomes["repoint"] = await in_thread(lambda: source.repoint(DEVICES, restored, changes))
        plan = await in_thread(lambda: source.plan_repair(DEVICES, restored))
        assert not isinstance(plan, LeeError), plan
        outcomes["repair"] = await in_thread(
            lambda: source.run_repair(plan, lambda _: None, threading.Event())
        )
        drift = await in_thread(lambda: source.drift(DEVICES, restored))
        assert not isinstance(drift, LeeError), drift
        outcomes["settings"] = await in_thread(lambda: source.apply_settings(*drift))
        not_refused = {k: v for k, v in outcomes.items() if not isinstance(v, ReadOnlyRefused)}
        assert not_refused == {}, not_refused
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is runbook, "the runbook again")

    await asyncio.sleep(0.3)  # a thread worker still reading when the app exited
    offenders = log.offenders()
    assert offenders == [], "mutating operations under --read-only:\n" + "\n".join(offenders)
    # Not vacuous: every screen visited read AWS (header, dashboard, backups, timeline,
    # settings, verify).
    for read in ("GetCallerIdentity", "ListTables", "DescribeContinuousBackups", "ListBackups",
                 "ListVersionsByFunction", "DescribeTimeToLive", "DescribeScalableTargets",
                 "DescribeAlarms", "Scan"):  # fmt: skip
        assert read in screen_reads, (read, sorted(screen_reads))
    events = journal.events()
    assert len([e for e in events if e.kind == Kind.AWS_CALL]) == calls_before
    refused = {e.data.get("operation") for e in events if e.kind == Kind.AWS_REFUSED}
    assert {"RestoreTableToPointInTime", "UpdateContinuousBackups", "CreateBackup",
            "PutItem"} <= refused, refused  # fmt: skip
