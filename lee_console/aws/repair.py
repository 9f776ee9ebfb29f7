"""Repair in place over AWS: diff the restored table against the live one, then write back the
damaged items, each with PutItem conditional on the live item still being what the diff saw
(core/repair.py says what counts as damage, the condition, and how a run resumes).

Per batch (25 keys by default): BatchGetItem reads the batch's restored and live images
(consistent reads); a key whose live image no longer hashes as the diff saw, or whose restored
image fails the rules, is skipped; the rest are written by a thread pool; a write whose
condition fails (the item changed between the read and the write) is skipped too. The batch is
then journaled (``repair-batch``) before the next one starts; the run's keys are journaled
first (``repair-planned``), and its PutItems are journaled by these records, not one by one.
When the run ends with nothing left, ``repair-finished`` (totals, complete true) and
``cutover`` (strategy repair) are journaled; a cancelled run journals ``repair-finished``
with complete false and left > 0.

--read-only: the session's guard refuses the first PutItem; the error is raised (after the
batch's journal line, if anything in it was written). No printing here: callers get
``on_progress`` after each batch and may stop the run with ``cancelled``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from lee_console.aws.errors import translate
from lee_console.aws.outage import ride_out
from lee_console.aws.scan import DEFAULT_SEGMENTS, item_from_wire, to_wire
from lee_console.aws.session import Aws
from lee_console.aws.verify import diff_tables
from lee_console.core.diff import Key, item_hash, key_dict, key_of
from lee_console.core.journal import Kind
from lee_console.core.repair import (
    SKIP_CHANGED,
    BatchOutcome,
    RepairPlan,
    RepairProgress,
    RepairResult,
    RepairTarget,
    key_token,
    resume_state,
    skip_reason,
    tally,
    unchanged_condition,
)
from lee_console.core.repair import plan_repair as plan_from_diff
from lee_console.core.rules import RuleSet
from lee_console.store.rules_file import load_rules_for

BATCH_SIZE = 25
WORKERS = 8
_UNPROCESSED_RETRIES = 8


def plan_repair(
    aws: Aws,
    live: str,
    restored: str,
    rules: RuleSet | None = None,
    *,
    restore_deleted: bool = False,
    segments: int = DEFAULT_SEGMENTS,
    now: datetime | None = None,
) -> RepairPlan:
    """Diff ``restored`` against ``live`` (both scanned once, hashes only) and plan the repair,
    leaving out keys done by earlier runs in this incident's journal. Rules default to the
    shipped rule set for ``live``'s name."""
    rule_set = rules if rules is not None else load_rules_for(live)
    diff = diff_tables(aws, restored, live, rule_set, segments=segments, now=now)
    events = aws.journal.events() if aws.journal is not None else iter(())
    return plan_from_diff(diff, resume_state(events, live, restored), restore_deleted)


def run_repair(
    aws: Aws,
    plan: RepairPlan,
    rules: RuleSet | None = None,
    *,
    batch_size: int = BATCH_SIZE,
    workers: int = WORKERS,
    on_progress: Callable[[RepairProgress], None] | None = None,
    on_batch: Callable[[BatchOutcome], None] | None = None,
    cancelled: threading.Event | None = None,
) -> RepairResult:
    """Write ``plan``'s targets back to the live table, batch by batch, each journaled.
    ``on_batch`` runs after a batch is journaled (a test may raise there to simulate a kill)."""
    rule_set = rules if rules is not None else load_rules_for(plan.live)
    batches = plan.batches(batch_size)
    stop = cancelled or threading.Event()
    first = plan.resume.batches + 1
    done = 0
    if aws.journal is not None and plan.targets:
        aws.journal.append(Kind.REPAIR_PLANNED, **plan.planned_data())
    covered = aws.journaled_by_batch("PutItem", plan.live)
    with covered, ThreadPoolExecutor(max_workers=workers, thread_name_prefix="repair") as pool:
        writer = _BatchWriter(aws, plan, rule_set, pool, first_index=first)
        for number, batch in enumerate(batches, start=1):
            if stop.is_set():
                break
            writer.pending, writer.tries = list(batch), 0
            ride_out(writer.attempt, aws.retries, cancelled=stop)
            done += 1
            if on_batch is not None and writer.outcomes:
                on_batch(writer.outcomes[-1])
            if on_progress is not None:
                repaired = sum(len(o.repaired) for o in writer.outcomes)
                skipped = sum(len(o.skipped) for o in writer.outcomes)
                total = len(plan.targets)
                on_progress(RepairProgress(number, len(batches), repaired, skipped, total))
        outcomes = writer.outcomes
    result = tally(plan, outcomes, cancelled=done < len(batches))
    if aws.journal is not None and (plan.targets or plan.resume.done):
        aws.journal.append(Kind.REPAIR_FINISHED, **result.finished_data())
        if result.complete:
            aws.journal.append(Kind.CUTOVER, **result.cutover_data())
    return result


