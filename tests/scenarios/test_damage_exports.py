"""`damage` finds every damaged item of a scenario from incremental exports, classified by the
rules, without reading the live table (the sandbox's request log shows no Scan, Query or
GetItem), and the first damaging write no earlier than the true damage start."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer
from sandbox_process import running_sandbox
from scenario_helpers import parse_utc

from lee_console.core.diff import item_hash

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


def lee(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lee_console", *args, "--endpoint-url", url,
         "--region", "us-east-1"],
        capture_output=True, text=True, timeout=180,
        env={"PATH": "/usr/bin:/bin", "LEE_CONSOLE_STATE_DIR": str(tmp_path / "state"),
             "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "HOME": str(tmp_path)},
    )  # fmt: skip


def digests(url: str) -> dict[str, str]:
    client: Any = boto3.client(
        "dynamodb", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
        aws_secret_access_key="test",
    )  # fmt: skip
    found = {}
    for page in client.get_paginator("scan").paginate(TableName="lee-devices"):
        for raw in page["Items"]:
            item = {name: TypeDeserializer().deserialize(v) for name, v in raw.items()}
            found[item["device_id"]] = item_hash(item).hex()
    return found


@pytest.mark.parametrize(("scenario", "since"), [("bad-deployment", "-2h"),
                                                 ("gradual-corruption", "-10d")])  # fmt: skip
def test_repair_from_exports_leaves_no_damage_and_loses_no_write(
    scenario: str, since: str, tmp_path: Path
) -> None:
    """damage --json, then repair --from-export with it: every item ends as a perfect recovery
    leaves it (the truth's digest of each device's last legitimate image), legitimate writes
    just before the damage start included; nothing was restored."""
    truth_file, log = tmp_path / "truth.json", tmp_path / "requests.jsonl"
    extra = ("--export-seconds", "0", "--request-log", str(log))
    with running_sandbox(scenario=scenario, items=300, truth_file=truth_file,
                         extra_args=extra) as (url, _):  # fmt: skip
        found = lee(url, tmp_path, "damage", "lee-devices", "--since", since, "--json")
        result = tmp_path / "damage.json"
        result.write_text(found.stdout)
        assert lee(url, tmp_path, "repair", "lee-devices", "--from-export", str(result),
                   "--dry-run").returncode == 0  # fmt: skip
        repaired = lee(url, tmp_path, "repair", "lee-devices", "--from-export", str(result),
                       "--confirm", "lee-devices", "--json")  # fmt: skip
        assert repaired.returncode == 0, repaired.stderr
        lines = log.read_text().splitlines()  # before the test's own scan below
        after = digests(url)
    truth = json.loads(truth_file.read_text())
    assert json.loads(repaired.stdout)["repaired"] == len(truth["damaged_keys"])
    assert {k: v for k, v in after.items() if v != truth["expected"][k]} == {}
    operations = {json.loads(line)["operation"] for line in lines}
    assert "ExportTableToPointInTime" in operations
    assert not {"RestoreTableToPointInTime", "Scan"} & operations


def test_repair_from_export_refuses_what_is_not_an_export(tmp_path: Path) -> None:
    with running_sandbox(items=30) as (url, _):
        done = lee(url, tmp_path, "repair", "lee-devices", "--from-export", "nonsense",
                   "--confirm", "lee-devices")  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "lee-console: --from-export takes a `damage --json` result file or export ARNs, not "
        "'nonsense'."
    )


def test_find_good_via_export_restores_no_probe(tmp_path: Path) -> None:
    """The default find-good on gradual-corruption: the last good second from incremental
    exports over the whole window, not a single probe restore; the probe search on the same
    window restores one probe table per probe and lands at the same damage, at its precision."""
    truth_file, log = tmp_path / "truth.json", tmp_path / "requests.jsonl"
    extra = ("--export-seconds", "0", "--request-log", str(log), "--restore-seconds", "0.2")
    with running_sandbox(scenario="gradual-corruption", items=300, truth_file=truth_file,
                         extra_args=extra) as (url, _):  # fmt: skip
        via_export = lee(url, tmp_path, "find-good", "lee-devices", "--json")
        exported = [json.loads(line)["operation"] for line in log.read_text().splitlines()]
        via_restore = lee(url, tmp_path, "find-good", "lee-devices", "--via", "restore",
                          "--precision", "1h", "--parallel", "4", "--yes", "--json",
                          "--poll-seconds", "0.1")  # fmt: skip
        probed = [json.loads(line)["operation"] for line in log.read_text().splitlines()]
    assert via_export.returncode == 0, via_export.stderr
    found = json.loads(via_export.stdout)
    assert found["probe_restores"] == 0 and found["exports"] == 35  # the 35-day window, a day each
    assert "RestoreTableToPointInTime" not in exported
    first = parse_utc(found["first_damaging_write"])
    assert parse_utc(json.loads(truth_file.read_text())["damage_start"]) <= first
    assert parse_utc(found["last_good"]) == first - timedelta(seconds=1)
    assert via_restore.returncode == 0, via_restore.stderr
    probes = probed.count("RestoreTableToPointInTime")
    assert probes >= 4
    restored_good = parse_utc(json.loads(via_restore.stdout)["last_good"])
    assert abs(restored_good - (first - timedelta(seconds=1))) <= timedelta(hours=1)
