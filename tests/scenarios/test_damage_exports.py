"""`damage` and `repair --from-export` against the sandbox's real exports, compared with each
scenario's ground truth: damage finds exactly the damaged keys and the first damaging write to
the second without reading the live table (no Scan, Query or GetItem in the request log);
repair leaves no damaged item and loses no legitimate write, those in the last minute before
the damage start included, without a restore. find-good via exports restores no probe."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from boto3.dynamodb.types import TypeDeserializer
from sandbox_process import running_sandbox
from scenario_helpers import parse_utc

from lee_console.core.diff import item_hash

READS = {"Scan", "Query", "GetItem", "BatchGetItem"}
RESTORES = {"RestoreTableToPointInTime", "CreateTable"}
BUCKET = ("--bucket", "lee-pitr-exports")


def lee(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lee_console", *args, "--endpoint-url", url,
         "--region", "us-east-1"],
        capture_output=True, text=True, timeout=180,
        env={"PATH": "/usr/bin:/bin", "LEE_CONSOLE_STATE_DIR": str(tmp_path / "state"),
             "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "HOME": str(tmp_path),
             "LEE_CONSOLE_CONFIG": str(tmp_path / "config.toml")},
    )  # fmt: skip


def devices(url: str) -> dict[str, dict[str, Any]]:
    """The live table from outside (after the log was read: this Scan is the test's)."""
    client: Any = boto3.client(
        "dynamodb", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
        aws_secret_access_key="test",
    )  # fmt: skip
    found = {}
    for page in client.get_paginator("scan").paginate(TableName="lee-devices"):
        for raw in page["Items"]:
            item = {name: TypeDeserializer().deserialize(v) for name, v in raw.items()}
            found[str(item["device_id"])] = item
    return found


def written_second(item: dict[str, Any]) -> datetime:
    """The sandbox stamps each write's second in updated_at (ISO, or epoch seconds when the
    bad deployment's bug wrote it)."""
    text = str(item["updated_at"])
    if text.isdigit():
        return datetime.fromtimestamp(int(text), UTC)
    return parse_utc(text)


def operations(log: Path) -> list[str]:
    return [json.loads(line)["operation"] for line in log.read_text().splitlines()]


@pytest.mark.parametrize(
    ("scenario", "since", "exports"),
    [("bad-deployment", "-2h", 1), ("gradual-corruption", "-10d", 11)],
)
def test_damage_then_repair_from_exports_against_the_truth(
    scenario: str, since: str, exports: int, tmp_path: Path
) -> None:
    truth_file, log = tmp_path / "truth.json", tmp_path / "requests.jsonl"
    extra = ("--export-seconds", "0", "--request-log", str(log))
    with running_sandbox(scenario=scenario, items=300, truth_file=truth_file,
                         extra_args=extra) as (url, _):  # fmt: skip
        found = lee(url, tmp_path, "damage", "lee-devices", "--since", since, "--json", *BUCKET)
        damage_ops = operations(log)
        before = devices(url)
        result = tmp_path / "damage.json"
        result.write_text(found.stdout)
        dry = lee(url, tmp_path, "repair", "lee-devices", "--from-export", str(result),
                  "--dry-run", "--json", *BUCKET)  # fmt: skip
        log.write_text("")
        repaired = lee(url, tmp_path, "repair", "lee-devices", "--from-export", str(result),
                       "--confirm", "lee-devices", "--json", *BUCKET)  # fmt: skip
        repair_ops = operations(log)
        after = devices(url)
    truth = json.loads(truth_file.read_text())
    damaged = sorted(k["device_id"] for k in truth["damaged_keys"])

    # damage: exactly the truth's damaged keys, the first damaging write to the second
    assert found.returncode == 1, found.stderr  # 1: damage found
    report = json.loads(found.stdout)
    assert len(report["exports"]) == exports
    assert sorted(k["device_id"] for k in report["damaged_keys"]) == damaged
    assert report["counts"]["damaged"] == len(damaged) and report["counts"]["legitimate"] > 0
    first_write = min(written_second(before[device]) for device in damaged)
    assert parse_utc(report["first_damaging_write"]) == first_write
    assert parse_utc(truth["damage_start"]) <= first_write
    assert sum(report["per_rule"].values()) >= len(damaged)
    assert "incremental export(s) of lee-devices" in found.stderr and "estimated $" in found.stderr
    assert "ExportTableToPointInTime" in damage_ops
    assert not READS & set(damage_ops)  # the live table's capacity is not read

    # repair: 0 damaged left, 0 legitimate writes lost, no restore, no scan
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["damaged"] == len(damaged)
    assert repaired.returncode == 0, repaired.stderr
    outcome = json.loads(repaired.stdout)
    assert outcome["repaired"] == len(damaged)
    wrong = {d: item for d, item in after.items() if item_hash(item).hex() != truth["expected"][d]}
    assert wrong == {}
    start = parse_utc(truth["damage_start"])
    last_minute = [
        w for w in truth["legit_writes"]
        if start - timedelta(minutes=1) <= parse_utc(w["at"]) < start
    ]  # fmt: skip
    kept = [w for w in last_minute if item_hash(after[w["key"]["device_id"]]).hex()
            == truth["expected"][w["key"]["device_id"]]]  # fmt: skip
    assert kept == last_minute
    # every item not damaged is as it was before the repair (legitimate writes untouched)
    assert all(after[d] == item for d, item in before.items() if d not in damaged)
    blind = {json.dumps(entry["key"]) for entry in outcome["unseen_risk"]}
    assert blind <= {json.dumps({"device_id": d}) for d in damaged}
    assert "ExportTableToPointInTime" in repair_ops
    assert not (RESTORES | {"Scan"}) & set(repair_ops)


def test_repair_from_export_refusals(tmp_path: Path) -> None:
    """Bad input: one line each, exit 2, before anything is written."""
    with running_sandbox(items=30) as (url, _):
        nonsense = lee(url, tmp_path, "repair", "lee-devices", "--from-export", "nonsense",
                       "--confirm", "lee-devices")  # fmt: skip
        other = tmp_path / "other.json"
        other.write_text(json.dumps({"table": "lee-users", "first_damaging_write":
                                     "2026-01-01T00:00:00Z", "exports": []}))  # fmt: skip
        wrong_table = lee(url, tmp_path, "repair", "lee-devices", "--from-export", str(other))
        broken = tmp_path / "broken.json"
        broken.write_text("{")
        not_json = lee(url, tmp_path, "repair", "lee-devices", "--from-export", str(broken))
        read_only = lee(url, tmp_path, "repair", "lee-devices", "--from-export", "nonsense",
                        "--read-only")  # fmt: skip
    assert (nonsense.returncode, nonsense.stderr.splitlines()) == (2, [
        "lee-console: --from-export takes a `damage --json` result file or export ARNs, not "
        "'nonsense'."])  # fmt: skip
    assert wrong_table.stderr.splitlines() == [
        f"lee-console: {other} is a damage result of lee-users, not lee-devices."
    ]
    assert not_json.stderr.splitlines() == [
        f"lee-console: {broken} is not a `damage --json` result."
    ]
    assert read_only.returncode == 2
    assert read_only.stderr.splitlines() == [
        "lee-console: Not writing damaged items of lee-devices back from its exports: the "
        "console runs with --read-only, which allows no change in AWS. --dry-run shows the "
        "counts."
    ]


def test_damage_refusals(tmp_path: Path) -> None:
    """No bucket, a period backwards, a deleted table: one line each, no export started."""
    log = tmp_path / "requests.jsonl"
    with running_sandbox(scenario="accidental-delete", items=30,
                         extra_args=("--request-log", str(log))) as (url, _):  # fmt: skip
        no_bucket = lee(url, tmp_path, "damage", "lee-devices", "--since", "-1h")
        backwards = lee(url, tmp_path, "damage", "lee-users", "--since", "-1h", "--until", "-2h",
                        *BUCKET)  # fmt: skip
        bad_bucket = lee(url, tmp_path, "damage", "lee-users", "--since", "-1h", "--bucket", "A")
        deleted = lee(url, tmp_path, "damage", "lee-devices", "--since", "-1h", *BUCKET)
        repair_deleted = lee(url, tmp_path, "repair", "lee-devices", "--from-export",
                             "arn:aws:dynamodb:us-east-1:123456789012:table/lee-devices/export/1",
                             "--confirm", "lee-devices")  # fmt: skip
    config = tmp_path / "config.toml"
    assert no_bucket.stderr.splitlines() == [
        "lee-console: No S3 bucket for the exports: damage exports the changes of lee-devices to "
        f"S3; pass --bucket B or set export_bucket in {config}."
    ]
    assert backwards.stderr.splitlines()[-1].startswith("lee-console: --until ")
    assert bad_bucket.stderr.splitlines() == [
        "lee-console: --bucket 'A' is not an S3 bucket name (3-63 lowercase letters, digits, "
        "dots and hyphens)."
    ]
    [line] = deleted.stderr.splitlines()
    assert line.startswith("lee-console: Table lee-devices does not exist in ")
    assert line.endswith(
        ": exports need the table and its PITR window. A deleted table comes back from its "
        "backup: `lee-console restore lee-devices --deleted`."
    )
    assert repair_deleted.returncode == 2 and len(repair_deleted.stderr.splitlines()) == 1
    for run in (no_bucket, backwards, bad_bucket, deleted):
        assert run.returncode == 2
    assert "ExportTableToPointInTime" not in operations(log)


def test_find_good_via_export_restores_no_probe(tmp_path: Path) -> None:
    """The default find-good on gradual-corruption where a bucket is known: the last good
    second from incremental exports over the whole window, not a single probe restore (the
    request log has no RestoreTableToPointInTime nor CreateTable); the probe search on the same
    window restores one probe table per probe and lands at the same damage, at its precision.
    Without a bucket the default is the probe search, said in one line."""
    truth_file, log = tmp_path / "truth.json", tmp_path / "requests.jsonl"
    extra = ("--export-seconds", "0", "--request-log", str(log), "--restore-seconds", "0.2")
    (tmp_path / "config.toml").write_text('export_bucket = "lee-pitr-exports"\n')
    with running_sandbox(scenario="gradual-corruption", items=300, truth_file=truth_file,
                         extra_args=extra) as (url, _):  # fmt: skip
        via_export = lee(url, tmp_path, "find-good", "lee-devices", "--json")
        exported = operations(log)
        log.write_text("")
        (tmp_path / "config.toml").write_text("")
        via_restore = lee(
            url,
            tmp_path,
            "find-good",
            "lee-devices",
            "--precision",
            "1h",
            "--parallel",
            "4",
            "--yes",
            "--json",
            "--poll-seconds",
            "0.1",
        )
        probed = operations(log)
        before = devices(url)
    assert via_export.returncode == 0, via_export.stderr
    found = json.loads(via_export.stdout)
    assert found["probe_restores"] == 0 and found["exports"] == 35  # the 35-day window, a day each
    assert not RESTORES & set(exported)
    assert "Plan via export (this run): 35 incremental export(s)" in via_export.stderr
    assert "Plan via restore (--via restore): at most " in via_export.stderr
    truth = json.loads(truth_file.read_text())
    first_write = min(written_second(before[k["device_id"]]) for k in truth["damaged_keys"])
    assert parse_utc(found["first_damaging_write"]) == first_write
    assert parse_utc(found["last_good"]) == first_write - timedelta(seconds=1)
    assert via_restore.returncode == 0, via_restore.stderr
    assert via_restore.stderr.splitlines()[0] == (
        "No S3 bucket for exports (--bucket B or export_bucket in the config file): searching "
        "with probe restores (--via restore)."
    )
    probes = probed.count("RestoreTableToPointInTime")
    assert probes >= 4 and "ExportTableToPointInTime" not in probed
    restored_good = parse_utc(json.loads(via_restore.stdout)["last_good"])
    assert abs(restored_good - (first_write - timedelta(seconds=1))) <= timedelta(hours=1)