class _BatchWriter:
    """Writes one batch's pending keys per attempt and journals what each attempt did. An
    outage raises a PASSING error out of ``attempt``; ride_out calls it again with the keys
    still pending, and a write whose answer the outage lost then shows as already repaired."""

    def __init__(
        self, aws: Aws, plan: RepairPlan, rules: RuleSet, pool: ThreadPoolExecutor, first_index: int
    ) -> None:
        self.aws, self.plan, self.rules, self.pool = aws, plan, rules, pool
        self.index = first_index
        self.pending: list[RepairTarget] = []
        self.tries = 0
        self.outcomes: list[BatchOutcome] = []

    def attempt(self) -> None:
        if not self.pending:
            return
        retry = self.tries > 0
        self.tries += 1
        outcome, error = _repair_batch(
            self.aws, self.plan, self.rules, self.pending, self.index, self.pool, retry
        )
        if outcome.repaired or outcome.skipped:
            self.outcomes.append(outcome)
            self.index += 1
            if self.aws.journal is not None:
                self.aws.journal.append(Kind.REPAIR_BATCH, **outcome.journal_data(self.plan))
            settled = {key_token(k) for k in outcome.repaired}
            settled |= {key_token(k) for k, _ in outcome.skipped}
            self.pending = [t for t in self.pending if key_token(t.key) not in settled]
        if error is not None:
            raise error


def _repair_batch(
    aws: Aws,
    plan: RepairPlan,
    rules: RuleSet,
    batch: Sequence[RepairTarget],
    index: int,
    pool: ThreadPoolExecutor,
    retry: bool = False,
) -> tuple[BatchOutcome, Exception | None]:
    keys = [t.key for t in batch]
    restored = batch_get(aws, plan.restored, plan.key_names, keys)
    live = batch_get(aws, plan.live, plan.key_names, keys)
    repaired: list[Key] = []
    skipped: list[tuple[Key, str]] = []
    writes: list[tuple[RepairTarget, Any]] = []
    for target in batch:
        token = key_token(target.key)
        before, now_live = restored.get(token), live.get(token)
        if retry and before is not None and now_live is not None and same_item(before, now_live):
            repaired.append(target.key)  # written by the try whose answer the outage lost
            continue
        reason = skip_reason(target, before, now_live, rules)
        if reason is not None or before is None:
            skipped.append((target.key, reason or SKIP_CHANGED))
            continue
        future = pool.submit(put_if_unchanged, aws, plan.live, before, now_live, plan.key_names)
        writes.append((target, future))
    error: Exception | None = None
    for target, future in writes:
        try:
            reason = future.result()
        except Exception as failure:  # not a condition: stop the repair after this batch
            error = error or failure
            continue
        if reason is None:
            repaired.append(target.key)
        else:
            skipped.append((target.key, reason))
    return BatchOutcome(index, tuple(repaired), tuple(skipped)), error


def same_item(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return item_hash(a) == item_hash(b)


def put_if_unchanged(
    aws: Aws,
    table: str,
    item: Mapping[str, Any],
    seen: Mapping[str, Any] | None,
    key_names: Sequence[str],
) -> str | None:
    """PutItem ``item`` only while the live item is still ``seen`` (None: still absent).
    Returns None when written, else why it was skipped; other errors are raised."""
    try:
        condition = unchanged_condition(seen, key_names)
    except ValueError as too_big:
        return str(too_big)
    params: dict[str, Any] = {
        "TableName": table,
        "Item": to_wire(item),
        "ConditionExpression": condition.expression,
        "ExpressionAttributeNames": condition.names,
    }
    if condition.values:
        params["ExpressionAttributeValues"] = to_wire(condition.values)
    try:
        aws.dynamodb.put_item(**params)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
            return SKIP_CHANGED
        raise translate(error, f"write an item back to {table}") from None
    except Exception as error:  # a dropped connection: EndpointUnreachable, ridden out above
        raise translate(error, f"write an item back to {table}") from None
    return None


def batch_get(
    aws: Aws, table: str, key_names: Sequence[str], keys: Sequence[Key]
) -> dict[str, dict[str, Any]]:
    """The items with these keys (at most 100), read consistently, by key token."""
    request: dict[str, Any] = {
        table: {"Keys": [to_wire(key_dict(k, key_names)) for k in keys], "ConsistentRead": True}
    }
    found: dict[str, dict[str, Any]] = {}
    for attempt in range(_UNPROCESSED_RETRIES + 1):
        try:
            response = aws.dynamodb.batch_get_item(RequestItems=request)
        except Exception as error:
            raise translate(error, f"read items of {table}") from None
        for wire in response.get("Responses", {}).get(table, []):
            item = item_from_wire(wire)
            found[key_token(key_of(item, key_names))] = item
        request = response.get("UnprocessedKeys") or {}
        if not request:
            return found
        time.sleep(min(2.0, 0.05 * 2**attempt))
    raise translate(RuntimeError("unprocessed keys after retries"), f"read items of {table}")
