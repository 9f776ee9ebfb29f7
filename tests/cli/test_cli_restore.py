"""`lee-console restore`: the restored table holds exactly what the source held at the second
asked for; progress on stderr, the result as JSON on stdout."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cli_helpers import Run, make_table, pitr_status, scan_all, sleep_to_next_second

from lee_console.store.journal_file import read_journal

POLL = ("--poll-seconds", "0.2")
PROGRESS = re.compile(
    r"^\[\d\d:\d\d\] (\S+): (CREATING|ACTIVE|MISSING), restore (in progress|complete)$"
)


def iso(second: int) -> str:
    return datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def stamp(second: int) -> str:
    return datetime.fromtimestamp(second, UTC).strftime("%Y%m%dT%H%M%SZ")


def item(pk: str, **values: str) -> dict[str, Any]:
    return {"pk": {"S": pk}, **{k: {"S": v} for k, v in values.items()}}


def write_history(client: Any, table: str) -> tuple[int, dict[str, dict[str, Any]]]:
    """Writes before and after a quiet second T; returns T and the items as of T."""
    for n in range(1, 6):
        client.put_item(TableName=table, Item=item(f"k{n}", state="on", rev="1"))
    client.batch_write_item(
        RequestItems={table: [{"PutRequest": {"Item": item(f"b{n}", state="new")}} for n in (1, 2)]}
    )
    client.update_item(
        TableName=table,
        Key={"pk": {"S": "k5"}},
        UpdateExpression="SET #s = :s",
        ExpressionAttributeNames={"#s": "state"},
        ExpressionAttributeValues={":s": {"S": "dimmed"}},
    )
    client.delete_item(TableName=table, Key={"pk": {"S": "k4"}})
    as_of_t = scan_all(client, table)
    moment = sleep_to_next_second()  # nothing is written during second T
    time.sleep(1.0)
    client.put_item(TableName=table, Item=item("k1", state="CORRUPT", rev="2"))
    client.update_item(
        TableName=table,
        Key={"pk": {"S": "k2"}},
        UpdateExpression="REMOVE #s",
        ExpressionAttributeNames={"#s": "state"},
    )
    client.delete_item(TableName=table, Key={"pk": {"S": "k3"}})
    client.put_item(TableName=table, Item=item("k9", state="late"))
    client.batch_write_item(RequestItems={table: [{"DeleteRequest": {"Key": {"pk": {"S": "b1"}}}}]})
    client.transact_write_items(
        TransactItems=[{"Put": {"TableName": table, "Item": item("b2", state="tx")}}]
    )
    assert scan_all(client, table) != as_of_t
    return moment, as_of_t


def wait_restorable(client: Any, table: str, moment: float) -> None:
    for _ in range(50):
        pitr = client.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"
        ]
        if pitr["LatestRestorableDateTime"].timestamp() >= moment:
            return
        time.sleep(0.1)
    raise AssertionError(f"{table} never became restorable at {moment}")


def test_restore_at_a_second_gives_the_items_as_of_that_second(
    cli: Callable[..., Run], lab_url: str, lab: Any, tmp_path: Path
) -> None:
    table = make_table(lab)
    moment, as_of_t = write_history(lab, table)
    run = cli("restore", table, "--at", iso(moment), *POLL, url=lab_url)
    assert run.code == 0, run.err
    result = json.loads(run.out)
    target = f"{table}-restored-{stamp(moment)}"
    assert result["target"] == target
    assert result["source"] == table
    assert result["restore_point"] == iso(moment)
    assert result["status"] == "ACTIVE"
    assert result["item_count"] == len(as_of_t)
    assert result["item_count_source"].startswith("DescribeTable ItemCount (approximate")
    assert result["duration_seconds"] >= 0.8  # the sandbox keeps it CREATING for 1 s
    assert scan_all(lab, target) == as_of_t
    progress = [line for line in run.err_lines if PROGRESS.match(line)]
    assert progress, run.err
    assert "CREATING, restore in progress" in progress[0]

    exact = cli("restore", table, "--at", iso(moment), "--target", f"{target}-x",
                "--exact-count", *POLL, url=lab_url)  # fmt: skip
    assert json.loads(exact.out)["item_count"] == len(as_of_t), exact.err
    assert json.loads(exact.out)["item_count_source"] == "Scan Select=COUNT (exact)"
    assert progress[-1].endswith(f"{target}: ACTIVE, restore complete")
    assert run.err_lines[0] == f"Restoring {table} as of {iso(moment)} -> {target}"
    assert pitr_status(lab, target) == "DISABLED"  # AWS does not carry PITR over
    journal = list(read_journal(next((tmp_path / "lee-state" / "journals").glob("*.jsonl"))))
    kinds = [(e.kind, e.data.get("operation")) for e in journal]
    assert ("aws-call", "RestoreTableToPointInTime") in kinds
    assert ("restore-started", None) in kinds
    assert kinds[-1] == ("restore-finished", None)


def test_restore_with_a_time_without_zone_and_a_target(
    cli: Callable[..., Run], lab_url: str, lab: Any
) -> None:
    table = make_table(lab)
    moment, as_of_t = write_history(lab, table)
    no_zone = datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%d %H:%M:%S")
    target = f"{table}-picked"
    run = cli("restore", table, "--at", no_zone, "--target", target, *POLL, url=lab_url)
    assert run.code == 0, run.err
    assert run.err_lines[0] == f"No zone given in {no_zone!r}: read as UTC ({iso(moment)})."
    result = json.loads(run.out)
    assert (result["target"], result["restore_point"]) == (target, iso(moment))
    assert scan_all(lab, target) == as_of_t


def test_restore_from_a_table_without_pitr(cli: Callable[..., Run], lab_url: str, lab: Any) -> None:
    table = make_table(lab, pitr=False)
    tables = set(lab.list_tables()["TableNames"])
    run = cli("restore", table, "--latest", url=lab_url)
    assert run.code == 2
    assert run.err_lines == [
        f"lee-console: Point-in-time recovery is not enabled on {table}; "
        f"enable it (lee-console enable-pitr {table}) or restore from a backup."
    ]
    assert set(lab.list_tables()["TableNames"]) == tables


def test_restore_latest(cli: Callable[..., Run], lab_url: str, lab: Any) -> None:
    table = make_table(lab)
    lab.put_item(TableName=table, Item=item("only", state="on"))
    wait_restorable(lab, table, time.time())
    run = cli("restore", table, "--latest", *POLL, url=lab_url)
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["target"].startswith(f"{table}-restored-")
    assert result["restore_point"] is not None
    assert result["item_count"] == 1
    assert scan_all(lab, result["target"]) == scan_all(lab, table)


def test_restore_no_wait(cli: Callable[..., Run], lab_url: str, lab: Any) -> None:
    table = make_table(lab)
    lab.put_item(TableName=table, Item=item("x"))
    wait_restorable(lab, table, time.time())
    run = cli("restore", table, "--latest", "--no-wait", url=lab_url)
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["status"] == "CREATING"  # reported as sent, not polled
    assert result["item_count"] is None
    assert result["item_count_source"] is None  # nothing was counted, exactly or not
    # Started for real (the target exists as a restore of the table), and not waited for:
    # no progress line, which the waiter prints on every poll.
    described = lab.describe_table(TableName=result["target"])["Table"]
    assert described["RestoreSummary"]["SourceTableArn"].endswith(f"/{table}")
    assert not any(PROGRESS.match(line) for line in run.err_lines)


def test_restore_from_an_on_demand_backup(cli: Callable[..., Run], lab_url: str, lab: Any) -> None:
    table = make_table(lab)
    for n in range(3):
        lab.put_item(TableName=table, Item=item(f"k{n}", state="good"))
    at_backup = scan_all(lab, table)
    arn = lab.create_backup(TableName=table, BackupName="before-deploy")["BackupDetails"][
        "BackupArn"
    ]
    lab.put_item(TableName=table, Item=item("k0", state="bad"))
    lab.put_item(TableName=table, Item=item("k7", state="bad"))
    run = cli("restore", table, "--backup", arn, *POLL, url=lab_url)
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["target"].startswith(f"{table}-restored-")
    assert result["item_count"] == 3
    assert scan_all(lab, result["target"]) == at_backup


def test_restore_a_deleted_table(cli: Callable[..., Run], lab_url: str, lab: Any) -> None:
    table = make_table(lab)
    for n in range(4):
        lab.put_item(TableName=table, Item=item(f"k{n}", state="kept"))
    before = scan_all(lab, table)
    lab.delete_table(TableName=table)
    run = cli("restore", table, "--deleted", *POLL, url=lab_url)
    assert run.code == 0, run.err
    result = json.loads(run.out)
    assert result["target"].startswith(f"{table}-restored-")
    assert result["item_count"] == 4
    assert scan_all(lab, result["target"]) == before


def test_restore_deleted_without_a_system_backup(
    cli: Callable[..., Run], lab_url: str, lab: Any
) -> None:
    table = make_table(lab, pitr=False)
    lab.delete_table(TableName=table)
    tables = set(lab.list_tables()["TableNames"])
    run = cli("restore", table, "--deleted", url=lab_url)
    assert run.code == 2
    assert len(run.err_lines) == 1
    assert "No deleted-table backup" in run.err
    assert set(lab.list_tables()["TableNames"]) == tables
