"""What a restore is asked to do, and what a waiter reports while it runs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

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
    item_count_exact: bool = True  # False: DescribeTable's ItemCount (AWS refreshes it slowly)

    def to_json(self) -> dict[str, object]:
        return {
            "source": self.source_table,
            "target": self.target_table,
            "restore_point": format_utc(self.restore_point) if self.restore_point else None,
            "duration_seconds": round(self.duration_seconds, 1),
            "item_count": self.item_count,
            "item_count_source": (
                count_source(self.item_count_exact) if self.item_count is not None else None
            ),
            "status": self.status,
        }


def count_source(exact: bool) -> str:
    if exact:
        return "Scan Select=COUNT (exact)"
    return "DescribeTable ItemCount (approximate: AWS refreshes it about every six hours)"


NOT_CARRIED_OVER = (
    "PITR itself (the restored table starts with PITR disabled)",
    "TTL settings",
    "tags",
    "stream settings",
    "deletion protection",
    "auto scaling policies",
    "CloudWatch alarms",
    "IAM and resource policies",
)
"""What AWS does not copy to a restored table (aws-facts.md): re-apply before cutover."""


def started_event(request: RestoreRequest) -> dict[str, Any]:
    """The fields of a ``restore-started`` journal event (written once AWS accepted it)."""
    return {
        "source": request.source_table,
        "target": request.target_table,
        "restore_point": request.restore_point,
        "restore_kind": request.kind.value,
    }


def finished_event(
    request: RestoreRequest,
    duration_seconds: float | None,
    item_count: int | None,
    size_bytes: int,
    item_count_exact: bool = True,
) -> dict[str, Any]:
    """The fields of a ``restore-finished`` event; ``size_bytes`` feeds later estimates.
    ``duration_seconds`` None: it finished unobserved (while the console was not running)."""
    return {
        **started_event(request),
        "status": "ACTIVE",
        "duration_seconds": None if duration_seconds is None else round(duration_seconds, 1),
        "finished_unobserved": duration_seconds is None,
        "item_count": item_count,
        "item_count_exact": item_count_exact,
        "source_size_bytes": size_bytes,
    }


def restore_api_params(request: RestoreRequest) -> tuple[str, dict[str, object]]:
    """The API operation and parameters that start ``request``: for the plan's CLI line."""
    params: dict[str, object] = {}
    if request.kind in (RestoreKind.BACKUP, RestoreKind.DELETED):
        operation = "RestoreTableFromBackup"
        params["BackupArn"] = request.backup_arn or ""
        params["TargetTableName"] = request.target_table
    else:
        operation = "RestoreTableToPointInTime"
        params["SourceTableName"] = request.source_table
        params["TargetTableName"] = request.target_table
        if request.kind is RestoreKind.LATEST:
            params["UseLatestRestorableTime"] = True
        else:
            params["RestoreDateTime"] = request.restore_point
    if request.billing_mode:
        params["BillingModeOverride"] = request.billing_mode
    return operation, params
