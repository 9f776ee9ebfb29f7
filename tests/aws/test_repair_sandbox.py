"""Repair in place against the bad-deployment sandbox, checked against its ground truth: every
damaged key repaired, every legitimate later write intact; a killed repair resumes without
repeating or missing an item; an item changed in the meantime is skipped, never overwritten;
--read-only writes nothing; deletions are written back only when asked.

Tests that change data work on copies of lee-devices restored at the moment the sandbox came
up (the damaged state), so they do not depend on each other."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from sandbox_process import running_sandbox

from lee_console.aws.repair import plan_repair, put_if_unchanged, run_repair
from lee_console.aws.scan import get_item, scan_items
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.diff import item_hash
from lee_console.core.errors import ReadOnlyRefused
from lee_console.core.journal import Kind
from lee_console.core.repair import SKIP_CHANGED, BatchOutcome
from lee_console.store.journal_file import Journal
from lee_console.store.rules_file import load_rules_for

LIVE = "lee-devices"
RULES = load_rules_for(LIVE)


@dataclass
class Scenario:
    url: str
    damaged: set[str]
    legit_after: set[str]
    restored: str  # lee-devices one minute before the damage
    snapshot: datetime  # the damaged state, before any test repaired anything


def client(url: str) -> Any:
    return boto3.client(
        "dynamodb", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip


def restore(raw: Any, target: str, at: datetime) -> str:
    raw.restore_table_to_point_in_time(
        SourceTableName=LIVE, TargetTableName=target, RestoreDateTime=at
    )
    for _ in range(200):
        if raw.describe_table(TableName=target)["Table"]["TableStatus"] == "ACTIVE":
            return target
        time.sleep(0.05)
    raise AssertionError(f"{target} never became ACTIVE")


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    truth_file = tmp_path_factory.mktemp("truth") / "truth.json"
    with running_sandbox(
        "bad-deployment", restore_seconds=0.2, restore_lag=0, items=300, truth_file=truth_file
    ) as (url, _):
        truth = json.loads(truth_file.read_text())
        start = datetime.fromisoformat(truth["damage_start"].replace("Z", "+00:00"))
        raw = client(url)
        snapshot = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=1)
        restored = restore(raw, "lee-devices-restored-before", start - timedelta(minutes=1))
        yield Scenario(
            url,
            {k["device_id"] for k in truth["damaged_keys"]},
            {k["device_id"] for k in truth["legit_keys_after"]},
            restored,
            snapshot,
        )


def make_aws(scenario: Scenario, tmp_path: Path, read_only: bool = False) -> Aws:
    settings = ConnectionSettings(
        endpoint_url=scenario.url, region="us-east-1", read_only=read_only
    )
    aws = Aws(settings, Journal(tmp_path / "journals", "repair-test"))
    sent: list[tuple[str, str]] = []
    SENT_PUTS[id(aws)] = sent

    def record(params: Any, **_: Any) -> None:
        sent.append((params["TableName"], params["Item"]["device_id"]["S"]))

    aws.dynamodb.meta.events.register("before-parameter-build.dynamodb.PutItem", record)
    return aws


SENT_PUTS: dict[int, list[tuple[str, str]]] = {}  # every PutItem each test's Aws sent


def damaged_copy(scenario: Scenario) -> str:
    return restore(
        client(scenario.url), f"lee-devices-live-{uuid.uuid4().hex[:8]}", scenario.snapshot
    )


def items_by_id(aws: Aws, table: str) -> dict[str, dict[str, Any]]:
    return {item["device_id"]: item for item in scan_items(aws, table)}


def put_calls(aws: Aws, table: str) -> Counter[str]:
    """The PutItems sent to ``table``, by device; each sent one is in a repair-batch record
    (the journal holds batches, not one line per write)."""
    assert aws.journal is not None
    sent = Counter(device for name, device in SENT_PUTS[id(aws)] if name == table)
    journaled = Counter(
        key["device_id"]
        for e in aws.journal.events()
        if e.kind == Kind.REPAIR_BATCH and e.data["live"] == table
        for key in e.data["keys"]
    )
    assert journaled == sent
    assert not [e for e in aws.journal.events() if e.data.get("operation") == "PutItem"]
    return sent


def test_every_damaged_key_repaired_every_legit_write_intact(
    scenario: Scenario, tmp_path: Path
) -> None:
    aws = make_aws(scenario, tmp_path)
    before = items_by_id(aws, LIVE)
    restored = items_by_id(aws, scenario.restored)
    plan = plan_repair(aws, LIVE, scenario.restored)
    assert plan.damaged == plan.would_repair == len(scenario.damaged)
    assert {t.key[0] for t in plan.targets} == scenario.damaged
    assert plan.deleted_in_live == ()
    progress: list[str] = []
    result = run_repair(aws, plan, on_progress=lambda p: progress.append(p.line()))
    assert (result.repaired, result.skipped, result.left) == (len(scenario.damaged), 0, 0)
    assert progress and progress[-1].startswith(f"[batch {len(plan.batches(25))}/")
    after = items_by_id(aws, LIVE)
    for key in scenario.damaged:
        assert item_hash(after[key]) == item_hash(restored[key]) and RULES.passes(after[key])
    for key in scenario.legit_after:
        assert item_hash(after[key]) == item_hash(before[key])  # untouched by the repair
        assert item_hash(after[key]) != item_hash(restored[key])  # and not rolled back
    untouched = set(before) - scenario.damaged
    assert all(item_hash(after[k]) == item_hash(before[k]) for k in untouched)
    assert set(put_calls(aws, LIVE)) == scenario.damaged
    assert aws.journal is not None
    kinds = [e.kind for e in aws.journal.events() if not e.kind.startswith("aws-")]
    assert kinds.count(Kind.REPAIR_BATCH) == len(plan.batches(25))
    assert kinds[-2:] == [Kind.REPAIR_FINISHED, Kind.CUTOVER]
    events = list(aws.journal.events())
    finished = next(e for e in events if e.kind == Kind.REPAIR_FINISHED).data
    assert finished["complete"] is True and finished["repaired"] == len(scenario.damaged)
    cutover = next(e for e in events if e.kind == Kind.CUTOVER).data
    assert cutover["strategy"] == "repair" and cutover["legit_writes_after"] >= len(
        scenario.legit_after
    )
    # a second plan finds nothing left to do
    again = plan_repair(aws, LIVE, scenario.restored)
    assert again.targets == ()


class Killed(Exception):
    pass


def test_killed_repair_resumes_without_repeating_or_missing(
    scenario: Scenario, tmp_path: Path
) -> None:
    live = damaged_copy(scenario)
    aws = make_aws(scenario, tmp_path)
    plan = plan_repair(aws, live, scenario.restored)
    assert plan.damaged == len(scenario.damaged)

    def kill_after_two(outcome: BatchOutcome) -> None:
        if outcome.index == 2:
            raise Killed

    with pytest.raises(Killed):
        run_repair(aws, plan, batch_size=10, on_batch=kill_after_two)
    resumed = plan_repair(aws, live, scenario.restored)
    assert len(resumed.resume.repaired) == 20 and resumed.resume.batches == 2
    assert resumed.would_repair == len(scenario.damaged) - 20
    result = run_repair(aws, resumed, batch_size=10)
    assert result.damaged == len(scenario.damaged)
    assert (result.repaired, result.skipped, result.left) == (len(scenario.damaged), 0, 0)
    assert result.damaged == result.repaired + result.skipped + result.left
    calls = put_calls(aws, live)
    assert set(calls) == scenario.damaged and set(calls.values()) == {1}  # each exactly once
    assert aws.journal is not None
    batches = [e.data["batch"] for e in aws.journal.events() if e.kind == Kind.REPAIR_BATCH]
    assert batches == list(range(1, len(batches) + 1))
    assert all(RULES.passes(item) for item in scan_items(aws, live))


class KilledMidBatch(BaseException):
    """Like SIGKILL, not caught by the repair's own error handling: the batch is never
    journaled, though some of its writes were sent."""


def test_a_run_killed_mid_batch_counts_its_unjournaled_writes_as_repaired_once(
    scenario: Scenario, tmp_path: Path
) -> None:
    live = damaged_copy(scenario)
    aws = make_aws(scenario, tmp_path)
    plan = plan_repair(aws, live, scenario.restored)
    legit = plan.legit_writes_after

    def die_after_25_writes(params: Any, **_: Any) -> None:
        if len(SENT_PUTS[id(aws)]) >= 25:
            raise KilledMidBatch

    aws.dynamodb.meta.events.register_first(
        "before-parameter-build.dynamodb.PutItem", die_after_25_writes
    )
    with pytest.raises(KilledMidBatch):
        run_repair(aws, plan, batch_size=10, workers=1)
    assert aws.journal is not None
    journaled = {k["device_id"] for e in aws.journal.events() if e.kind == Kind.REPAIR_BATCH
                 for k in e.data["keys"]}  # fmt: skip
    written = {device for name, device in SENT_PUTS[id(aws)] if name == live}
    assert len(journaled) == 20 and len(written) == 25  # batch 3 half written, not journaled

    again = make_aws(scenario, tmp_path)
    resumed = plan_repair(again, live, scenario.restored)
    assert len(resumed.resume.repaired) == 25  # the 5 unjournaled writes count as repaired
    assert resumed.legit_writes_after == legit  # not as legitimate changes
    result = run_repair(again, resumed, batch_size=10)
    assert (result.damaged, result.repaired, result.skipped, result.left) == (
        len(scenario.damaged), len(scenario.damaged), 0, 0,
    )  # fmt: skip
    resent = {device for name, device in SENT_PUTS[id(again)] if name == live}
    assert not resent & written and resent | written == scenario.damaged


def test_item_changed_after_the_plan_is_skipped_not_overwritten(
    scenario: Scenario, tmp_path: Path
) -> None:
    live = damaged_copy(scenario)
    aws = make_aws(scenario, tmp_path)
    plan = plan_repair(aws, live, scenario.restored)
    changed_key = plan.targets[0].key[0]
    raw = client(scenario.url)
    item = raw.get_item(TableName=live, Key={"device_id": {"S": changed_key}})["Item"]
    item["firmware"] = {"S": "9.9.9-hotfix"}  # someone writes to the item meanwhile
    raw.put_item(TableName=live, Item=item)
    result = run_repair(aws, plan)
    assert result.skipped == 1 and result.repaired == len(scenario.damaged) - 1
    assert result.skipped_keys == (({"device_id": changed_key}, SKIP_CHANGED),)
    now = raw.get_item(TableName=live, Key={"device_id": {"S": changed_key}})["Item"]
    assert now == item
    # the race between the read and the write: the condition refuses a stale image
    other = plan.targets[1].key[0]
    good = get_item(aws, scenario.restored, {"device_id": other})
    current = get_item(aws, live, {"device_id": other})
    assert good is not None and current is not None
    stale = {**current, "version": current["version"] + 1}
    assert put_if_unchanged(aws, live, good, stale, ["device_id"]) == SKIP_CHANGED
    assert get_item(aws, live, {"device_id": other}) == current
    assert put_if_unchanged(aws, live, good, None, ["device_id"]) == SKIP_CHANGED  # exists


def test_read_only_refuses_and_writes_nothing(scenario: Scenario, tmp_path: Path) -> None:
    live = damaged_copy(scenario)
    aws = make_aws(scenario, tmp_path, read_only=True)
    plan = plan_repair(aws, live, scenario.restored)  # reads only: allowed
    with pytest.raises(ReadOnlyRefused):
        run_repair(aws, plan)
    assert sum(not RULES.passes(item) for item in scan_items(aws, live)) == len(scenario.damaged)
    assert aws.journal is not None
    kinds = {e.kind for e in aws.journal.events()}
    assert Kind.AWS_REFUSED in kinds and Kind.REPAIR_BATCH not in kinds
    assert Kind.AWS_CALL not in kinds


def test_deleted_items_are_written_back_only_when_asked(scenario: Scenario, tmp_path: Path) -> None:
    live = damaged_copy(scenario)
    aws = make_aws(scenario, tmp_path)
    raw = client(scenario.url)
    healthy = sorted(set(items_by_id(aws, live)) - scenario.damaged)[:2]
    for key in healthy:
        raw.delete_item(TableName=live, Key={"device_id": {"S": key}})
    plan = plan_repair(aws, live, scenario.restored)
    assert {k[0] for k in plan.deleted_in_live} == set(healthy)
    assert {t.key[0] for t in plan.targets} == scenario.damaged
    with_deleted = plan_repair(aws, live, scenario.restored, restore_deleted=True)
    assert {t.key[0] for t in with_deleted.targets} == scenario.damaged | set(healthy)
    result = run_repair(aws, with_deleted)
    assert result.repaired == len(scenario.damaged) + 2 and result.left == 0
    for key in healthy:
        assert get_item(aws, live, {"device_id": key}) == get_item(
            aws, scenario.restored, {"device_id": key}
        )
