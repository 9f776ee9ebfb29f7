"""Repair in place, planned: which items of the live table to write back from the restored one,
the condition that makes each write safe, resuming from the journal, and the result. Pure:
``lee_console.aws.repair`` reads the tables and makes the writes.

What is repaired
    A key is *damaged* when the restored item passes the integrity rules and the live item
    breaks them (``KeyDiff.damaged`` with a live item present). Everything else the diff finds
    is a legitimate write after the restore point and stays as it is.

Deleted items (the choice made here)
    An item present and passing in the restored table but absent from the live table may have
    been deleted by the damage or deleted legitimately by a user after the restore point; the
    data cannot tell the two apart (a delete leaves no item to check the rules on). So such
    items are NOT written back by default: they are counted and listed as ``deleted_in_live``
    and the operator decides. With ``restore_deleted=True`` (`repair --restore-deleted`) they
    are treated as damage and written back, conditional on the key still being absent.

Every write is conditional
    on the live item still being exactly the image the diff saw: each of its top-level
    attributes equal to the seen value (``#a0 = :v0 AND ...``), or for an absent item
    ``attribute_not_exists`` of the key. An item changed in the meantime fails the condition
    and is skipped and reported, never overwritten. (An attribute *added* to the live item with
    all others unchanged is not seen by this condition; a table whose writes bump a version or
    ``updated_at`` attribute, as lee-devices does, is fully covered.)

Resuming
    A run journals the keys it plans to write (``repair-planned``), then each batch
    (``repair-batch``: live, restored, batch, repaired and skipped counts, ``keys`` written,
    ``skipped_keys`` [{key, reason}]); the PutItems themselves are not journaled one by one.
    A run first reads the incident's journal: keys already repaired or skipped by batches since
    the last complete ``repair-finished`` of the same live/restored pair are not planned again.
    A key that was planned, is in no batch record and no longer differs was written by a run
    killed mid-batch: it counts as repaired (once), not as a legitimate change.
    ``repair-finished`` carries totals over every run of the repair: repaired, skipped, left
    (damaged = repaired + skipped + left), complete (left == 0).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from lee_console.core.diff import DiffReport, Key, KeyDiff, item_hash, jsonable, key_dict
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.rules import RuleSet

STRATEGY = "repair"
MAX_CONDITION_CHARS = 4000  # DynamoDB allows 4 KB per expression
SKIP_CHANGED = "changed since the diff"
SKIP_GONE = "deleted from the live table since the diff"
SKIP_APPEARED = "written to the live table since the diff"
SKIP_RESTORED_FAILS = "the restored item does not pass the rules"
SKIP_RESTORED_GONE = "not in the restored table"
SKIP_TOO_BIG = "too many attributes to write conditionally"


def key_token(key: Key) -> str:
    """A key as a stable string (``["dev-00042"]``): journal keys and plan keys compare by it."""
    return json.dumps(jsonable(list(key)), sort_keys=True, separators=(",", ":"))


def key_from_json(raw: Mapping[str, Any], key_names: Sequence[str]) -> Key:
    return tuple(raw[name] for name in key_names)


@dataclass(frozen=True)
class RepairTarget:
    """One key to write back. ``live_hash`` is what the diff saw in live (None: absent)."""

    key: Key
    live_hash: bytes | None

    @property
    def deleted(self) -> bool:
        return self.live_hash is None


@dataclass(frozen=True)
class ResumeState:
    """What earlier runs of this repair (same incident, live and restored) already did."""

    repaired: frozenset[str] = frozenset()  # key tokens
    skipped: frozenset[str] = frozenset()
    batches: int = 0
    planned: frozenset[str] = frozenset()  # keys earlier runs set out to write

    @property
    def done(self) -> frozenset[str]:
        return self.repaired | self.skipped


def resume_state(events: Iterable[JournalEvent], live: str, restored: str) -> ResumeState:
    """Keys repaired/skipped by this pair's batches since its last complete repair-finished."""
    repaired: set[str] = set()
    skipped: set[str] = set()
    planned: set[str] = set()
    batches = 0
    for event in events:
        data = event.data
        if data.get("live") != live or data.get("restored") != restored:
            continue
        if event.kind == Kind.REPAIR_FINISHED and data.get("complete") is True:
            repaired, skipped, planned, batches = set(), set(), set(), 0
        elif event.kind == Kind.REPAIR_PLANNED:
            planned.update(_tokens(data.get("keys")))
        elif event.kind == Kind.REPAIR_BATCH:
            batches += 1
            repaired.update(_tokens(data.get("keys")))
            skipped_keys = data.get("skipped_keys")
            entries = skipped_keys if isinstance(skipped_keys, list) else ()
            skipped.update(_tokens(s.get("key") for s in entries if isinstance(s, dict)))
    return ResumeState(
        frozenset(repaired), frozenset(skipped - repaired), batches, frozenset(planned)
    )


