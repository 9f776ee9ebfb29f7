"""find-good --via restore's default plan: K chosen for the fewest rounds within the probe
budget, said (rounds, probes, cost, time, and the same for --parallel 1) before it starts, then
run as planned with adaptive polling; a budget that cannot reach the precision is refused."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import Run
from test_cli_repair_findgood import RULES, make, probe_tables


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(RULES)
    return path


def damaged_table(lab: Any) -> str:
    table = make(lab, f"items-{uuid.uuid4().hex[:8]}", {})
    lab.update_continuous_backups(
        TableName=table, PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True}
    )
    lab.put_item(TableName=table, Item={"pk": {"S": "a"}, "level": {"N": "1"}})
    time.sleep(4.2)
    lab.put_item(TableName=table, Item={"pk": {"S": "a"}, "level": {"N": "500"}})  # damage
    time.sleep(2.5)  # two whole bad seconds in the window (the last one is never probed)
    return table


def test_default_plan_is_said_first_and_run_as_said(
    cli: Callable[..., Run], lab: Any, lab_url: str, rules_file: Path
) -> None:
    table = damaged_table(lab)
    base = ("find-good", table, "--via", "restore", "--rules", str(rules_file), "--precision", "1s")
    unconfirmed = cli(*base, url=lab_url)
    assert unconfirmed.code == 2 and "--yes" in unconfirmed.err_lines[-1]
    plan = next(line for line in unconfirmed.err_lines if line.startswith("Plan: "))
    assert "probe restores, $" in plan
    lines = unconfirmed.err_lines
    assert lines[-5] == plan
    assert "  chosen: the fewest rounds within a budget of 120 probes and 50 free" in lines[-4]
    assert lines[-3].startswith("  vs --parallel 1: ")
    assert lines[-2].startswith("  a probe restore: ") and " x $0.15/GB, about " in lines[-2]

    zero = cli(*base, "--probe-budget", "0", "--yes", url=lab_url)
    assert zero.code == 2
    assert zero.err_lines == ["lee-console: --probe-budget takes 1 or more probes."]
    short = cli(*base, "--probe-budget", "1", "--yes", url=lab_url)
    assert short.code == 2 and "--probe-budget 1 cannot reach the precision" in short.err

    run = cli(*base, "--yes", "--json", url=lab_url)  # no --poll-seconds: adaptive polling
    assert run.code == 0, run.err
    result = json.loads(run.out)
    planned = result["plan"]
    assert planned["probes_per_round"] > 1 and planned["chosen_by"]
    assert result["rounds"] <= planned["rounds"] and len(result["probes"]) <= planned["restores"]
    sequential = int(run.err.split("vs --parallel 1: ")[1].split(" round")[0])
    assert planned["rounds"] < sequential
    assert result["last_good"] and result["first_bad"], run.err
    assert result["precision_seconds"] == 1
    assert probe_tables(lab) == []
