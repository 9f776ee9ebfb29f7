"""`damage`: the items changed in a period, from incremental exports started together (one per
15 minutes to 24 hours of it), classified by the integrity rules. The live table's capacity is
never read; the exports' files are read from a private folder and deleted."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lee_console.aws.exports import (
    describe_export,
    download_export,
    start_incremental_export,
    wait_export,
)
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_pitr, describe_table_raw
from lee_console.core.errors import InvalidInput, TableNotFound
from lee_console.core.export_verify.wire import plain_value
from lee_console.core.exports.cost import ExportCost
from lee_console.core.exports.damage import Change, DamageReport, find_damage
from lee_console.core.exports.periods import incremental_periods
from lee_console.core.exports.records import ChangedItem, changed_items
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc

Say = Callable[[str], None]
MAX_PARALLEL_EXPORTS = 10  # waited on at once; AWS runs up to 300 export tasks per account


@dataclass(frozen=True)
class ExportPlan:
    table: str
    periods: list[tuple[datetime, datetime]]
    table_bytes: int
    earliest: datetime  # the PITR window's start

    @property
    def cost(self) -> ExportCost:
        return ExportCost(len(self.periods), self.table_bytes)


def exportable(aws: Aws, table: str) -> tuple[int, datetime]:
    """The table's size and its PITR window's start; one line when it cannot be exported."""
    try:
        size = int(describe_table_raw(aws, table).get("TableSizeBytes", 0))
    except TableNotFound:
        raise TableNotFound(
            f"Table {table} does not exist in {aws.where}: exports need the table and its PITR "
            f"window. A deleted table comes back from its backup: `lee-console restore {table} "
            "--deleted`."
        ) from None
    window = describe_pitr(aws, table)
    if not window.enabled or window.earliest is None:
        raise InvalidInput(f"{table} has PITR off: AWS exports only tables with PITR on.")
    return size, window.earliest


def plan_exports(aws: Aws, table: str, since: datetime, until: datetime) -> ExportPlan:
    """The periods to export, checked against the PITR window (one line when outside). A
    period under 15 minutes is widened (core/exports/periods.py); the caller says so."""
    size, earliest = exportable(aws, table)
    if since < earliest:
        raise InvalidInput(
            f"--since {format_utc(since)} is before {table}'s PITR window, which begins at "
            f"{format_utc(earliest)}."
        )
    try:
        periods = incremental_periods(since, until, earliest, datetime.now(UTC))
    except ValueError as error:
        raise InvalidInput(f"Cannot export {table} over that period: {error}.") from None
    return ExportPlan(table, periods, size, earliest)


def export_periods(
    aws: Aws, table: str, since: datetime, until: datetime
) -> list[tuple[datetime, datetime]]:
    return plan_exports(aws, table, since, until).periods


def run_exports(
    aws: Aws, table: str, periods: list[tuple[datetime, datetime]], bucket: str, prefix: str,
    say: Say,
) -> list[str]:  # fmt: skip
    """Start one incremental export per period (all at once), wait for all; their ARNs."""
    arns = [start_incremental_export(aws, table, a, b, bucket, prefix) for a, b in periods]
    say(f"Started {len(arns)} incremental export(s) of {table} to s3://{bucket}; waiting...")
    with ThreadPoolExecutor(max_workers=MAX_PARALLEL_EXPORTS) as pool:
        list(pool.map(lambda arn: wait_export(aws, arn), arns))
    return arns


def plain(change: ChangedItem) -> Change:
    """An export's record as plain values (its binaries are base64 text, unlike a Scan's)."""
    return Change(
        key=_plain(change.keys),
        old=_plain(change.old) if change.old is not None else None,
        new=_plain(change.new) if change.new is not None else None,
        written_at=change.written_at,
    )


def _plain(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: plain_value(value) for name, value in item.items()}


def read_changes(aws: Aws, arns: Iterable[str]) -> Iterator[tuple[str, list[Change]]]:
    """Each completed export's changed items, in the order given, read from a private temporary
    folder that is deleted as soon as each export is read (customer data is not kept)."""
    folder = Path(tempfile.mkdtemp(prefix="lee-exports-"))  # mkdtemp: 0700
    try:
        for number, arn in enumerate(arns):
            info = describe_export(aws, arn)
            files = download_export(aws, info, folder / f"export-{number}")
            changes = [plain(change) for change in changed_items(files)]
            shutil.rmtree(folder / f"export-{number}", ignore_errors=True)
            yield arn, changes
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def find_damage_by_exports(
    aws: Aws,
    table: str,
    periods: list[tuple[datetime, datetime]],
    rules: RuleSet,
    bucket: str,
    prefix: str,
    say: Say,
    now: datetime,
) -> DamageReport:
    report = DamageReport(table, periods[0][0], periods[-1][1])
    arns = run_exports(aws, table, periods, bucket, prefix, say)
    for arn, changes in read_changes(aws, arns):
        report.exports.append(arn)
        find_damage(report, changes, rules, now)
    return report
