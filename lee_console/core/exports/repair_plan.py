"""Repair without a restore: from incremental exports that begin at the damage start and run
to now (in order), each item that ends damaged gets back its image at the damage start (the
image before the first export that changed it), written only while the live item is still the
image the last export saw. Every other item, and so every legitimate write before and after the
damage start, is left as it is.

What no export can show: a legitimate write overwritten by a damaging one within one export
period (an export keeps only an item's image before and after its period). Items damaged in a
later period than the first are named: their image at that period's start is the last good one
the exports show, and a legitimate write between it and the damaging write would be lost."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lee_console.core.exports.damage import Change
from lee_console.core.rules import RuleSet

Item = Mapping[str, Any]


@dataclass(frozen=True)
class ItemRepair:
    key: Item
    good: Item  # written back
    seen: Item  # the live item must still be this (the last export's image)
    period: int  # the export (0-based) whose old image is written back


@dataclass
class ExportRepairPlan:
    repairs: list[ItemRepair] = field(default_factory=list)
    legitimate: int = 0  # changed and passing at the end: left alone
    deleted: int = 0
    created: int = 0
    broken_before: int = 0  # already broken at the damage start: no good image to write

    @property
    def unseen_risk(self) -> list[ItemRepair]:
        """Damaged items first changed in a later export period: a legitimate write in that
        period before the damaging one would not show."""
        return [repair for repair in self.repairs if repair.period > 0]


def plan_export_repair(
    periods: Sequence[Iterable[Change]], rules: RuleSet, now: datetime
) -> ExportRepairPlan:
    first: dict[str, tuple[int, Change]] = {}
    last: dict[str, Change] = {}
    for index, changes in enumerate(periods):
        for change in changes:
            token = json.dumps(dict(change.key), sort_keys=True, default=str)
            first.setdefault(token, (index, change))
            last[token] = change
    plan = ExportRepairPlan()
    for token, (index, earliest) in first.items():
        latest = last[token]
        if latest.new is None:
            plan.deleted += 1
        elif earliest.old is None:
            plan.created += 1
        elif rules.passes(latest.new, now):
            plan.legitimate += 1
        elif not rules.passes(earliest.old, now):
            plan.broken_before += 1
        else:
            plan.repairs.append(ItemRepair(earliest.key, earliest.old, latest.new, index))
    return plan
