"""Finding the damage in a period from the items changed in it (incremental exports), without
reading the live table: each changed item classified by the integrity rules on its image before
and after the period.

- damaged: the image after breaks the rules, the image before passes;
- legitimate: the image after passes;
- deleted: no image after; created: no image before (and one after);
- broken before: the image before already broke the rules (damaged earlier than the period).

The first damaging write is the earliest last-write time among the damaged items: an export is
compacted to an item's last write in its period, so when a damaged item was written again later
in the same period the true first damaging write is earlier still; the result says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from lee_console.core.rules import RuleSet
from lee_console.core.timeparse import format_utc

SAMPLES = 5
CLASSES = ("damaged", "legitimate", "deleted", "created", "broken_before")


@dataclass(frozen=True)
class Change:
    """One changed item, its images as plain values (aws/ converts them from DynamoDB JSON)."""

    key: Mapping[str, Any]
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None
    written_at: datetime


@dataclass
class DamageReport:
    table: str
    since: datetime
    until: datetime
    exports: list[str] = field(default_factory=list)  # export ids covering the period
    counts: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[Mapping[str, Any]]] = field(default_factory=dict)
    per_rule: Counter[str] = field(default_factory=Counter)  # damaged items breaking each rule
    first_damage: datetime | None = None
    first_damage_key: Mapping[str, Any] | None = None
    damaged_keys: list[Mapping[str, Any]] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "since": format_utc(self.since),
            "until": format_utc(self.until),
            "exports": list(self.exports),
            "changed": self.changed,
            "counts": {name: self.counts.get(name, 0) for name in CLASSES},
            "first_damaging_write": format_utc(self.first_damage) if self.first_damage else None,
            "first_damaging_key": dict(self.first_damage_key) if self.first_damage_key else None,
            "per_rule": dict(sorted(self.per_rule.items())),
            "samples": {name: [dict(k) for k in keys] for name, keys in self.samples.items()},
            "damaged_keys": [dict(key) for key in self.damaged_keys],
        }


def classify(change: Change, rules: RuleSet, now: datetime) -> tuple[str, list[str]]:
    """The change's class, and for a damaged item the rules its new image breaks."""
    if change.new is None:
        return "deleted", []
    broken = [violation.rule for violation in rules.check(change.new, now)]
    if change.old is None:
        return "created", []
    if not broken:
        return "legitimate", []
    if not rules.passes(change.old, now):
        return "broken_before", []
    return "damaged", sorted(set(broken))


def find_damage(
    report: DamageReport, changes: Iterable[Change], rules: RuleSet, now: datetime
) -> None:
    """Add ``changes`` to ``report`` (called once per export's files)."""
    for change in changes:
        kind, broken = classify(change, rules, now)
        report.counts[kind] += 1
        kept = report.samples.setdefault(kind, [])
        if len(kept) < SAMPLES:
            kept.append(change.key)
        if kind != "damaged":
            continue
        report.damaged_keys.append(change.key)
        report.per_rule.update(broken)
        if report.first_damage is None or change.written_at < report.first_damage:
            report.first_damage, report.first_damage_key = change.written_at, change.key


def damage_text(report: DamageReport) -> str:
    counts = report.counts
    lines = [
        f"{report.table}, {format_utc(report.since)} -> {format_utc(report.until)}: "
        f"{report.changed:,} items changed ({len(report.exports)} incremental export(s); the "
        "live table was not read).",
        "  " + ", ".join(f"{name.replace('_', ' ')} {counts.get(name, 0):,}" for name in CLASSES),
    ]
    if report.first_damage is not None:
        lines.append(
            f"  First damaging write: {format_utc(report.first_damage)} "
            f"({_key_text(report.first_damage_key)}); a damaged item written again later in the "
            "same export period shows only its last write, so the damage may begin a little "
            "earlier."
        )
    else:
        lines.append("  No damaging write in the period.")
    for rule, count in report.per_rule.most_common():
        lines.append(f"  {count:,} damaged items break {rule}")
    for name in ("damaged", "legitimate"):
        if report.samples.get(name):
            keys = ", ".join(_key_text(key) for key in report.samples[name])
            lines.append(f"  {name} e.g.: {keys}")
    return "\n".join(lines)


def _key_text(key: Mapping[str, Any] | None) -> str:
    if not key:
        return "-"
    return ", ".join(str(value) for value in key.values())
