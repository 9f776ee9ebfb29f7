"""`damage` finds every damaged item of a scenario from incremental exports, classified by the
rules, without reading the live table (the sandbox's request log shows no Scan, Query or
GetItem), and the first damaging write no earlier than the true damage start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sandbox_process import running_sandbox
from scenario_helpers import parse_utc

READS = {"Scan", "Query", "GetItem", "BatchGetItem"}


@pytest.mark.parametrize(
    ("scenario", "since", "exports"),
    [("bad-deployment", "-2h", 1), ("gradual-corruption", "-10d", 11)],
)
def test_damage_finds_the_truth_without_reading_the_table(
    scenario: str, since: str, exports: int, tmp_path: Path
) -> None:
    truth_file, log = tmp_path / "truth.json", tmp_path / "requests.jsonl"
    extra = ("--export-seconds", "0", "--request-log", str(log))
    with running_sandbox(scenario=scenario, items=300, truth_file=truth_file,
                         extra_args=extra) as (url, _):  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "lee_console", "damage", "lee-devices", "--since", since,
             "--json", "--endpoint-url", url, "--region", "us-east-1"],
            capture_output=True, text=True, timeout=180,
            env={"PATH": "/usr/bin:/bin", "LEE_CONSOLE_STATE_DIR": str(tmp_path / "state"),
                 "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
                 "HOME": str(tmp_path)},
        )  # fmt: skip
    assert done.returncode == 1, done.stderr  # 1: damage found
    found = json.loads(done.stdout)
    truth = json.loads(truth_file.read_text())
    assert len(found["exports"]) == exports
    assert sorted(k["device_id"] for k in found["damaged_keys"]) == sorted(
        k["device_id"] for k in truth["damaged_keys"]
    )
    assert found["counts"]["damaged"] == len(truth["damaged_keys"])
    assert found["counts"]["legitimate"] > 0
    first = parse_utc(found["first_damaging_write"])
    assert parse_utc(truth["damage_start"]) <= first
    assert sum(found["per_rule"].values()) >= found["counts"]["damaged"]
    operations = [json.loads(line)["operation"] for line in log.read_text().splitlines()]
    assert "ExportTableToPointInTime" in operations
    assert not READS & set(operations)  # the live table's capacity is not read
