"""Reading tables and their PITR windows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from lee_console.aws.convert import pitr_window, table_summary
from lee_console.aws.errors import translate
from lee_console.aws.session import Aws
from lee_console.core.errors import LeeError, TableNotFound
from lee_console.core.pitr import PitrWindow, TableSummary

_DESCRIBE_WORKERS = 8


def list_table_names(aws: Aws) -> list[str]:
    try:
        names: list[str] = []
        for page in aws.dynamodb.get_paginator("list_tables").paginate():
            names.extend(page.get("TableNames", []))
        return sorted(names)
    except Exception as error:
        raise translate(error, "list the tables (dynamodb list-tables)") from None


def describe_table_raw(aws: Aws, name: str) -> dict[str, Any]:
    try:
        table: dict[str, Any] = aws.dynamodb.describe_table(TableName=name)["Table"]
        return table
    except Exception as error:
        translated = translate(error, f"describe table {name}")
        if isinstance(translated, TableNotFound):
            raise TableNotFound(
                f"Table {name} does not exist in {aws.where}; "
                "`lee-console status` lists the tables there."
            ) from None
        raise translated from None


def describe_pitr(aws: Aws, name: str) -> PitrWindow:
    try:
        return pitr_window(aws.dynamodb.describe_continuous_backups(TableName=name))
    except Exception as error:
        raise translate(error, f"read the PITR window of {name}") from None


def describe_table(aws: Aws, name: str) -> TableSummary:
    return table_summary(describe_table_raw(aws, name), describe_pitr(aws, name))


def describe_tables(
    aws: Aws,
    names: Iterable[str] | None = None,
    on_table: Callable[[TableSummary, int], None] | None = None,
) -> list[TableSummary]:
    """Every named table (all tables in the account when ``names`` is None), in name order.

    Describes run concurrently, started in name order; DescribeContinuousBackups is paced by
    the session's limiter. ``on_table`` (called on this thread) is told of each table as soon
    as it is described, with how many there are in all. The first failure is raised, and the
    describes not yet started are not sent."""
    wanted = sorted(set(names)) if names is not None else list_table_names(aws)
    with ThreadPoolExecutor(max_workers=_DESCRIBE_WORKERS) as pool:
        futures = [pool.submit(describe_table, aws, name) for name in wanted]
        try:
            for future in as_completed(futures):
                summary = future.result()
                if on_table is not None:
                    on_table(summary, len(wanted))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        return [future.result() for future in futures]


def describe_outcomes(aws: Aws, names: Iterable[str]) -> dict[str, TableSummary | LeeError]:
    """Each named table described (concurrently, paced as in describe_tables), in name order:
    its summary, or the error its describe ended with. Every describe runs to its end, so what
    a caller makes of the errors does not depend on which came first."""
    wanted = sorted(set(names))
    with ThreadPoolExecutor(max_workers=_DESCRIBE_WORKERS) as pool:
        futures = {name: pool.submit(describe_table, aws, name) for name in wanted}
    outcomes: dict[str, TableSummary | LeeError] = {}
    for name, future in futures.items():
        try:
            outcomes[name] = future.result()
        except LeeError as error:  # anything else is a fault in the console: raised
            outcomes[name] = error
    return outcomes


def table_exists(aws: Aws, name: str) -> bool:
    try:
        describe_table_raw(aws, name)
    except TableNotFound:
        return False
    return True
