"""PITR windows, table summaries and their health: what the dashboard and `status` show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from lee_console.core.errors import PitrUnavailable, RestoreTimeOutsideWindow
from lee_console.core.timeparse import format_utc

SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class PitrWindow:
    """PointInTimeRecoveryDescription, as the console needs it."""

    enabled: bool
    earliest: datetime | None = None
    latest: datetime | None = None
    recovery_period_days: int | None = None

    @property
    def is_open(self) -> bool:
        """AWS reports a window: a first and a last restorable second, in order. Right after
        PITR is turned on the latest is still before the earliest (nothing restorable yet)."""
        return (
            self.enabled
            and self.earliest is not None
            and self.latest is not None
            and self.earliest <= self.latest
        )

    @property
    def coverage_days(self) -> float | None:
        if not self.enabled or self.earliest is None or self.latest is None:
            return None
        return max(0.0, (self.latest - self.earliest).total_seconds() / SECONDS_PER_DAY)

    def describe(self) -> str:
        if not self.enabled or self.earliest is None or self.latest is None:
            return "PITR disabled"
        return f"{format_utc(self.earliest)} -> {format_utc(self.latest)}"

    def check_restorable(self, table: str, moment: datetime) -> None:
        """Raise the operator-facing error if ``moment`` cannot be restored to."""
        if not self.enabled:
            raise PitrUnavailable(
                f"Point-in-time recovery is not enabled on {table}; "
                f"enable it (lee-console enable-pitr {table}) or restore from a backup."
            )
        if self.earliest is None or self.latest is None:
            return
        if not self.earliest <= moment <= self.latest:
            raise RestoreTimeOutsideWindow(
                f"{format_utc(moment)} is outside the restorable window of {table}: "
                f"{self.describe()}."
            )


@dataclass(frozen=True)
class RestoreInfo:
    """DescribeTable's RestoreSummary: this table is (or was) the target of a restore."""

    in_progress: bool
    restore_point: datetime | None
    source_table_arn: str | None = None
    source_backup_arn: str | None = None


@dataclass(frozen=True)
class TableSummary:
    name: str
    status: str
    item_count: int
    size_bytes: int
    deletion_protection: bool
    billing_mode: str
    pitr: PitrWindow
    arn: str = ""
    restore: RestoreInfo | None = None
    created: datetime | None = None

    @property
    def restoring(self) -> bool:
        return self.restore is not None and self.restore.in_progress

    @property
    def restored_from(self) -> str | None:
        """The table this one was restored from (RestoreSummary's SourceTableArn, or the table
        of its SourceBackupArn), unless that is itself (a deleted table restored under its own
        name)."""
        if self.restore is None:
            return None
        arn = self.restore.source_table_arn or self.restore.source_backup_arn
        source = table_name_from_arn(arn) if arn else None
        return source if source != self.name else None


def table_name_from_arn(arn: str) -> str | None:
    """``arn:aws:dynamodb:REGION:ACCOUNT:table/NAME`` (or ``.../NAME/backup/ID``) -> NAME."""
    _, found, rest = arn.partition(":table/")
    name = rest.split("/", 1)[0]
    return name if found and name else None


class Alert(Enum):
    PITR_DISABLED = "PITR disabled"
    LOW_COVERAGE = "coverage below threshold"
    NO_DELETION_PROTECTION = "deletion protection off"

    @property
    def fails_health(self) -> bool:
        """Deletion protection off is a warning; the other two make `status` exit 1."""
        return self is not Alert.NO_DELETION_PROTECTION


def alerts(table: TableSummary, min_coverage_days: float) -> tuple[Alert, ...]:
    found: list[Alert] = []
    coverage = table.pitr.coverage_days
    if not table.pitr.enabled:
        found.append(Alert.PITR_DISABLED)
    elif coverage is not None and coverage < min_coverage_days:
        found.append(Alert.LOW_COVERAGE)
    if not table.deletion_protection:
        found.append(Alert.NO_DELETION_PROTECTION)
    return tuple(found)


def is_healthy(table: TableSummary, min_coverage_days: float) -> bool:
    return not any(alert.fails_health for alert in alerts(table, min_coverage_days))
