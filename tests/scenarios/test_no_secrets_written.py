"""Nothing secret or customer-owned is written anywhere the console writes. A whole recovery
(declare, restore, verify, settings, repoint and roll back, repair, confirm, close, report) runs
with recognisable fake secrets in the environment (AWS credentials), in the application's
Lambda variables, in SSM (a SecureString and a plain value) and inside damaged items; then
every file under the console's state and config dirs and every line it printed to stderr is
searched for them. The journal still says what changed: the table names it repointed."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from scenario_helpers import DEVICES, FUNCTION, Cli, Sandbox, client, utc_text

MARK = "FAKESECRET"
SECRETS = {
    "AWS_ACCESS_KEY_ID": "AKIAFAKESECRET000001",
    "AWS_SECRET_ACCESS_KEY": f"{MARK}-aws-secret-access-key",
    "AWS_SESSION_TOKEN": f"{MARK}-aws-session-token",
}


def _plant(url: str, damaged: set[str]) -> None:
    functions = client(url, "lambda")
    config = functions.get_function_configuration(FunctionName=FUNCTION)
    variables = dict(config["Environment"]["Variables"])
    variables.update({"DB_PASSWORD": f"{MARK}-db-password", "PARTNER_API": f"{MARK}-api-key"})
    functions.update_function_configuration(
        FunctionName=FUNCTION, Environment={"Variables": variables}
    )
    ssm = client(url, "ssm")
    ssm.put_parameter(Name="/lee/db-password", Value=f"{MARK}-ssm-secure", Type="SecureString")
    ssm.put_parameter(Name="/lee/partner", Value=f"{MARK}-ssm-plain", Type="String")
    dynamodb = client(url)
    for device in sorted(damaged)[:5]:  # still damaged: repair conditions on these bodies
        dynamodb.update_item(
            TableName=DEVICES,
            Key={"device_id": {"S": device}},
            UpdateExpression="SET owner_email = :e, wifi_psk = :p",
            ExpressionAttributeValues={
                ":e": {"S": f"{MARK}-owner-{device}@example.com"},
                ":p": {"S": f"{MARK}-wifi-{device}"},
            },
        )


def test_a_whole_recovery_writes_no_secret(
    bad_deployment_secrets: Sandbox,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    sandbox = bad_deployment_secrets
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    _plant(sandbox.url, sandbox.damaged)
    cli = Cli(capsys, sandbox.url, "secrets-drill")
    point = utc_text(sandbox.damage_start - timedelta(minutes=1))
    printed: list[str] = []

    def ok(*args: str) -> str:
        run = cli.ok(*args)
        printed.append(run.err)
        return run.out

    ok("incident", "declare", "--table", DEVICES, "--damage-start",
       utc_text(sandbox.damage_start), "--detected", "-1m")  # fmt: skip
    restored = json.loads(ok("restore", DEVICES, "--at", point, "--poll-seconds", "0.1"))["target"]
    verify = cli("verify", restored, "--against", DEVICES)
    printed.append(verify.err)
    ok("settings", "apply", DEVICES, restored, "--yes")
    ok("cutover", "repoint", DEVICES, "--to", restored, "--confirm", restored)
    ok("cutover", "rollback", "--confirm", DEVICES)
    ok("repair", DEVICES, "--from", restored, "--confirm", DEVICES)
    ok("incident", "confirm-service")
    ok("incident", "close")
    report = ok("report", "secrets-drill") + ok("report", "secrets-drill", "--format", "json")

    written = [p for p in (tmp_path / "lee-state").rglob("*") if p.is_file()]
    assert any(p.name == "secrets-drill.jsonl" for p in written)
    leaks = {
        str(path): path.read_bytes().count(MARK.encode())
        for path in written
        if MARK.encode() in path.read_bytes() or b"AKIAFAKESECRET" in path.read_bytes()
    }
    assert leaks == {}
    assert MARK not in report and "AKIAFAKESECRET" not in report
    assert MARK not in "".join(printed)

    events = [json.loads(line) for line in cli.journal.path.read_text().splitlines()]
    lambda_calls = [e for e in events if e.get("operation") == "UpdateFunctionConfiguration"]
    assert lambda_calls, "the repoint's Lambda change is journaled"
    shown = lambda_calls[0]["params"]["Environment"]["Variables"]
    assert shown == {"DEVICES_TABLE": restored}  # the changed variable, its table-name value
    cutover = next(e for e in events if e["kind"] == "cutover")
    assert {(c["kind"], c["new"]) for c in cutover["changes"]} == {
        ("ssm", restored),
        ("lambda", restored),
    }
