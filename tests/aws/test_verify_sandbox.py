"""Verification against the bad-deployment sandbox, checked against its ground truth: the live
table's violations are exactly the damaged keys, a restore to before the damage has none, and
the diff sees every damaged and every legitimately changed device."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from sandbox_process import running_sandbox

from lee_console.aws.items import count_items
from lee_console.aws.scan import get_item, scan_items, to_wire
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.aws.verify import compare_item, describe_shape, diff_tables, verify_table
from lee_console.core.diff import Change, item_hash
from lee_console.core.errors import TableInUse, TableNotFound
from lee_console.core.journal import Kind
from lee_console.core.verify import VerifyReport
from lee_console.sandbox.scenarios.states import device_problems
from lee_console.store.journal_file import Journal
from lee_console.store.rules_file import load_rules_for

LIVE = "lee-devices"


class Scenario:
    def __init__(self, url: str, truth: dict[str, Any], restored: str) -> None:
        self.url = url
        self.truth = truth
        self.restored = restored
        self.damaged = {k["device_id"] for k in truth["damaged_keys"]}
        self.legit_after = {k["device_id"] for k in truth["legit_keys_after"]}


def raw_client(url: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def wait_active(client: Any, table: str) -> None:
    for _ in range(100):
        if client.describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE":
            return
        time.sleep(0.1)
    raise AssertionError(f"{table} never became ACTIVE")


@pytest.fixture(scope="session")
def bad_deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    truth_file = tmp_path_factory.mktemp("truth") / "truth.json"
    with running_sandbox(
        "bad-deployment", restore_seconds=1, restore_lag=0, truth_file=truth_file
    ) as (url, _):
        truth = json.loads(truth_file.read_text())
        damage_start = datetime.fromisoformat(truth["damage_start"].replace("Z", "+00:00"))
        client = raw_client(url)
        restored = "lee-devices-restored-before-damage"
        client.restore_table_to_point_in_time(
            SourceTableName=LIVE,
            TargetTableName=restored,
            RestoreDateTime=damage_start - timedelta(seconds=60),
        )
        wait_active(client, restored)
        yield Scenario(url, truth, restored)


@pytest.fixture
def aws(bad_deployment: Scenario, tmp_path: Path) -> Aws:
    settings = ConnectionSettings(endpoint_url=bad_deployment.url, region="us-east-1")
    return Aws(settings, Journal(tmp_path / "journals", "verify-test"))


@pytest.fixture(scope="module")
def journaled(
    bad_deployment: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Aws, VerifyReport]:
    """One verify of the restored table against live (the scans take seconds), journaled."""
    settings = ConnectionSettings(endpoint_url=bad_deployment.url, region="us-east-1")
    journal = Journal(tmp_path_factory.mktemp("journals"), "verify-test")
    aws = Aws(settings, journal)
    return aws, verify_table(aws, bad_deployment.restored, against=LIVE)


def test_live_violations_are_exactly_the_damaged_keys(aws: Aws, bad_deployment: Scenario) -> None:
    rules = load_rules_for(LIVE)
    items = list(scan_items(aws, LIVE))
    violating = {item["device_id"] for item in items if not rules.passes(item)}
    assert violating == bad_deployment.damaged
    # and the shipped rules agree with the sandbox's own integrity definition, item by item
    assert {i["device_id"] for i in items if device_problems(i)} == bad_deployment.damaged
    report = verify_table(aws, LIVE)
    assert report.checked.violating_items == len(bad_deployment.damaged)
    assert report.checked.items == len(items) == count_items(aws, LIVE)
    assert not report.passed
    for count in report.checked.rules:
        assert {key[0] for key in count.sample_keys} <= bad_deployment.damaged


def test_restore_before_the_damage_passes(
    aws: Aws, bad_deployment: Scenario, journaled: tuple[Aws, VerifyReport]
) -> None:
    report = journaled[1]
    assert report.passed
    assert report.checked.rule_set == "lee-devices"
    assert report.checked.rules_source == "shipped rules lee-devices.toml"
    assert report.checked.violating_items == 0
    assert report.schema_differences == ()
    assert report.against is not None
    assert report.against.violating_items == len(bad_deployment.damaged)
    assert report.checked.items == report.against.items == count_items(aws, LIVE)


def test_diff_sees_every_damaged_and_legitimately_changed_device(
    bad_deployment: Scenario, journaled: tuple[Aws, VerifyReport]
) -> None:
    diff = journaled[1].diff
    assert diff is not None
    changed = {key[0] for key in diff.keys(Change.CHANGED)}
    assert diff.count(Change.ADDED) == diff.count(Change.REMOVED) == 0
    assert changed >= bad_deployment.damaged
    assert changed >= bad_deployment.legit_after
    assert not bad_deployment.damaged & bad_deployment.legit_after
    # damaged = restored passes, live fails: exactly the truth; the legit writes pass on both
    assert {e.key[0] for e in diff.damaged()} == bad_deployment.damaged
    for key in bad_deployment.legit_after:
        entry = diff.entries[(key,)]
        assert entry.restored_passes and entry.live_passes
    assert diff.restored_items == diff.live_items == diff.unchanged + len(changed)


def test_diff_tables_keeps_both_hashes_and_verdicts(aws: Aws, bad_deployment: Scenario) -> None:
    diff = diff_tables(aws, bad_deployment.restored, LIVE, segments=8)
    key = sorted(bad_deployment.damaged)[0]
    live_item = get_item(aws, LIVE, {"device_id": key})
    restored_item = get_item(aws, bad_deployment.restored, {"device_id": key})
    assert live_item is not None and restored_item is not None
    entry = diff.entries[(key,)]
    assert entry.live_hash == item_hash(live_item)
    assert entry.restored_hash == item_hash(restored_item)
    assert (entry.restored_passes, entry.live_passes, entry.damaged) == (True, False, True)
    assert {e.key[0] for e in diff.damaged()} == bad_deployment.damaged


def test_verify_is_journaled(bad_deployment: Scenario, journaled: tuple[Aws, VerifyReport]) -> None:
    aws = journaled[0]
    assert aws.journal is not None
    events = [e for e in aws.journal.events() if e.kind == Kind.VERIFIED]
    assert len(events) == 1
    data = events[0].data
    assert data["table"] == bad_deployment.restored and data["against"] == LIVE
    assert data["passed"] is True
    assert data["violations"]["items"] == 0
    assert data["violations"]["against_items"] == len(bad_deployment.damaged)
    assert data["diff"]["damaged"] == len(bad_deployment.damaged)
    assert data["counts"][LIVE] == data["counts"][bad_deployment.restored]
    verify_table(aws, "lee-sessions", record=False)
    assert len([e for e in aws.journal.events() if e.kind == Kind.VERIFIED]) == 1


def test_tables_with_different_keys_are_each_checked_without_a_diff(aws: Aws) -> None:
    report = verify_table(aws, "lee-sessions", against=LIVE, record=False)
    assert report.diff is None and report.against is not None
    assert report.checked.table == "lee-sessions" and report.against.table == LIVE
    assert report.checked.items == count_items(aws, "lee-sessions")
    assert report.against.items == count_items(aws, LIVE)
    assert report.schema_differences and not report.passed


def test_compare_item_shows_the_damage(aws: Aws, bad_deployment: Scenario) -> None:
    key = sorted(bad_deployment.damaged)[0]
    comparison = compare_item(aws, bad_deployment.restored, LIVE, {"device_id": key})
    paths = {change.path for change in comparison.changes}
    assert "updated_at" in paths and any(path.startswith("state.") for path in paths)
    assert comparison.restored_violations == () and comparison.live_violations


def test_scan_items_streams_plain_values_and_stops_early(aws: Aws) -> None:
    keys = [item["session_id"] for item in scan_items(aws, "lee-sessions", segments=7)]
    assert len(set(keys)) == len(keys) == count_items(aws, "lee-sessions")
    stream = scan_items(aws, LIVE)
    first = next(stream)
    stream.close()
    assert isinstance(first["state"], dict) and "version" in first
    assert to_wire({"device_id": "x", "n": 1.5})["n"] == {"N": "1.5"}
    assert get_item(aws, LIVE, {"device_id": "dev-nope"}) is None


def test_errors_are_one_sentence(aws: Aws, bad_deployment: Scenario) -> None:
    with pytest.raises(TableNotFound, match="does not exist"):
        verify_table(aws, "no-such-table")
    with pytest.raises(TableNotFound):
        list(scan_items(aws, "no-such-table"))
    client = raw_client(bad_deployment.url)
    target = f"lee-devices-creating-{uuid.uuid4().hex[:6]}"
    client.restore_table_to_point_in_time(
        SourceTableName=LIVE, TargetTableName=target, UseLatestRestorableTime=True
    )
    with pytest.raises(TableInUse, match="CREATING"):
        describe_shape(aws, target)
