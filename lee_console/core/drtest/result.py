"""A dr-test's result: what was restored, how long it took, how many items came back, whether
they pass the integrity rules, and how the count compares with the table's own count at that
time when one is known. JSON both ways, for the history (store/dr_tests.py).

The reference count comes from an on-demand backup of the table (DescribeBackup's
SourceTableDetails.ItemCount) taken near the restore point: within REFERENCE_WINDOW it is
reported; within EXACT_SECONDS of the point it is judged (a difference fails the test), since
legitimate writes between the backup and the point can explain a difference otherwise. The live
table's ItemCount (DescribeTable, refreshed by AWS about every six hours) is the count now, not
at the restore point: it is shown beside, never compared. Without a backup near the point the
reference is "unknown"; it is never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from lee_console.core.report.facts import int_field, str_field, time_field
from lee_console.core.timeparse import format_utc
from lee_console.core.views import BackupSummary

PASSED = "passed"
FAILED = "failed"
REFERENCE_WINDOW = timedelta(hours=1)
EXACT_SECONDS = 60


def nearest_backup(point: datetime, backups: Sequence[BackupSummary]) -> BackupSummary | None:
    """The AVAILABLE backup taken closest to ``point``, within REFERENCE_WINDOW."""
    near = [
        b for b in backups if b.status == "AVAILABLE" and abs(b.created - point) <= REFERENCE_WINDOW
    ]
    return min(near, key=lambda b: abs(b.created - point), default=None)


@dataclass(frozen=True)
class ReferenceCount:
    count: int | None  # None: unknown
    source: str  # where the count comes from, or why it is unknown
    taken_at: datetime | None = None

    @staticmethod
    def unknown(why: str) -> ReferenceCount:
        return ReferenceCount(None, why)

    def exact_at(self, point: datetime) -> bool:
        """Taken close enough to ``point`` to judge the restored count by."""
        return (
            self.count is not None
            and self.taken_at is not None
            and abs(self.taken_at - point) <= timedelta(seconds=EXACT_SECONDS)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "count": self.count,
            "source": self.source,
            "taken_at": format_utc(self.taken_at) if self.taken_at else None,
        }

    @staticmethod
    def from_json(data: Any) -> ReferenceCount:
        data = data if isinstance(data, dict) else {}
        return ReferenceCount(
            int_field(data, "count"),
            str_field(data, "source") or "unknown",
            time_field(data, "taken_at"),
        )


@dataclass(frozen=True)
class RuleBreak:
    rule: str
    items: int
    example: str


@dataclass(frozen=True)
class DrTestResult:
    run_id: str
    table: str
    scratch_table: str
    restore_point: datetime
    point_how: str  # "given (--at)", "random between 1 and 30 days ago", ...
    started_at: datetime
    restore_seconds: float  # from the restore call to ACTIVE
    items: int  # counted by a full scan of the scratch table
    violating_items: int
    rules: str  # which rule set, from where
    reference: ReferenceCount
    live_item_count: int | None = None  # DescribeTable's ItemCount of the live table, now
    rule_breaks: tuple[RuleBreak, ...] = ()
    deleted: bool | None = None  # None: kept (--keep)
    where: str = ""  # region and endpoint
    finished_at: datetime | None = None

    @property
    def count_difference(self) -> int | None:
        if self.reference.count is None:
            return None
        return self.items - self.reference.count

    @property
    def failures(self) -> tuple[str, ...]:
        found = []
        if self.violating_items:
            found.append(f"{self.violating_items} of {self.items} items break the rules")
        difference = self.count_difference
        if difference and self.reference.exact_at(self.restore_point):
            found.append(
                f"{self.items} items restored, {self.reference.count} in the reference "
                f"({self.reference.source})"
            )
        return tuple(found)

    @property
    def verdict(self) -> str:
        return FAILED if self.failures else PASSED

    @property
    def passed(self) -> bool:
        return self.verdict == PASSED

    def count_line(self) -> str:
        """The restored count against the reference, in words."""
        ref = self.reference
        if ref.count is None:
            return f"{self.items} items restored; the count at that time is unknown ({ref.source})"
        difference = self.count_difference or 0
        if ref.exact_at(self.restore_point):
            judged = "equal" if not difference else f"differs by {difference:+d}: FAILED"
        else:
            judged = (
                "equal"
                if not difference
                else f"differs by {difference:+d}, not judged: writes "
                "between the backup and the restore point can explain it"
            )
        return f"{self.items} items restored; {ref.count} in {ref.source}: {judged}"

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "table": self.table,
            "verdict": self.verdict,
            "passed": self.passed,
            "failures": list(self.failures),
            "scratch_table": self.scratch_table,
            "restore_point": format_utc(self.restore_point),
            "point_chosen": self.point_how,
            "started_at": format_utc(self.started_at),
            "finished_at": format_utc(self.finished_at) if self.finished_at else None,
            "restore_seconds": round(self.restore_seconds, 3),
            "items": self.items,
            "violating_items": self.violating_items,
            "rules": self.rules,
            "rule_breaks": [
                {"rule": r.rule, "items": r.items, "example": r.example} for r in self.rule_breaks
            ],
            "reference_count": self.reference.to_json(),
            "count_difference": self.count_difference,
            "live_item_count_now": self.live_item_count,
            "scratch_deleted": self.deleted,
            "scratch_kept": self.deleted is None,
            "where": self.where,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> DrTestResult | None:
        """None for a document that is not a result (a hand-edited or foreign file)."""
        point, started = time_field(data, "restore_point"), time_field(data, "started_at")
        table, run_id = str_field(data, "table"), str_field(data, "run_id")
        seconds = data.get("restore_seconds")
        items = int_field(data, "items")
        if point is None or started is None or table is None or run_id is None:
            return None
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or items is None:
            return None
        raw = data.get("rule_breaks")
        breaks = [b for b in raw if isinstance(b, dict)] if isinstance(raw, list) else []
        deleted = data.get("scratch_deleted")
        return DrTestResult(
            run_id=run_id,
            table=table,
            scratch_table=str_field(data, "scratch_table") or "?",
            restore_point=point,
            point_how=str_field(data, "point_chosen") or "?",
            started_at=started,
            restore_seconds=float(seconds),
            items=items,
            violating_items=int_field(data, "violating_items") or 0,
            rules=str_field(data, "rules") or "?",
            reference=ReferenceCount.from_json(data.get("reference_count")),
            live_item_count=int_field(data, "live_item_count_now"),
            rule_breaks=tuple(
                RuleBreak(str(b.get("rule")), int_field(b, "items") or 0, str(b.get("example")))
                for b in breaks
            ),
            deleted=deleted if isinstance(deleted, bool) else None,
            where=str_field(data, "where") or "",
            finished_at=time_field(data, "finished_at"),
        )
