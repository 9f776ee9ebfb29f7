"""What `status --tables` and the dashboard send for named tables: status, the describes a
script would send and the account's listings only when a named table is not there; the
dashboard, the listing first, so that no row it was told of is taken back."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from lee_console.aws.inventory import inventory
from lee_console.aws.session import Aws
from lee_console.core.errors import TableNotFound
from lee_console.core.pitr import TableSummary


def sent(aws: Aws) -> Counter[str]:
    """The operations ``aws`` sends to DynamoDB from now on, counted."""
    operations: Counter[str] = Counter()

    def record(model: Any, **_: Any) -> None:
        operations[model.name] += 1

    aws.dynamodb.meta.events.register("before-call.dynamodb", record)
    return operations


def answered_late(aws: Aws, table: str) -> None:
    """``table``'s DescribeTable is sent a second late: the other tables are described first."""

    def wait(params: dict[str, Any], **_: Any) -> None:
        if params.get("TableName") == table:
            time.sleep(1)

    aws.dynamodb.meta.events.register("before-parameter-build.dynamodb.DescribeTable", wait)


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
    assert operations["ListBackups"] >= 1  # to find it among the deleted
    # each named table described once, and no ListTables: the describes said which is there
    del operations["ListBackups"]
    assert operations == Counter({"DescribeTable": 2, "DescribeContinuousBackups": 1})


def test_a_named_table_that_never_was_is_said_and_nothing_is_shown_first(
    make_aws: Callable[..., Aws], new_table: Callable[..., str]
) -> None:
    kept = new_table()
    aws = make_aws(with_journal=False)
    answered_late(aws, "never-was-a-table")
    told: list[tuple[str, int]] = []
    with pytest.raises(TableNotFound, match=r"never-was-a-table .* no deleted-table backup"):
        inventory(aws, (kept, "never-was-a-table"))
    with pytest.raises(TableNotFound, match="never-was-a-table"):  # the dashboard's way
        inventory(aws, (kept, "never-was-a-table"), lambda t, total: told.append((t.name, total)))
    assert told == []


def test_the_dashboard_is_told_of_each_named_table_once(
    make_aws: Callable[..., Aws], new_table: Callable[..., str], raw: Any
) -> None:
    kept, gone = new_table(), new_table()
    raw.delete_table(TableName=gone)
    aws = make_aws(with_journal=False)
    answered_late(aws, gone)
    told: list[tuple[str, int]] = []

    def described(table: TableSummary, total: int) -> None:
        told.append((table.name, total))

    tables, deleted = inventory(aws, (kept, gone), described)
    assert told == [(kept, 1)]
    assert [t.name for t in tables] == [kept] and [b.table for b in deleted] == [gone]
