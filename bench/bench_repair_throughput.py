"""Repair-in-place throughput over HTTP, against named baselines measured in the same run.

    python bench/bench_repair_throughput.py [--items 20000] [--damaged-share 0.15]
        [--latency-ms 0] [--journal-dir DIR]

A sandbox (``python -m lee_console.sandbox --scenario none``) is started in a subprocess, as the
tests start it. Two tables with the lee-devices key schema are built in it: a "restored" one of
--items devices that all pass the shipped lee-devices rules, and a "live" one where a share
(--damaged-share) of them carries the bad deployment's state (breaks the rules). Then:

- lee-console: ``plan_repair`` (diff of both tables, timed apart) then ``run_repair`` (batches
  of 25: two BatchGetItems, conditional PutItems on a thread pool, one journal line per batch);
  items written per second of ``run_repair``, and the journal lines it wrote per item;
- baseline "one conditional PutItem per item": the live table is reset to its damaged state,
  then a plain boto3 loop on one thread writes each damaged key's restored item with PutItem,
  conditional on the live item being unchanged (the condition of core/repair.py's
  ``unchanged_condition``, built from the damaged image it already knows: no reads), with a
  journal line written and fsync'd before and after each call (what the console did before:
  two fsync'd events per write);
- baseline "... without journal": the same loop, reset again, without the journal lines.

Every run must write every damaged key (no condition fails). --latency-ms adds a fixed delay to
every sandbox request (AWS is a few ms away; the sandbox is not).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from lee_console.aws.repair import plan_repair, run_repair
from lee_console.aws.scan import item_from_wire, to_wire
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.repair import unchanged_condition
from lee_console.sandbox.scenarios.states import (
    DEVICE_TYPES,
    bad_deployment_state,
    state_pools,
)
from lee_console.store.journal_file import Journal
from lee_console.store.rules_file import load_rules_for

LIVE = "lee-devices-bench-live"  # lee-devices-* tables get the lee-devices rules
RESTORED = "lee-devices-bench-restored"
KEY = ["device_id"]


def _running_sandbox(latency_ms: float) -> Any:
    """tests/sandbox_process.py's running_sandbox: the sandbox in a subprocess, port 0."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from sandbox_process import running_sandbox

    return running_sandbox("none", latency_ms=latency_ms)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def _client(url: str) -> Any:
    return boto3.client(
        "dynamodb", endpoint_url=url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=Config(retries={"mode": "standard", "max_attempts": 5}),
    )  # fmt: skip


def _items(count: int, share: float) -> tuple[list[dict[str, Any]], dict[int, dict[str, Any]]]:
    """``count`` healthy devices (wire form) and, for a random ``share`` of them, by index,
    the damaged image the bad deployment left: invalid state, epoch-seconds updated_at."""
    rng = random.Random(20261202)
    pools = state_pools(rng)
    healthy = []
    for index in range(count):
        kind = DEVICE_TYPES[index % len(DEVICE_TYPES)]
        healthy.append({
            "device_id": {"S": f"dev-{index:06d}"},
            "device_type": {"S": kind},
            "user_id": {"S": f"usr-{rng.randrange(1, count // 3 + 2)}"},
            "firmware": {"S": f"2.{rng.randrange(0, 9)}.{rng.randrange(0, 20)}"},
            "updated_at": {"S": f"2024-11-{rng.randrange(1, 29):02d}T0{rng.randrange(10)}:00:00Z"},
            "version": {"N": str(rng.randrange(1, 40))},
            "state": json.loads(rng.choice(pools[kind])),
        })  # fmt: skip
    damaged = {}
    for index in sorted(rng.sample(range(count), round(count * share))):
        good = healthy[index]
        bad = json.loads(bad_deployment_state(good["device_type"]["S"]))
        damaged[index] = {**good, "state": bad, "updated_at": {"S": "1796180400"}}
    return healthy, damaged


