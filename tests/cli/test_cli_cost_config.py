"""`lee-console cost` and `lee-console config path|show|example`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run

from lee_console.core.cost import BYTES_PER_GB


def test_cost_json_from_the_real_table_sizes(
    cli: Callable[..., Run], pristine_url: str, pristine: Any
) -> None:
    run = cli("cost", "--json", "--months", "3", "--growth-gb-per-month", "0.5", url=pristine_url)
    assert run.code == 0, run.err
    document = json.loads(run.out)
    sizes = {
        name: pristine.describe_table(TableName=name)["Table"]["TableSizeBytes"]
        for name in pristine.list_tables()["TableNames"]
    }
    assert document["tables"] == sizes
    assert document["backup_retention_days"] == 7
    start = sum(sizes.values()) / BYTES_PER_GB
    months = document["months"]
    assert [m["month"] for m in months] == [0, 1, 2, 3]
    for m in months:
        size = start + 0.5 * m["month"]
        assert m["size_gb"] == pytest.approx(size, abs=1e-6)
        assert m["pitr_usd"] == pytest.approx(size * 0.20, abs=1e-6)
        assert m["backups_usd"] == pytest.approx(size * 7 * 0.10, abs=1e-6)
        assert m["restore_usd"] == pytest.approx(size * 0.15, abs=1e-6)
        assert m["cheaper"] == "pitr"


def test_cost_table(cli: Callable[..., Run], pristine_url: str) -> None:
    run = cli("cost", "--backup-retention-days", "1", url=pristine_url)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].startswith("Tables: lee-devices ")
    assert "daily backups kept 1 days" in lines[1]
    headers = ["MONTH", "SIZE-GB", "PITR/MO", "BACKUPS/MO", "ONE-RESTORE", "CHEAPER"]
    assert lines[2].split() == headers
    rows = [line.split() for line in lines[3:]]
    assert [row[0] for row in rows] == [str(n) for n in range(13)]
    as_json = cli("cost", "--backup-retention-days", "1", "--json", url=pristine_url)
    months = json.loads(as_json.out)["months"]
    for row, month in zip(rows, months, strict=True):
        assert row[1] == f"{month['size_gb']:.3f}"
        assert row[-1] == month["cheaper"]


def test_cost_rejects_negative_input(cli: Callable[..., Run], pristine_url: str) -> None:
    run = cli("cost", "--months", "-1", url=pristine_url)
    assert run.code == 2
    assert len(run.err_lines) == 1


def test_config_path_prints_the_override(cli: Callable[..., Run], hermetic: Path) -> None:
    run = cli("config", "path")
    assert run.code == 0
    assert run.out == f"{hermetic}\n"


def test_config_show_merges_file_and_flags(cli: Callable[..., Run], hermetic: Path) -> None:
    hermetic.parent.mkdir(parents=True)
    hermetic.write_text('region = "eu-west-1"\nprofile = "dr"\ntables = ["lee-devices"]\n')
    run = cli("config", "show", "--region", "us-east-2")
    assert run.code == 0
    assert "region = 'us-east-2'" in run.out
    assert "profile = 'dr'" in run.out
    assert "tables = ('lee-devices',)" in run.out


def test_broken_config_file_is_one_line_naming_the_file(
    cli: Callable[..., Run], hermetic: Path
) -> None:
    hermetic.parent.mkdir(parents=True)
    hermetic.write_text("min_coverage_days = 'lots'\n")
    run = cli("config", "show")
    assert run.code == 2
    assert run.err_lines == [
        f"lee-console: {hermetic}: min_coverage_days must be a int or float, not 'lots'."
    ]


def test_config_example_is_a_valid_config(cli: Callable[..., Run], hermetic: Path) -> None:
    example = cli("config", "example").out
    hermetic.parent.mkdir(parents=True)
    hermetic.write_text(example)
    assert cli("config", "show").code == 0
