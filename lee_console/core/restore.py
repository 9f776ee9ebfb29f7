"""What a restore is asked to do, and what a waiter reports while it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from lee_console.core.timeparse import format_utc


class RestoreKind(Enum):
    POINT_IN_TIME = "point-in-time"
    LATEST = "latest"
    BACKUP = "backup"
    DELETED = "deleted-table-backup"


@dataclass(frozen=True)
class RestoreRequest:
    kind: RestoreKind
    source_table: str
    target_table: str
    restore_point: datetime | None = None  # the chosen second, or the backup's creation time
    backup_arn: str | None = None
    billing_mode: str | None = None  # PAY_PER_REQUEST | PROVISIONED | None (keep the source's)

    def describe(self) -> str:
        point = format_utc(self.restore_point) if self.restore_point else "the latest time"
        if self.kind in (RestoreKind.BACKUP, RestoreKind.DELETED):
            return f"{self.source_table} from backup ({point}) -> {self.target_table}"
        return f"{self.source_table} as of {point} -> {self.target_table}"


@dataclass(frozen=True)
class RestoreProgress:
    """One poll of the target table."""

    target_table: str
    status: str  # CREATING, ACTIVE, ... or MISSING before DescribeTable sees it
    in_progress: bool
    elapsed_seconds: float
    restore_point: datetime | None = None

    @property
    def done(self) -> bool:
        return self.status == "ACTIVE" and not self.in_progress

    def line(self) -> str:
        minutes, seconds = divmod(int(self.elapsed_seconds), 60)
        state = "restore in progress" if self.in_progress else "restore complete"
        return f"[{minutes:02d}:{seconds:02d}] {self.target_table}: {self.status}, {state}"


@dataclass(frozen=True)
class RestoreResult:
    source_table: str
    target_table: str
    restore_point: datetime | None
    duration_seconds: float
    item_count: int | None
    status: str

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source_table,
            "target": self.target_table,
            "restore_point": format_utc(self.restore_point) if self.restore_point else None,
            "duration_seconds": round(self.duration_seconds, 1),
            "item_count": self.item_count,
            "status": self.status,
        }