def _tokens(keys: Any) -> list[str]:
    found = []
    for raw in keys if isinstance(keys, list | tuple) or hasattr(keys, "__next__") else ():
        if isinstance(raw, dict):
            try:
                found.append(key_token(tuple(raw.values())))
            except (OverflowError, ValueError, TypeError):  # a key a hand edit broke
                continue
    return found


@dataclass(frozen=True)
class RepairPlan:
    """What a repair will write. ``targets`` excludes keys done by earlier runs."""

    live: str
    restored: str
    key_names: tuple[str, ...]
    targets: tuple[RepairTarget, ...]
    damaged: int  # every damaged key of this repair, including those done by earlier runs
    deleted_in_live: tuple[Key, ...]  # passing in restored, absent in live, not written back
    restore_deleted: bool
    resume: ResumeState
    legit_writes_after: int  # differing keys that are not damage: kept as they are
    diff_counts: Mapping[str, int] = field(default_factory=dict)

    @property
    def would_repair(self) -> int:
        return len(self.targets)

    def planned_data(self) -> dict[str, Any]:
        """The ``repair-planned`` event of a run about to write ``targets``."""
        keys = [self.key_json(t.key) for t in self.targets]
        return {"live": self.live, "restored": self.restored, "keys": keys}

    def batches(self, size: int) -> list[tuple[RepairTarget, ...]]:
        return [self.targets[i : i + size] for i in range(0, len(self.targets), size)]

    def counts(self) -> dict[str, int]:
        return {
            "damaged": self.damaged,
            "would_repair": self.would_repair,
            "already_repaired": len(self.resume.repaired),
            "already_skipped": len(self.resume.skipped),
            "deleted_in_live": len(self.deleted_in_live),
            "legit_writes_after": self.legit_writes_after,
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "live": self.live,
            "restored": self.restored,
            "restore_deleted": self.restore_deleted,
            **self.counts(),
            "diff": dict(self.diff_counts),
            "sample_targets": [self.key_json(t.key) for t in self.targets[:5]],
            "sample_deleted_in_live": [self.key_json(k) for k in self.deleted_in_live[:5]],
        }

    def key_json(self, key: Key) -> dict[str, Any]:
        result: dict[str, Any] = jsonable(key_dict(key, self.key_names))
        return result


def plan_repair(
    diff: DiffReport, resume: ResumeState = ResumeState(), restore_deleted: bool = False
) -> RepairPlan:
    """The repair of ``diff.live`` from ``diff.restored``. Keys in ``resume`` are left out; a
    key an earlier run planned, wrote unjournaled (killed mid-batch) and that no longer differs
    joins ``resume.repaired``."""
    differing = {key_token(key) for key in diff.entries}
    written_unjournaled = resume.planned - resume.done - differing
    if written_unjournaled:
        resume = replace(resume, repaired=resume.repaired | written_unjournaled)
    damaged: list[KeyDiff] = []
    deleted: list[Key] = []
    for entry in diff.damaged():  # sorted by key
        if entry.live_hash is None and not restore_deleted:
            deleted.append(entry.key)
        else:
            damaged.append(entry)
    tokens = {key_token(e.key) for e in damaged}
    targets = tuple(
        RepairTarget(e.key, e.live_hash) for e in damaged if key_token(e.key) not in resume.done
    )
    return RepairPlan(
        live=diff.live,
        restored=diff.restored,
        key_names=diff.key_names,
        targets=targets,
        damaged=len(tokens | resume.done),
        deleted_in_live=tuple(deleted),
        restore_deleted=restore_deleted,
        resume=resume,
        legit_writes_after=len(diff.entries) - len(damaged),
        diff_counts=diff.counts(),
    )


def skip_reason(
    target: RepairTarget,
    restored_item: Mapping[str, Any] | None,
    live_item: Mapping[str, Any] | None,
    rules: RuleSet,
    now: datetime | None = None,
) -> str | None:
    """Why ``target`` must not be written now (the items as just read), or None to write it."""
    if restored_item is None:
        return SKIP_RESTORED_GONE
    if not rules.passes(restored_item, now):
        return SKIP_RESTORED_FAILS
    if target.live_hash is None:
        return SKIP_APPEARED if live_item is not None else None
    if live_item is None:
        return SKIP_GONE
    if item_hash(live_item) != target.live_hash:
        return SKIP_CHANGED
    return None


