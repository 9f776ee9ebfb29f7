"""Starting restores and waiting for them with a real deadline and a progress callback.

boto3's table_exists waiter gives up after about 8 minutes; restores take minutes to hours."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from lee_console.aws.convert import table_summary
from lee_console.aws.errors import translate
from lee_console.aws.outage import ride_out
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_pitr, describe_table_raw, list_table_names
from lee_console.core.errors import (
    BackupNotFound,
    RestoreTimedOut,
    RestoreTimeOutsideWindow,
    TableNotFound,
    TargetTableExists,
)
from lee_console.core.inflight import InFlightRestore, in_flight_restores, unfinished_in_journal
from lee_console.core.journal import JournalEvent
from lee_console.core.names import suggest_free_name, validate_table_name
from lee_console.core.pitr import PitrWindow, TableSummary
from lee_console.core.restore import RestoreProgress, RestoreRequest, restore_api_params

DEFAULT_DEADLINE_SECONDS = 6 * 3600
DEFAULT_POLL_SECONDS = 10.0


def ensure_target_free(aws: Aws, target: str) -> None:
    validate_table_name(target)
    existing = list_table_names(aws)
    if target in existing:
        raise TargetTableExists(
            f"A table named {target} already exists; choose another target, "
            f"for example --target {suggest_free_name(target, existing)}."
        )


def start_restore(aws: Aws, request: RestoreRequest) -> dict[str, Any]:
    """Send the restore call and return the target's TableDescription."""
    ensure_target_free(aws, request.target_table)
    operation, params = restore_api_params(request)
    method = getattr(
        aws.dynamodb,
        "restore_table_from_backup"
        if operation == "RestoreTableFromBackup"
        else "restore_table_to_point_in_time",
    )
    try:
        response = method(**params)
    except Exception as error:
        translated = translate(error, f"restore {request.describe()}")
        if isinstance(translated, RestoreTimeOutsideWindow) and request.restore_point:
            # Say the window in the message, as AWS does not.
            describe_pitr(aws, request.source_table).check_restorable(
                request.source_table, request.restore_point
            )
        raise translated from None
    description: dict[str, Any] = response["TableDescription"]
    return description


def find_deleted_table_backup(aws: Aws, table: str) -> dict[str, Any]:
    """The SYSTEM backup AWS keeps when a PITR table is deleted (newest first)."""
    try:
        summaries: list[dict[str, Any]] = []
        for page in aws.dynamodb.get_paginator("list_backups").paginate(
            TableName=table, BackupType="SYSTEM"
        ):
            summaries.extend(page.get("BackupSummaries", []))
    except Exception as error:
        raise translate(error, f"list the SYSTEM backups of {table}") from None
    deleted = [s for s in summaries if s.get("BackupName", "").endswith("$DeletedTableBackup")]
    if not deleted:
        raise BackupNotFound(
            f"No deleted-table backup of {table} exists: AWS keeps one only when a table with "
            "PITR enabled is deleted, for the length of its recovery period."
        )
    return max(deleted, key=lambda s: s["BackupCreationDateTime"])


def describe_backup(aws: Aws, arn: str) -> dict[str, Any]:
    try:
        details: dict[str, Any] = aws.dynamodb.describe_backup(BackupArn=arn)["BackupDescription"]
        return details
    except Exception as error:
        raise translate(error, f"describe backup {arn}") from None


def poll_restore(aws: Aws, target: str, started: float) -> RestoreProgress:
    elapsed = time.monotonic() - started
    try:
        table = aws.dynamodb.describe_table(TableName=target)["Table"]
    except Exception as error:
        translated = translate(error, f"describe the restore target {target}")
        if isinstance(translated, TableNotFound):
            return RestoreProgress(target, "MISSING", True, elapsed)
        raise translated from None
    summary = table.get("RestoreSummary", {})
    return RestoreProgress(
        target_table=target,
        status=table.get("TableStatus", "?"),
        in_progress=bool(summary.get("RestoreInProgress", False)),
        elapsed_seconds=elapsed,
        restore_point=summary.get("RestoreDateTime"),
    )


def wait_for_restore(
    aws: Aws,
    target: str,
    *,
    deadline_seconds: float = DEFAULT_DEADLINE_SECONDS,
    poll_seconds: float = DEFAULT_POLL_SECONDS,
    on_progress: Callable[[RestoreProgress], None] | None = None,
    cancelled: threading.Event | None = None,
    started: float | None = None,
    poll_after: Callable[[float], float] | None = None,
) -> RestoreProgress:
    """Poll until the target is ACTIVE with no restore in progress.

    ``poll_after`` (seconds elapsed -> seconds to wait) replaces the fixed ``poll_seconds``.
    ``started`` (a time.monotonic value) lets a reattached waiter report the true elapsed time.
    Cancelling stops the waiting, never the restore: AWS cannot cancel one. An outage (no
    answer, throttling, expired credentials) is ridden out and told to ``aws.retries``' listeners.
    """
    begin = time.monotonic() if started is None else started
    stop = cancelled or threading.Event()
    while True:
        progress = ride_out(lambda: poll_restore(aws, target, begin), aws.retries, cancelled=stop)
        if on_progress is not None:
            on_progress(progress)
        if progress.done or stop.is_set():
            return progress
        if progress.elapsed_seconds >= deadline_seconds:
            raise RestoreTimedOut(
                f"{target} is still restoring after {int(progress.elapsed_seconds // 60)} min; "
                "the restore goes on in AWS: check it later with `lee-console status`."
            )
        stop.wait(poll_seconds if poll_after is None else poll_after(progress.elapsed_seconds))


def unfinished_restores(
    aws: Aws, events: list[JournalEvent], source: str, *, everywhere: bool
) -> list[InFlightRestore]:
    """Restores of ``source`` the journal started and never saw finish, whose target exists
    (``still_restoring`` says whether AWS is still restoring it), including one whose process
    died before journaling its start; with ``everywhere``, also restores of ``source`` that AWS
    reports in progress (RestoreSummary) and the journal does not know. Reads only."""
    journaled = [
        target
        for target, entry in unfinished_in_journal(events).items()
        if entry.request.source_table == source
    ]
    if not journaled and not everywhere:
        return []
    tables: list[TableSummary] = []
    for name in list_table_names(aws) if everywhere else journaled:
        try:  # the restore summary only: a CREATING table may not answer for its PITR yet
            tables.append(table_summary(describe_table_raw(aws, name), PitrWindow(False)))
        except TableNotFound:
            continue  # deleted meanwhile
    return [r for r in in_flight_restores(tables, events) if r.request.source_table == source]
