"""`damage`: the items changed in a period, from incremental exports started together (one per
15 minutes to 24 hours of it), classified by the integrity rules. The live table's capacity is
never read; the exports' files are read from a private folder and deleted."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from lee_console.aws.exports import (
    download_export,
    start_incremental_export,
    wait_export,
)
from lee_console.aws.scan import item_from_wire
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_pitr
from lee_console.core.errors import InvalidInput
from lee_console.core.exports.damage import Change, DamageReport, find_damage
from lee_console.core.exports.periods import incremental_periods
from lee_console.core.exports.records import changed_items
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc

Say = Callable[[str], None]
MAX_PARALLEL_EXPORTS = 10  # well under AWS's per-account export quota


def export_periods(
    aws: Aws, table: str, since: datetime, until: datetime
) -> list[tuple[datetime, datetime]]:
    """The periods to export, checked against the PITR window (one line when outside)."""
    window = describe_pitr(aws, table)
    if not window.enabled or window.earliest is None:
        raise InvalidInput(f"{table} has PITR off: AWS exports only tables with PITR on.")
    if since < window.earliest:
        raise InvalidInput(
            f"--since {format_utc(since)} is before {table}'s PITR window, which begins at "
            f"{format_utc(window.earliest)}."
        )
    try:
        return incremental_periods(since, until, window.earliest)
    except ValueError as error:
        raise InvalidInput(f"Cannot export {table} over that period: {error}.") from None


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
    arns = [start_incremental_export(aws, table, a, b, bucket, prefix) for a, b in periods]
    say(f"Started {len(arns)} incremental export(s) of {table} to s3://{bucket}; waiting...")
    folder = Path(tempfile.mkdtemp(prefix="lee-damage-"))  # mkdtemp: 0700
    try:
        with ThreadPoolExecutor(max_workers=MAX_PARALLEL_EXPORTS) as pool:
            infos = list(pool.map(lambda arn: wait_export(aws, arn), arns))
        for number, info in enumerate(infos):
            report.exports.append(info.arn)
            files = download_export(aws, info, folder / f"export-{number}")
            changes = (
                Change(
                    key=item_from_wire(c.keys),
                    old=item_from_wire(c.old) if c.old is not None else None,
                    new=item_from_wire(c.new) if c.new is not None else None,
                    written_at=c.written_at,
                )
                for c in changed_items(files)
            )
            find_damage(report, changes, rules, now)
            shutil.rmtree(folder / f"export-{number}", ignore_errors=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return report