@dataclass(frozen=True)
class Condition:
    """A ConditionExpression with its names and plain values (aws/ puts them in wire form)."""

    expression: str
    names: dict[str, str]
    values: dict[str, Any]


def unchanged_condition(seen: Mapping[str, Any] | None, key_names: Sequence[str]) -> Condition:
    """The item is still ``seen``: every top-level attribute equal to the seen value; for an
    absent item (``seen`` None), the key attribute does not exist. Raises ValueError when the
    expression would exceed DynamoDB's 4 KB."""
    if seen is None:
        return Condition("attribute_not_exists(#k0)", {"#k0": key_names[0]}, {})
    names: dict[str, str] = {}
    values: dict[str, Any] = {}
    terms: list[str] = []
    for index, name in enumerate(sorted(seen)):
        names[f"#a{index}"] = name
        values[f":v{index}"] = seen[name]
        terms.append(f"#a{index} = :v{index}")
    expression = " AND ".join(terms)
    if len(expression) > MAX_CONDITION_CHARS:
        raise ValueError(SKIP_TOO_BIG)
    return Condition(expression, names, values)


@dataclass(frozen=True)
class BatchOutcome:
    """One batch written: the keys written and the keys skipped with why."""

    index: int
    repaired: tuple[Key, ...]
    skipped: tuple[tuple[Key, str], ...]

    def journal_data(self, plan: RepairPlan) -> dict[str, Any]:
        return {
            "live": plan.live,
            "restored": plan.restored,
            "batch": self.index,
            "repaired": len(self.repaired),
            "skipped": len(self.skipped),
            "keys": [plan.key_json(k) for k in self.repaired],
            "skipped_keys": [{"key": plan.key_json(k), "reason": r} for k, r in self.skipped],
        }


@dataclass(frozen=True)
class RepairProgress:
    """After each batch: this run's counts and the plan's size."""

    batch: int
    batches: int
    repaired: int
    skipped: int
    planned: int

    def line(self) -> str:
        done = self.repaired + self.skipped
        return (
            f"[batch {self.batch}/{self.batches}] {done}/{self.planned}: "
            f"{self.repaired} repaired, {self.skipped} skipped"
        )


@dataclass(frozen=True)
class RepairResult:
    """Totals over every run of this repair (earlier runs from the journal included)."""

    live: str
    restored: str
    damaged: int
    repaired: int
    skipped: int
    left: int
    skipped_keys: tuple[tuple[dict[str, Any], str], ...]  # this run's: (key, reason)
    deleted_in_live: int
    legit_writes_after: int
    cancelled: bool = False

    @property
    def complete(self) -> bool:
        return self.left == 0

    def to_json(self) -> dict[str, Any]:
        return {
            "live": self.live,
            "restored": self.restored,
            "damaged": self.damaged,
            "repaired": self.repaired,
            "skipped": self.skipped,
            "left": self.left,
            "complete": self.complete,
            "cancelled": self.cancelled,
            "deleted_in_live": self.deleted_in_live,
            "legit_writes_after": self.legit_writes_after,
            "skipped_keys": [{"key": k, "reason": r} for k, r in self.skipped_keys],
        }

    def finished_data(self) -> dict[str, Any]:
        """The repair-finished event."""
        data = self.to_json()
        data["skipped_keys"] = data["skipped_keys"][:100]
        return data

    def cutover_data(self) -> dict[str, Any]:
        """The cutover event (strategy repair), journaled once the repair is complete."""
        return {
            "strategy": STRATEGY,
            "live": self.live,
            "restored": self.restored,
            "counts": {
                "damaged": self.damaged,
                "repaired": self.repaired,
                "skipped": self.skipped,
                "left": self.left,
            },
            "legit_writes_after": self.legit_writes_after,
            "complete": self.complete,
        }


def tally(
    plan: RepairPlan, outcomes: Sequence[BatchOutcome], cancelled: bool = False
) -> RepairResult:
    """The result of a run that made ``outcomes`` from ``plan``."""
    repaired = sum(len(o.repaired) for o in outcomes)
    skipped = [(plan.key_json(k), r) for o in outcomes for k, r in o.skipped]
    done = repaired + len(skipped)
    return RepairResult(
        live=plan.live,
        restored=plan.restored,
        damaged=plan.damaged,
        repaired=len(plan.resume.repaired) + repaired,
        skipped=len(plan.resume.skipped) + len(skipped),
        left=plan.would_repair - done,
        skipped_keys=tuple(skipped),
        deleted_in_live=len(plan.deleted_in_live),
        legit_writes_after=plan.legit_writes_after,
        cancelled=cancelled,
    )
