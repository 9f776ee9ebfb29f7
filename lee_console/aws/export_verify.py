"""`verify --via export`: two full exports (the restored table's, the live one's) compared in
DuckDB without reading either table's capacity; the report is verify's VerifyReport, and the
same comparison is written out for Athena.

The export itself (ExportTableToPointInTime, the wait, the download) is
``lee_console.aws.exports``'s; this module takes its files.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from lee_console.aws.export_engine import MEMORY_LIMIT, diff, engine, load, table_check
from lee_console.core.diff import DEFAULT_SAMPLE
from lee_console.core.errors import LeeError
from lee_console.core.export_verify.compile import compile_rules
from lee_console.core.export_verify.dialect import DUCKDB
from lee_console.core.rules import RuleSet
from lee_console.core.verify import TableShape, VerifyReport, schema_differences


def verify_export_files(
    shape: TableShape,
    restored_files: Sequence[Path],
    live_shape: TableShape | None,
    live_files: Sequence[Path] | None,
    rules: RuleSet,
    work_dir: Path,
    *,
    now: datetime | None = None,
    sample: int = DEFAULT_SAMPLE,
    memory_limit: str = MEMORY_LIMIT,
    judged_at: datetime | None = None,
) -> VerifyReport:
    """verify's report from export data files: ``shape``/``restored_files`` the table checked,
    ``live_shape``/``live_files`` the live table (or None). ``work_dir`` is DuckDB's private
    folder, deleted afterwards. DuckDB out of ``memory_limit`` is ComparisonOutOfMemory.
    ``judged_at``: what not_future compares with (default ``now``, the report's time)."""
    import duckdb

    reported = now or datetime.now(UTC)
    moment = judged_at or reported  # what the rules compare with; the report keeps its time
    compiled = compile_rules(rules, moment, DUCKDB)
    try:
        with engine(work_dir, memory_limit) as con:
            load(con, "r", restored_files, shape.key_names, rules, compiled, moment)
            checked = table_check(
                con, "r", shape.name, shape.key_names, rules, compiled, moment, sample
            )
            if live_shape is None or live_files is None:
                return VerifyReport(checked, None, None, None, reported)
            differences = tuple(schema_differences(shape, live_shape))
            load(con, "l", live_files, live_shape.key_names, rules, compiled, moment)
            live_check = table_check(
                con, "l", live_shape.name, live_shape.key_names, rules, compiled, moment, sample
            )
            report_diff = None
            if shape.key_names == live_shape.key_names:
                report_diff = diff(
                    con, shape.name, live_shape.name, shape.key_names, compiled, sample
                )
            return VerifyReport(checked, live_check, differences, report_diff, reported)
    except duckdb.OutOfMemoryException:
        raise ComparisonOutOfMemory(
            f"DuckDB ran out of its {memory_limit} memory limit comparing the exports (an export "
            "file's items did not fit in it): rerun with --memory-limit 1GB where this machine "
            "has the memory, or with --via scan"
        ) from None


class ComparisonOutOfMemory(LeeError):
    pass
