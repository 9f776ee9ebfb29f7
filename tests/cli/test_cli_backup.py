"""`lee-console backup create TABLE | list [TABLE] | cleanup TABLE --retention-days N
[--dry-run] [--confirm TABLE]`."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cli_helpers import Run, make_table

from lee_console.commands.context import CommandContext


def test_create_and_list(cli: Callable[..., Run], lab_url: str, lab: Any) -> None:
    table = make_table(lab)
    run = cli("backup", "create", table, url=lab_url)
    assert run.code == 0, run.err
    created = json.loads(run.out)
    assert created["table"] == table
    assert created["type"] == "USER"
    assert created["name"].startswith(f"{table}-backup-")
    assert run.err_lines[0] == f"Created backup {created['name']} of {table}."
    assert run.err_lines[1].startswith("Started incident adhoc-")  # none was open
    (listed,) = lab.list_backups(TableName=table, BackupType="ALL")["BackupSummaries"]
    assert listed["BackupArn"] == created["arn"]

    listing = cli("backup", "list", table, url=lab_url)
    assert listing.code == 0
    header, *rows = listing.out.splitlines()
    assert header.split() == ["TABLE", "NAME", "TYPE", "STATUS", "CREATED", "SIZE", "ARN"]
    assert len(rows) == 1
    assert created["name"] in rows[0] and created["arn"] in rows[0]

    as_json = json.loads(cli("backup", "list", table, "--json", url=lab_url).out)
    assert [b["arn"] for b in as_json] == [created["arn"]]


def test_list_without_backups(cli: Callable[..., Run], lab_url: str, lab: Any) -> None:
    table = make_table(lab)
    run = cli("backup", "list", table, url=lab_url)
    assert run.code == 0
    assert run.out == ""
    assert run.err_lines == ["No backups."]


def test_create_backup_of_unknown_table(cli: Callable[..., Run], lab_url: str) -> None:
    run = cli("backup", "create", "no-such-table", url=lab_url)
    assert run.code == 2
    assert len(run.err_lines) == 1
    assert "no-such-table does not exist" in run.err


def test_cleanup_deletes_only_user_backups_older_than_retention(
    cli: Callable[..., Run], lab_url: str, lab: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = make_table(lab)
    lab.put_item(TableName=table, Item={"pk": {"S": "x"}})
    user_arns = [
        lab.create_backup(TableName=table, BackupName=f"nightly-{n}")["BackupDetails"]["BackupArn"]
        for n in (1, 2)
    ]
    lab.delete_table(TableName=table)  # PITR on: leaves a SYSTEM $DeletedTableBackup
    system = lab.list_backups(TableName=table, BackupType="SYSTEM")["BackupSummaries"]
    assert len(system) == 1

    # The backups were made just now; the command runs "eight days later".
    later = datetime.now(UTC) + timedelta(days=8)
    monkeypatch.setattr(CommandContext, "now", lambda self: later)

    kept = cli("backup", "cleanup", table, "--retention-days", "9", url=lab_url)
    assert kept.code == 0
    assert kept.err_lines == [f"No USER backups of {table} are older than 9 days."]
    assert len(lab.list_backups(TableName=table, BackupType="ALL")["BackupSummaries"]) == 3

    dry = cli("backup", "cleanup", table, "--retention-days", "7", "--dry-run", url=lab_url)
    assert dry.out.count("Would delete") == 2
    assert len(lab.list_backups(TableName=table, BackupType="ALL")["BackupSummaries"]) == 3

    run = cli("backup", "cleanup", table, "--retention-days", "7", "--confirm", table, url=lab_url)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert len(lines) == 2
    for arn, name in zip(user_arns, ("nightly-1", "nightly-2"), strict=True):
        assert any(line.startswith(f"Deleted {name} (") and arn in line for line in lines)
    assert "SYSTEM backups are never touched" in run.err
    remaining = lab.list_backups(TableName=table, BackupType="ALL")["BackupSummaries"]
    assert [b["BackupType"] for b in remaining] == ["SYSTEM"]


def test_cleanup_rejects_zero_retention(cli: Callable[..., Run], lab_url: str, lab: Any) -> None:
    table = make_table(lab)
    lab.create_backup(TableName=table, BackupName="keep-me")
    run = cli("backup", "cleanup", table, "--retention-days", "0", url=lab_url)
    assert run.code == 2
    assert len(lab.list_backups(TableName=table, BackupType="ALL")["BackupSummaries"]) == 1


def expired_backups(lab: Any, monkeypatch: pytest.MonkeyPatch) -> tuple[str, int]:
    """A table with two USER backups, and a clock eight days later."""
    table = make_table(lab)
    for n in (1, 2):
        lab.create_backup(TableName=table, BackupName=f"nightly-{n}")
    later = datetime.now(UTC) + timedelta(days=8)
    monkeypatch.setattr(CommandContext, "now", lambda self: later)
    return table, 2


def backup_count(lab: Any, table: str) -> int:
    return len(lab.list_backups(TableName=table, BackupType="ALL")["BackupSummaries"])


def test_cleanup_without_or_with_a_wrong_confirmation_deletes_nothing(
    cli: Callable[..., Run], lab_url: str, lab: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    table, count = expired_backups(lab, monkeypatch)
    args = ("backup", "cleanup", table, "--retention-days", "7")

    missing = cli(*args, url=lab_url)  # headless, no --confirm
    assert missing.code == 2 and missing.out == ""
    assert missing.err_lines == [
        f"lee-console: Not deleting 2 USER backup(s) of {table} older than 7 days without "
        f"confirmation: type {table} at the prompt, or pass --confirm {table}."
    ]
    assert backup_count(lab, table) == count

    wrong = cli(*args, "--confirm", "lee-devices", url=lab_url)
    assert wrong.code == 2 and wrong.out == ""
    assert len(wrong.err_lines) == 1
    assert "'lee-devices' is not" in wrong.err and f"--confirm {table}" in wrong.err
    assert backup_count(lab, table) == count


def test_cleanup_asks_for_the_table_name_at_a_terminal(
    cli: Callable[..., Run], lab_url: str, lab: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    table, count = expired_backups(lab, monkeypatch)
    args = ("backup", "cleanup", table, "--retention-days", "7")

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    prompts: list[str] = []
    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("builtins.input", lambda text: prompts.append(text) or "lee-devices")
    refused = cli(*args, url=lab_url)
    assert refused.code == 2
    assert refused.err_lines[-1].startswith("lee-console: Not deleting 2 USER backup(s)")
    assert sum("nightly-" in line for line in refused.err_lines) == 2  # listed before the prompt
    assert prompts == [
        f"Deleting 2 USER backup(s) of {table} older than 7 days. Type {table} to confirm: "
    ]
    assert backup_count(lab, table) == count

    monkeypatch.setattr("builtins.input", lambda text: table)
    deleted = cli(*args, url=lab_url)
    assert deleted.code == 0, deleted.err
    assert deleted.out.count("Deleted nightly-") == 2
    assert backup_count(lab, table) == 0
