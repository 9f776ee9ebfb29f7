"""What `status --tables` and the dashboard send for named tables: the describes a script would
send, and the account's listings only when a named table is not there."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from lee_console.aws.inventory import inventory
from lee_console.aws.session import Aws


def sent(aws: Aws) -> Counter[str]:
    """The operations ``aws`` sends to DynamoDB from now on, counted."""
    operations: Counter[str] = Counter()

    def record(model: Any, **_: Any) -> None:
        operations[model.name] += 1

    aws.dynamodb.meta.events.register("before-call.dynamodb", record)
    return operations


def test_named_tables_are_described_without_listing_the_account(
    make_aws: Callable[..., Aws], new_table: Callable[..., str]
) -> None:
    names = (new_table(), new_table())
    aws = make_aws(with_journal=False)
    operations = sent(aws)
    tables, deleted = inventory(aws, names)
    assert [table.name for table in tables] == sorted(names)
    assert deleted == []
    assert operations == Counter({"DescribeTable": 2, "DescribeContinuousBackups": 2})


def test_a_named_table_that_is_gone_is_looked_for_among_the_deleted(
    make_aws: Callable[..., Aws], new_table: Callable[..., str], raw: Any
) -> None:
    kept, gone = new_table(), new_table()
    raw.delete_table(TableName=gone)
    aws = make_aws(with_journal=False)
    operations = sent(aws)
    tables, deleted = inventory(aws, (kept, gone))
    assert [table.name for table in tables] == [kept]
    assert [backup.table for backup in deleted] == [gone]
    assert operations["ListTables"] == 1 and operations["ListBackups"] >= 1
