"""Every mutating call is journaled before it is sent and after it returns; reads are not."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from lee_console.aws.backups import create_backup
from lee_console.aws.session import Aws
from lee_console.core.errors import TableNotFound
from lee_console.store.journal_file import Journal


def test_create_backup_is_journaled_before_and_after(
    make_aws: Callable[..., Aws], new_table: Callable[..., str], journal: Journal, raw: Any
) -> None:
    table = new_table()
    aws = make_aws()
    aws.dynamodb.create_backup(TableName=table, BackupName="nightly")
    events = list(journal.events())
    assert [e.kind for e in events] == ["aws-call", "aws-result"]
    call, result = events
    assert call.data["service"] == "dynamodb"
    assert call.data["operation"] == "CreateBackup"
    assert call.data["params"] == {"TableName": table, "BackupName": "nightly"}
    assert call.data["cli"].startswith("aws dynamodb create-backup")
    assert shlex.split(call.data["cli"])[3:] == [
        "--table-name", table, "--backup-name", "nightly",
    ]  # fmt: skip
    assert call.data["identity"] == aws.identity()
    assert call.data["identity"].startswith("arn:aws:")
    assert result.data["operation"] == "CreateBackup"
    assert result.data["status"] == 200
    assert result.at >= call.at
    assert len(raw.list_backups(TableName=table)["BackupSummaries"]) == 1


def test_reads_write_nothing(
    make_aws: Callable[..., Aws], new_table: Callable[..., str], journal: Journal
) -> None:
    table = new_table()
    aws = make_aws()
    aws.dynamodb.describe_table(TableName=table)
    aws.dynamodb.describe_continuous_backups(TableName=table)
    aws.dynamodb.list_backups(TableName=table)
    aws.dynamodb.scan(TableName=table)
    aws.identity()
    assert not journal.path.exists() or list(journal.events()) == []


def test_a_failed_mutating_call_is_journaled_as_an_error(
    make_aws: Callable[..., Aws], journal: Journal
) -> None:
    aws = make_aws()
    with pytest.raises(TableNotFound):
        create_backup(aws, "no-such-table", datetime.now(UTC))
    kinds = [e.kind for e in journal.events()]
    assert kinds[0] == "aws-call"
    assert kinds[-1] == "aws-error"
    assert "aws-result" not in kinds
