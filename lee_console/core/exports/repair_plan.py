"""Repair without a restore: from incremental exports that begin at the damage start and run
to now (in order), each item that ends damaged gets back its image at the damage start (the
image before the first export that changed it), written only while the live item is still the
image the last export saw. Every other item, and so every legitimate write before and after the
damage start, is left as it is.

What no export can show: a legitimate write overwritten by a damaging one within one export
period (an export keeps only an item's image before and after its period). For each damaged
item that span is known: from the start of the period that first changed it to its last write
in that period. Those with a span of a second or more are named ("blind"): a legitimate write
in it would not be kept, and nothing in the exports can tell whether there was one."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from lee_console.core.exports.damage import Change
from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc

Item = Mapping[str, Any]
BLIND_AT_LEAST = timedelta(seconds=1)


@dataclass(frozen=True)
class ItemRepair:
    key: Item
    good: Item  # written back
    seen: Item  # the live item must still be this (the last export's image)
    period: int  # the export (0-based) whose old image is written back
    good_at: datetime | None = None  # ``good`` is the item's image at this second
    written_at: datetime | None = None  # its last write in that export's period

    @property
    def blind(self) -> bool:
        """A legitimate write between ``good_at`` and the damaging write would not show."""
        if self.good_at is None or self.written_at is None:
            return self.period > 0
        return self.written_at - self.good_at >= BLIND_AT_LEAST

    def blind_json(self) -> dict[str, Any]:
        return {
            "key": dict(self.key),
            "image_at": format_utc(self.good_at) if self.good_at else None,
            "damaging_write_by": format_utc(self.written_at) if self.written_at else None,
        }


@dataclass
class ExportRepairPlan:
    repairs: list[ItemRepair] = field(default_factory=list)
    legitimate: int = 0  # changed and passing at the end: left alone
    deleted: int = 0
    created: int = 0
    broken_before: list[Item] = field(default_factory=list)  # no good image in the exports

    @property
    def unseen_risk(self) -> list[ItemRepair]:
        """Damaged items with a span in which a legitimate write would not show."""
        return [repair for repair in self.repairs if repair.blind]


def plan_export_repair(
    periods: Sequence[Iterable[Change]],
    rules: RuleSet,
    now: datetime,
    starts: Sequence[datetime] | None = None,
) -> ExportRepairPlan:
    """``periods``: each export's changes, in time order, consecutive; ``starts``: each
    export's ExportFromTime (the second its old images show). An item that ends damaged gets
    its last good image the exports show: the image before the last period whose image before
    passes the rules (a period's image after is the next period's image before)."""
    history: dict[str, list[tuple[int, Change]]] = {}
    for index, changes in enumerate(periods):
        for change in changes:
            token = json.dumps(dict(change.key), sort_keys=True, default=str)
            history.setdefault(token, []).append((index, change))
    plan = ExportRepairPlan()
    for seen in history.values():
        first, latest = seen[0][1], seen[-1][1]
        if latest.new is None:
            plan.deleted += 1
            continue
        if rules.passes(latest.new, now):
            plan.legitimate += 1
            continue
        good = [(i, c) for i, c in seen if c.old is not None and rules.passes(c.old, now)]
        if not good:
            if first.old is None:
                plan.created += 1
            else:
                plan.broken_before.append(first.key)
            continue
        index, change = good[-1]
        assert change.old is not None
        good_at = starts[index] if starts is not None and index < len(starts) else None
        plan.repairs.append(
            ItemRepair(change.key, change.old, latest.new, index, good_at, change.written_at)
        )
    return plan
