"""`verify --via export` end to end: which table to export at which second, the two full
exports (``lee_console.aws.exports``: start, wait, download), the DuckDB comparison, and the
Athena file.

A restored table has no PITR until someone enables it, and AWS exports only tables with PITR
on. So the restored side is exported from the restored table itself when its PITR is on, else
from its source table at the restore point (DescribeTable's RestoreSummary), which holds the
same items. The live table is exported at its latest restorable second.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lee_console.aws.convert import restore_info
from lee_console.aws.export_engine import MEMORY_LIMIT
from lee_console.aws.export_verify import ComparisonOutOfMemory, verify_export_files
from lee_console.aws.exports import download_export, start_full_export, wait_export
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_pitr, describe_table_raw
from lee_console.aws.verify import describe_shape
from lee_console.core.errors import InvalidInput
from lee_console.core.export_verify.athena import athena_sql
from lee_console.core.exports.model import ExportInfo
from lee_console.core.rules import NOT_FUTURE_ALLOWANCE, RuleSet
from lee_console.core.verify import VerifyReport
from lee_console.store.private import private_dir

DEFAULT_BUCKET = "lee-pitr-exports"


@dataclass(frozen=True)
class ExportSource:
    """Export ``table`` at ``at`` to stand for ``stands_for``."""

    stands_for: str
    table: str
    at: datetime | None
    reason: str


def plan_sources(aws: Aws, table: str, against: str) -> tuple[ExportSource, ExportSource]:
    restored = _restored_source(aws, table)
    live = describe_pitr(aws, against)
    if not live.enabled or live.latest is None:
        raise InvalidInput(
            f"{against} has PITR off, and AWS exports only tables with PITR on: enable it "
            f"(`lee-console enable-pitr {against}`) or use --via scan."
        )
    return restored, ExportSource(against, against, live.latest, "its latest restorable second")


def _restored_source(aws: Aws, table: str) -> ExportSource:
    window = describe_pitr(aws, table)
    if window.enabled and window.latest is not None:
        return ExportSource(table, table, window.latest, "its PITR is on")
    info = restore_info(describe_table_raw(aws, table))
    if info is None or not info.source_table_arn or info.restore_point is None:
        raise InvalidInput(
            f"{table} has PITR off and is not a point-in-time restore, and AWS exports only "
            f"tables with PITR on: enable it (`lee-console enable-pitr {table}`) or use "
            "--via scan."
        )
    source = info.source_table_arn.rsplit("/", 1)[-1]
    return ExportSource(
        table, source, info.restore_point, f"{table} has no PITR: its source at the restore point"
    )


@dataclass(frozen=True)
class ExportVerify:
    report: VerifyReport
    sources: tuple[ExportSource, ExportSource]
    athena_file: Path
    locations: tuple[str, str]


def verify_via_export(
    aws: Aws,
    table: str,
    against: str,
    rules: RuleSet,
    *,
    bucket: str,
    prefix: str,
    work_dir: Path,
    athena_file: Path,
    sample: int,
    memory_limit: str = MEMORY_LIMIT,
) -> ExportVerify:
    """Export both sides, write the Athena SQL to ``athena_file`` (0600), then compare them in
    DuckDB in ``work_dir`` (deleted after): a comparison too large for ``memory_limit`` is one
    line that names the Athena file."""
    from lee_console.store.private import write_private

    shape, live_shape = describe_shape(aws, table), describe_shape(aws, against)
    sources = plan_sources(aws, table, against)
    folder = private_dir(work_dir)
    try:
        files: list[list[Path]] = []
        locations: list[str] = []
        for source in sources:
            arn = start_full_export(aws, source.table, source.at, bucket, prefix)
            info = wait_export(aws, arn)
            target = private_dir(folder / f"export-{len(files)}")
            files.append(download_export(aws, info, target))
            locations.append(f"s3://{bucket}/{_data_prefix(info)}")
        now = datetime.now(UTC)
        judged_at = now + NOT_FUTURE_ALLOWANCE  # as --via scan judges
        sql = athena_sql(
            table, against, locations[0], locations[1], shape.key_names, rules, judged_at
        )
        write_private(athena_file, sql)
        try:
            report = verify_export_files(
                shape, files[0], live_shape, files[1], rules, folder / "duckdb", now=now,
                sample=sample, memory_limit=memory_limit, judged_at=judged_at,
            )  # fmt: skip
        except ComparisonOutOfMemory as error:
            raise ComparisonOutOfMemory(
                f"{error.message}; or run the same comparison in Athena: {athena_file}."
            ) from None
        return ExportVerify(report, sources, athena_file, (locations[0], locations[1]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _data_prefix(info: ExportInfo) -> str:
    """The export's data folder: ``<prefix>/AWSDynamoDB/<id>/data/``, from its manifest key."""
    manifest = info.manifest_key or ""
    return manifest.rsplit("/", 1)[0] + "/data/"
