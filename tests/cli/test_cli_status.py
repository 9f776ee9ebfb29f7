"""`lee-console status`: PITR health of every table; exit 0 healthy, 1 alert, 2 error."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cli_helpers import Run, make_table

from lee_console.core.cost import BYTES_PER_GB

LEE_TABLES = ["lee-devices", "lee-sessions", "lee-users"]
FIELDS = {
    "name",
    "status",
    "pitr_status",
    "earliest_restorable",
    "latest_restorable",
    "coverage_days",
    "recovery_period_days",
    "item_count",
    "size_bytes",
    "deletion_protection",
    "pitr_monthly_cost_usd",
    "restore_in_progress",
    "alerts",
    "healthy",
}


def test_status_table_healthy(cli: Callable[..., Run], pristine_url: str) -> None:
    run = cli("status", url=pristine_url)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].split() == [
        "TABLE", "STATUS", "PITR", "EARLIEST", "LATEST", "COVER", "PERIOD",
        "ITEMS", "SIZE", "DEL-PROT", "PITR/MO", "ALERTS",
    ]  # fmt: skip
    rows = {line.split()[0]: line.split() for line in lines[1:]}
    assert sorted(rows) == LEE_TABLES
    for row in rows.values():
        assert row[1:3] == ["ACTIVE", "ENABLED"]
        assert row[3].endswith("Z") and row[4].endswith("Z")
        assert row[6] == "35d"
    assert run.err_lines == ["3 tables, all tables healthy (coverage threshold 30 days)"]


def test_status_json(cli: Callable[..., Run], pristine_url: str, pristine: Any) -> None:
    run = cli("status", "--json", url=pristine_url)
    assert run.code == 0, run.err
    document = json.loads(run.out)  # one JSON document, nothing else on stdout
    assert document["healthy"] is True
    assert document["min_coverage_days"] == 30
    assert document["region"] == "us-east-1"
    assert document["endpoint"] == pristine_url
    tables = {table["name"]: table for table in document["tables"]}
    assert sorted(tables) == LEE_TABLES
    for name, table in tables.items():
        assert set(table) == FIELDS
        raw = pristine.describe_table(TableName=name)["Table"]
        assert table["pitr_status"] == "ENABLED"
        assert table["recovery_period_days"] == 35
        assert 30 <= table["coverage_days"] <= 35
        assert table["item_count"] == raw["ItemCount"]
        assert table["size_bytes"] == raw["TableSizeBytes"]
        assert table["pitr_monthly_cost_usd"] == round(
            raw["TableSizeBytes"] / BYTES_PER_GB * 0.20, 4
        )
        assert table["alerts"] == ["deletion protection off"] or table["deletion_protection"]
        assert table["healthy"] is True
    assert tables["lee-devices"]["item_count"] > 0


def test_coverage_threshold_flag_raises_an_alert(
    cli: Callable[..., Run], pristine_url: str
) -> None:
    run = cli("status", "--json", "--min-coverage-days", "40", url=pristine_url)
    assert run.code == 1
    document = json.loads(run.out)
    assert document["healthy"] is False
    assert all("coverage below threshold" in t["alerts"] for t in document["tables"])
    text = cli("status", "--min-coverage-days", "40", url=pristine_url)
    assert text.code == 1
    assert "ALERT" in text.err
    assert "coverage below threshold" in text.out


def test_coverage_threshold_from_the_config_file(
    cli: Callable[..., Run], pristine_url: str, hermetic: Path
) -> None:
    hermetic.parent.mkdir(parents=True)
    hermetic.write_text("min_coverage_days = 40\n")
    assert cli("status", url=pristine_url).code == 1
    assert cli("status", "--min-coverage-days", "30", url=pristine_url).code == 0


def test_pitr_disabled_table_makes_status_exit_1(
    cli: Callable[..., Run], lab_url: str, lab: Any
) -> None:
    table = make_table(lab, pitr=False)
    run = cli("status", "--json", "--tables", table, url=lab_url)
    assert run.code == 1
    (entry,) = json.loads(run.out)["tables"]
    assert entry["pitr_status"] == "DISABLED"
    assert entry["earliest_restorable"] is None
    assert entry["coverage_days"] is None
    assert "PITR disabled" in entry["alerts"]


def test_tables_flag_limits_the_report(cli: Callable[..., Run], pristine_url: str) -> None:
    run = cli("status", "--json", "--tables", "lee-users, lee-devices", url=pristine_url)
    assert run.code == 0
    assert [t["name"] for t in json.loads(run.out)["tables"]] == ["lee-devices", "lee-users"]


def test_global_flags_go_before_or_after_the_command(
    cli: Callable[..., Run], pristine_url: str
) -> None:
    before = cli("--endpoint-url", pristine_url, "--tables", "lee-users", "status", "--json")
    assert before.code == 0
    assert [t["name"] for t in json.loads(before.out)["tables"]] == ["lee-users"]


def test_a_deleted_table_is_listed_with_its_system_backup(
    cli: Callable[..., Run], lab_url: str, lab: Any
) -> None:
    table = make_table(lab)
    keep = make_table(lab)
    lab.delete_table(TableName=table)
    # Not asked for: listed (a planned deletion leaves a SYSTEM backup too), not an alert.
    everything = cli("status", "--json", url=lab_url)
    deleted = {d["name"]: d for d in json.loads(everything.out)["deleted_tables"]}
    assert deleted[table]["restore"] == (f"lee-console restore {table} --deleted --target {table}")
    assert table not in {t["name"] for t in json.loads(everything.out)["tables"]}
    # Asked for by name: an alert, and the line says how to get it back.
    asked = cli("status", "--tables", f"{table},{keep}", url=lab_url)
    assert asked.code == 1
    assert f"DELETED {table} at " in asked.out
    assert f"lee-console restore {table} --deleted --target {table}" in asked.out
    assert asked.err_lines == [f"1 tables, ALERT: deleted: {table} (coverage threshold 30 days)"]
    # A name that never existed is still an error.
    never = cli("status", "--tables", "never-was-a-table", url=lab_url)
    assert never.code == 2
    assert "does not exist" in never.err and "no deleted-table backup" in never.err