def _create(raw: Any, table: str) -> None:
    raw.create_table(
        TableName=table,
        KeySchema=[{"AttributeName": "device_id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "device_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    for _ in range(200):
        if raw.describe_table(TableName=table)["Table"]["TableStatus"] == "ACTIVE":
            return
        time.sleep(0.05)
    raise AssertionError(f"{table} never became ACTIVE")


def _load(raw: Any, table: str, items: list[dict[str, Any]]) -> None:
    """BatchWriteItem, 25 items a call, 4 calls in flight (setup, not measured)."""

    def write(start: int) -> None:
        request = {table: [{"PutRequest": {"Item": i}} for i in items[start : start + 25]]}
        while request:
            request = raw.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(write, range(0, len(items), 25)))


def _violations(raw: Any, table: str, keys: list[dict[str, Any]]) -> int:
    """How many of the items at ``keys`` break the rules (BatchGetItem, 100 keys a call)."""
    rules = load_rules_for(table)
    broken = 0
    for start in range(0, len(keys), 100):
        request = {table: {"Keys": keys[start : start + 100], "ConsistentRead": True}}
        while request:
            response = raw.batch_get_item(RequestItems=request)
            found = response["Responses"].get(table, [])
            broken += sum(not rules.passes(item_from_wire(item)) for item in found)
            request = response.get("UnprocessedKeys") or {}
    return broken


class FsyncJournal:
    """One JSON line per event, written and fsync'd before returning (the file kept open)."""

    def __init__(self, path: Path) -> None:
        self.descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self.lines = 0

    def append(self, kind: str, **data: Any) -> None:
        line = json.dumps({"kind": kind, "at": time.time(), **data}, separators=(",", ":"))
        os.write(self.descriptor, (line + "\n").encode("utf-8"))
        os.fsync(self.descriptor)
        self.lines += 1

    def close(self) -> None:
        os.close(self.descriptor)


def _baseline(
    raw: Any,
    writes: list[tuple[dict[str, Any], dict[str, Any]]],
    journal: FsyncJournal | None,
) -> int:
    """One conditional PutItem per (restored, seen live) pair, in order, on this thread."""
    written = 0
    for good, seen in writes:
        condition = unchanged_condition(item_from_wire(seen), KEY)
        key = good["device_id"]["S"]
        if journal is not None:
            journal.append("aws-call", operation="PutItem", table=LIVE, key=key)
        try:
            raw.put_item(
                TableName=LIVE,
                Item=good,
                ConditionExpression=condition.expression,
                ExpressionAttributeNames=condition.names,
                ExpressionAttributeValues=to_wire(condition.values),
            )
            status = 200
            written += 1
        except raw.exceptions.ConditionalCheckFailedException:
            status = 400
        if journal is not None:
            journal.append("aws-result", operation="PutItem", status=status)
    return written


def _lines(path: Path) -> int:
    return path.read_bytes().count(b"\n") if path.exists() else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--damaged-share", type=float, default=0.15)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--journal-dir", type=Path, default=None, help="default: a temp dir")
    args = parser.parse_args()

    healthy, damaged = _items(args.items, args.damaged_share)
    live_items = [damaged.get(i, item) for i, item in enumerate(healthy)]
    writes = [(healthy[i], damaged[i]) for i in sorted(damaged)]
    with (
        tempfile.TemporaryDirectory(dir=args.journal_dir) as folder,
        _running_sandbox(args.latency_ms) as (url, _),
    ):
        raw = _client(url)
        load_s = time.perf_counter()
        for table, items in ((RESTORED, healthy), (LIVE, live_items)):
            _create(raw, table)
            _load(raw, table, items)
        load_s = time.perf_counter() - load_s
        reset = [bad for _, bad in writes]
        keys = [{"device_id": bad["device_id"]} for bad in reset]
        print(
            f"tables: {args.items} items each, {len(damaged)} damaged in live "
            f"({args.damaged_share:.0%}), loaded in {load_s:.1f} s; sandbox latency "
            f"{args.latency_ms:g} ms; journals in {folder}"
        )

        journal = Journal(Path(folder) / "journals", "bench")
        aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1"), journal)
        plan_s, plan = _timed(lambda: plan_repair(aws, LIVE, RESTORED))
        assert plan.would_repair == len(damaged), plan.counts()
        before = _lines(journal.path)
        repair_s, result = _timed(lambda: run_repair(aws, plan))
        journal_lines = _lines(journal.path) - before
        assert (result.repaired, result.skipped, result.left) == (len(damaged), 0, 0)
        assert _violations(raw, LIVE, keys) == 0

        _load(raw, LIVE, reset)
        assert _violations(raw, LIVE, keys) == len(damaged)
        fsynced = FsyncJournal(Path(folder) / "baseline.jsonl")
        base_s, written = _timed(lambda: _baseline(raw, writes, fsynced))
        fsynced.close()
        assert written == len(damaged) and _violations(raw, LIVE, keys) == 0

        _load(raw, LIVE, reset)
        bare_s, written = _timed(lambda: _baseline(raw, writes, None))
        assert written == len(damaged) and _violations(raw, LIVE, keys) == 0

    n = len(damaged)
    rate, base_rate, bare_rate = n / repair_s, n / base_s, n / bare_s
    print(f"items {args.items}, damaged {n}")
    label = f"plan_repair (diff of {2 * args.items} items)"
    print(f"{label:<34}: {plan_s:7.2f} s  {2 * args.items / plan_s:8.0f} items scanned/s")
    for label, seconds, per_second in (
        ("lee-console run_repair", repair_s, rate),
        ("baseline put per item + 2 fsyncs", base_s, base_rate),
        ("baseline put per item, no journal", bare_s, bare_rate),
    ):
        print(f"{label:<34}: {seconds:7.2f} s  {per_second:8.0f} items/s")
    for label, ratio in (
        ("ratio lee-console / 2-fsync base", rate / base_rate),
        ("ratio lee-console / no-journal", rate / bare_rate),
    ):
        print(f"{label:<34}: {ratio:7.2f}x")
    print(
        f"journal lines: lee-console {journal_lines} ({journal_lines / n:.3f} per repaired item),"
        f" baseline {fsynced.lines} ({fsynced.lines / n:.0f} per item)"
    )


if __name__ == "__main__":
    main()
