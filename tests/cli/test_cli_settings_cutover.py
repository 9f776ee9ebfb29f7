"""`lee-console settings diff|apply` and `lee-console cutover repoint|rollback` against the
bad-deployment sandbox, in-process."""

from __future__ import annotations

import io
import json
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from cli_helpers import Run
from sandbox_process import running_sandbox

LIVE = "lee-devices"
PARAMETER, FUNCTION = "/lee/tables/devices", "lee-engine"
ORIGINAL_ENV = {"DEVICES_TABLE": LIVE, "USERS_TABLE": "lee-users", "SESSIONS_TABLE": "lee-sessions"}


def client(url: str, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def restore(url: str, source: str = LIVE) -> str:
    ddb = client(url, "dynamodb")
    target = f"{source}-r{uuid.uuid4().hex[:6]}"
    ddb.restore_table_to_point_in_time(
        SourceTableName=source, TargetTableName=target, UseLatestRestorableTime=True
    )
    while ddb.describe_table(TableName=target)["Table"]["TableStatus"] != "ACTIVE":
        time.sleep(0.2)
    return target


@pytest.fixture(scope="module")
def incident_url() -> Iterator[str]:
    with running_sandbox("bad-deployment", restore_seconds=1, restore_lag=0, items=100) as (
        url,
        _,
    ):
        yield url


@pytest.fixture
def url(incident_url: str) -> Iterator[str]:
    yield incident_url
    client(incident_url, "ssm").put_parameter(Name=PARAMETER, Value=LIVE, Overwrite=True)
    client(incident_url, "lambda").update_function_configuration(
        FunctionName=FUNCTION, Environment={"Variables": ORIGINAL_ENV}
    )


def references(url: str) -> tuple[str, dict[str, str]]:
    parameter = client(url, "ssm").get_parameter(Name=PARAMETER)["Parameter"]["Value"]
    config = client(url, "lambda").get_function_configuration(FunctionName=FUNCTION)
    return parameter, config["Environment"]["Variables"]


def one_line_error(run: Run) -> str:
    assert run.code == 2, run
    [line] = run.err_lines
    assert line.startswith("lee-console: ")
    return line


def test_settings_diff_apply_and_diff_again(url: str, cli: Callable[..., Run]) -> None:
    target = restore(url)
    diff = cli("settings", "diff", LIVE, target, url=url)
    assert diff.code == 1
    for setting in ("pitr", "tags", "stream", "deletion-protection", "scaling-target",
                    "scaling-policy", "alarm lee-devices-read-throttles"):  # fmt: skip
        assert any(line.startswith(setting) and "DRIFT" in line for line in diff.out.splitlines())
    as_json = json.loads(cli("settings", "diff", LIVE, target, "--json", url=url).out)
    assert {d["setting"] for d in as_json if not d["in_sync"]} >= {"pitr", "tags", "stream"}

    assert "pass --yes" in one_line_error(cli("settings", "apply", LIVE, target, url=url))
    refused = cli("settings", "apply", LIVE, target, "--yes", "--read-only", url=url)
    assert "--read-only" in one_line_error(refused)
    assert cli("settings", "diff", LIVE, target, url=url).code == 1  # still drifted

    applied = cli("settings", "apply", LIVE, target, "--yes", "--json", url=url)
    assert applied.code == 0, applied.err
    body = json.loads(applied.out)
    assert body["all_hold"] is True and "pitr" in body["applied"]
    assert set(body["holds"].values()) == {True}
    assert cli("settings", "diff", LIVE, target, url=url).code == 0


def test_settings_apply_table_marks_each_setting_holds(url: str, cli: Callable[..., Run]) -> None:
    target = restore(url, "lee-sessions")
    run = cli("settings", "apply", "lee-sessions", target, "--yes", url=url)
    assert run.code == 0, run.err
    after = run.out.split("AFTER APPLY", 1)[1]
    for setting in ("pitr", "ttl", "tags"):
        assert any(
            line.startswith(setting) and line.rstrip().endswith("holds")
            for line in after.splitlines()
        ), run.out
    assert "hold after a re-read" in run.err


def test_settings_source_from_a_backup(url: str, cli: Callable[..., Run]) -> None:
    """--from-backup: SOURCE's settings as a backup of it records them (a USER backup: PITR
    unknown); the same table not restored from a backup has no source; another table's backup
    is refused."""
    same = one_line_error(cli("settings", "diff", "lee-sessions", "lee-sessions", url=url))
    assert "same table" in same and "--from-backup" in same
    backup = client(url, "dynamodb").create_backup(TableName="lee-sessions", BackupName="nightly")
    arn = backup["BackupDetails"]["BackupArn"]
    target = restore(url, "lee-sessions")
    run = cli("settings", "diff", "lee-sessions", target, "--from-backup", arn, "--json", url=url)
    assert run.code == 1, run.err
    assert "Source: the USER backup nightly" in run.err
    drifts = {d["setting"]: d for d in json.loads(run.out)}
    assert drifts["ttl"]["source"] == "enabled on expires_at" and drifts["ttl"]["automatic"]
    assert drifts["pitr"]["source"] == "unknown: not kept in the backup"
    assert not drifts["pitr"]["automatic"]
    wrong = cli("settings", "diff", LIVE, target, "--from-backup", arn, url=url)
    assert "is a backup of lee-sessions, not of lee-devices" in one_line_error(wrong)


def test_repoint_dry_run_refusals_then_repoint_and_rollback(
    url: str, cli: Callable[..., Run]
) -> None:
    target = restore(url)
    base = ("cutover", "repoint", LIVE, "--to", target)
    dry = cli(*base, "--dry-run", url=url)
    assert dry.code == 0 and f"{LIVE} -> {target}" in dry.out
    assert PARAMETER in dry.out and "DEVICES_TABLE" in dry.out
    assert references(url) == (LIVE, ORIGINAL_ENV)

    wrong = one_line_error(cli(*base, "--confirm", LIVE, url=url))
    assert f"is not '{target}'" in wrong and f"--confirm {target}" in wrong
    assert "--confirm" in one_line_error(cli(*base, url=url))  # headless, no confirmation
    assert "--read-only" in one_line_error(cli(*base, "--confirm", target, "--read-only", url=url))
    assert references(url) == (LIVE, ORIGINAL_ENV)

    done = cli(*base, "--confirm", target, url=url)
    assert done.code == 0, done.err
    assert references(url) == (target, {**ORIGINAL_ENV, "DEVICES_TABLE": target})

    back = cli("cutover", "rollback", "--dry-run", url=url)
    assert back.code == 0 and f"{target} -> {LIVE}" in back.out
    assert references(url)[0] == target
    assert f"--confirm {LIVE}" in one_line_error(cli("cutover", "rollback", url=url))
    rolled = cli("cutover", "rollback", "--confirm", LIVE, url=url)
    assert rolled.code == 0, rolled.err
    assert references(url) == (LIVE, ORIGINAL_ENV)
    assert "No repoint to roll back" in one_line_error(cli("cutover", "rollback", url=url))


def test_the_typed_confirmation_at_a_terminal(
    url: str, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    target = restore(url)

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda prompt: "lee-devices")
    refused = cli("cutover", "repoint", LIVE, "--to", target, url=url)
    assert "is not" in one_line_error(refused)
    assert references(url) == (LIVE, ORIGINAL_ENV)
    monkeypatch.setattr("builtins.input", lambda prompt: target)
    assert cli("cutover", "repoint", LIVE, "--to", target, url=url).code == 0
    assert references(url)[0] == target


def test_repoint_to_a_table_that_is_not_there(url: str, cli: Callable[..., Run]) -> None:
    line = one_line_error(cli("cutover", "repoint", LIVE, "--to", "lee-nowhere", url=url))
    assert "lee-nowhere" in line
    assert references(url) == (LIVE, ORIGINAL_ENV)
