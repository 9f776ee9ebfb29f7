"""The dr-test history: one JSON result and one Markdown report per run, in
``user_data_dir("lee-console")/dr-tests/TABLE/`` (0600 files in 0700 folders), named by the
run id (``dt-20261203T101500Z-3fa9c1.json`` / ``.md``), which sorts in time order. They
hold table names, counts, times and rule names with sample keys, never item bodies.
"""

from __future__ import annotations

import json
from pathlib import Path

from lee_console.core.drtest.result import DrTestResult
from lee_console.core.names import validate_table_name
from lee_console.store.paths import data_dir
from lee_console.store.private import private_dir, write_private

FOLDER = "dr-tests"


def table_dir(table: str, root: Path | None = None) -> Path:
    return (root or data_dir()) / FOLDER / validate_table_name(table)


def save_result(result: DrTestResult, report: str, root: Path | None = None) -> Path:
    """Write the result (JSON) and its Markdown report; returns the report's path."""
    folder = private_dir(table_dir(result.table, root))
    private_dir(folder.parent)  # dr-tests/ itself: 0700 too
    stem = result.run_id  # dt-<UTC start>-<hex>: sorts in time order
    write_private(folder / f"{stem}.json", json.dumps(result.to_json(), indent=2) + "\n")
    return write_private(folder / f"{stem}.md", report)


def history(table: str, root: Path | None = None) -> list[DrTestResult]:
    """Every saved result of ``table``, oldest first; unreadable files are skipped."""
    folder = table_dir(table, root)
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            continue
        result = DrTestResult.from_json(data) if isinstance(data, dict) else None
        if result is not None and result.table == table:
            found.append(result)
    return sorted(found, key=lambda r: r.started_at)


def latest(table: str, root: Path | None = None) -> DrTestResult | None:
    runs = history(table, root)
    return runs[-1] if runs else None
