"""--read-only: zero mutating calls reach AWS, enforced by the botocore hook; reads work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import botocore.session
import pytest

from lee_console.aws.backups import create_backup, list_backups
from lee_console.aws.pitr_admin import enable_pitr
from lee_console.aws.readonly import READ_OPERATIONS, refusal
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_table, list_table_names
from lee_console.core.errors import ReadOnlyRefused
from lee_console.store.journal_file import Journal

SERVICE_MODEL_NAMES = {"cloudwatch": "cloudwatch"}


def backup_count(raw: Any, table: str) -> int:
    return len(raw.list_backups(TableName=table, BackupType="ALL")["BackupSummaries"])


def test_create_backup_is_refused_and_nothing_changes(
    make_aws: Callable[..., Aws], new_table: Callable[..., str], raw: Any, journal: Journal
) -> None:
    table = new_table()
    before = backup_count(raw, table)
    aws = make_aws(read_only=True)
    with pytest.raises(ReadOnlyRefused) as caught:
        aws.dynamodb.create_backup(TableName=table, BackupName="nope")
    assert caught.value.message == (
        "Refused CreateBackup: the console runs with --read-only, which allows no change in "
        "AWS. Restart without --read-only to make changes."
    )
    with pytest.raises(ReadOnlyRefused):
        create_backup(aws, table, datetime.now(UTC))  # through the helper: not re-wrapped
    assert backup_count(raw, table) == before
    # Nothing was sent: the journal holds the two refusals and no aws-call.
    kinds = [event.kind for event in journal.events()]
    assert kinds == ["aws-refused", "aws-refused"]


def test_restore_is_refused_and_no_target_appears(
    make_aws: Callable[..., Aws], new_table: Callable[..., str], raw: Any
) -> None:
    table = new_table()
    aws = make_aws(read_only=True)
    with pytest.raises(ReadOnlyRefused):
        aws.dynamodb.restore_table_to_point_in_time(
            SourceTableName=table, TargetTableName=f"{table}-r", UseLatestRestorableTime=True
        )
    assert f"{table}-r" not in raw.list_tables()["TableNames"]


def test_other_writes_are_refused(
    make_aws: Callable[..., Aws], new_table: Callable[..., str], raw: Any
) -> None:
    table = new_table(pitr=False)
    aws = make_aws(read_only=True)
    with pytest.raises(ReadOnlyRefused):
        enable_pitr(aws, table)
    with pytest.raises(ReadOnlyRefused):
        aws.dynamodb.put_item(TableName=table, Item={"pk": {"S": "x"}})
    with pytest.raises(ReadOnlyRefused):
        aws.dynamodb.delete_table(TableName=table)
    status = raw.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
    assert status["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    assert raw.scan(TableName=table)["Count"] == 0
    assert raw.describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE"


def test_reads_work_in_read_only(
    make_aws: Callable[..., Aws], new_table: Callable[..., str]
) -> None:
    table = new_table()
    aws = make_aws(read_only=True)
    assert table in list_table_names(aws)
    summary = describe_table(aws, table)
    assert summary.pitr.enabled
    assert list_backups(aws, table) == []
    assert aws.dynamodb.scan(TableName=table)["Count"] == 0
    assert aws.identity().startswith("arn:aws:")


def test_allow_list_names_only_real_read_operations() -> None:
    """A typo in the allow-list would refuse a read; a write in it would break the guarantee."""
    session = botocore.session.get_session()
    for service, operations in READ_OPERATIONS.items():
        model = session.get_service_model(service)
        for operation in operations:
            assert operation in model.operation_names, f"{service}:{operation}"
            assert operation.startswith(
                ("Describe", "List", "Get", "Query", "Scan", "BatchGet", "TransactGet", "Head")
            ), f"{service}:{operation} does not look like a read"


def test_one_refusal_sentence_with_what_to_do_instead() -> None:
    refused = refusal("Not repairing lee-devices", "--dry-run shows the counts.")
    assert isinstance(refused, ReadOnlyRefused)
    assert refused.message == (
        "Not repairing lee-devices: the console runs with --read-only, which allows no change "
        "in AWS. --dry-run shows the counts."
    )
    assert refusal("Not repointing", "").message.endswith("which allows no change in AWS.")
