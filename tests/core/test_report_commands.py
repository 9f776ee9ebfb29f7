"""The report's commands: summarised by operation and resource in Markdown, every call in JSON,
and the Markdown within 80 columns."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.report.build import build_report
from lee_console.core.report.commands import resource_of

T0 = datetime(2025, 2, 14, 12, 30, tzinfo=UTC)
LIVE, RESTORED = "lee-devices", "lee-devices-restored-20250214T112200Z"


def ev(kind: str, seconds: float, **data: Any) -> JournalEvent:
    return JournalEvent(kind=kind, at=T0 + timedelta(seconds=seconds), data=data)


def put(seconds: float, key: int) -> list[JournalEvent]:
    params = {
        "TableName": LIVE,
        "Item": {"sha256": "x", "attributes": ["device_id"]},
        "ConditionExpression": "#u = :u",
    }
    cli = f'aws dynamodb put-item --table-name {LIVE} --item \'{{"device_id":"dev-{key:05d}"}}\''
    return [
        ev(Kind.AWS_CALL, seconds, service="dynamodb", operation="PutItem", params=params, cli=cli),
        ev(Kind.AWS_RESULT, seconds, service="dynamodb", operation="PutItem", status=200)
        if key % 150
        else ev(
            Kind.AWS_ERROR,
            seconds,
            service="dynamodb",
            operation="PutItem",
            status=400,
            error_code="ConditionalCheckFailedException",
        ),
    ]


def journal() -> list[JournalEvent]:
    events = [ev(Kind.INCIDENT_DECLARED, 0, table=LIVE)]
    for key in range(1, 453):  # 452 puts, 3 of them refused by their condition
        events += put(key, key)
    events.append(
        ev(
            Kind.AWS_CALL,
            500,
            service="dynamodb",
            operation="UpdateContinuousBackups",
            params={"TableName": RESTORED},
            cli=f"aws dynamodb update-continuous-backups --table-name {RESTORED}",
        )
    )  # killed before its answer
    return events


def test_markdown_summarises_by_operation_and_table_and_fits_80_columns() -> None:
    report = build_report(journal(), 60)
    markdown = report.to_markdown()
    commands = markdown.split("## Commands run", 1)[1]
    flowing = " ".join(commands.split())
    assert "dynamodb put-item lee-devices x452, conditional, 3 skipped" in flowing
    assert f"update-continuous-backups {RESTORED}, 1 with no answer journaled" in flowing
    assert "aws dynamodb put-item" not in markdown  # the command lines are in the JSON
    assert len(commands.splitlines()) < 12
    assert max(len(line) for line in markdown.splitlines()) <= 80


def test_json_keeps_every_call_and_the_summary() -> None:
    document = json.loads(build_report(journal(), 60).to_json())
    assert len(document["commands"]) == 453
    assert document["commands"][0]["cli"].startswith("aws dynamodb put-item --table-name")
    put_items = document["command_summary"][0]
    assert put_items["operation"] == "put-item" and put_items["resource"] == LIVE
    assert (put_items["calls"], put_items["conditional"], put_items["skipped"]) == (452, 452, 3)
    assert put_items["text"] == "put-item lee-devices x452, conditional, 3 skipped"


def test_a_repair_journaled_by_batch_is_one_line() -> None:
    events = [
        ev(Kind.INCIDENT_DECLARED, 0, table=LIVE),
        ev(Kind.REPAIR_BATCH, 10, live=LIVE, restored=RESTORED, repaired=20, skipped=1),
        ev(Kind.REPAIR_BATCH, 20, live=LIVE, restored=RESTORED, repaired=25, skipped=0),
        ev(
            Kind.REPAIR_FINISHED,
            30,
            live=LIVE,
            restored=RESTORED,
            repaired=45,
            skipped=1,
            left=0,
            complete=True,
        ),
    ]
    report = build_report(events, 60)
    assert [g.text() for g in report.command_groups] == [
        "put-item lee-devices x46, conditional, 1 skipped (repair in place, journaled in 2 batches)"
    ]


def test_what_a_call_acted_on() -> None:
    assert resource_of({"SourceTableName": LIVE, "TargetTableName": RESTORED}) == (
        f"{LIVE} -> {RESTORED}"
    )
    assert resource_of({"ResourceArn": f"arn:aws:dynamodb:us-east-1:1:table/{RESTORED}"}) == (
        RESTORED
    )
    assert resource_of({"ResourceId": f"table/{RESTORED}"}) == RESTORED
    assert resource_of({"Name": "/lee/devices-table"}) == "/lee/devices-table"
    assert resource_of({"BackupArn": "arn:aws:dynamodb:r:1:table/lee-devices/backup/01"}) == (
        "lee-devices backup"
    )
    assert resource_of({}) is None
