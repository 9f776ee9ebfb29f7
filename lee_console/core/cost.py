"""Prices and the decision record's cost comparison (us-east-1, DEC-03).

Sizes are billed per GB-month; as AWS does for DynamoDB storage, 1 GB here is 2**30 bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

BYTES_PER_GB = 2**30
PITR_PER_GB_MONTH = 0.20
BACKUP_STORAGE_PER_GB_MONTH = 0.10
RESTORE_PER_GB = 0.15
EXPORT_PER_GB = 0.10


def gigabytes(size_bytes: int) -> float:
    return size_bytes / BYTES_PER_GB


def pitr_monthly_cost(size_bytes: int) -> float:
    return gigabytes(size_bytes) * PITR_PER_GB_MONTH


def restore_cost(size_bytes: int) -> float:
    return gigabytes(size_bytes) * RESTORE_PER_GB


@dataclass(frozen=True)
class CostMonth:
    """One month of the PITR-versus-daily-backups comparison."""

    month: int
    size_gb: float
    pitr: float
    backups: float
    restore: float

    @property
    def cheaper(self) -> str:
        return "pitr" if self.pitr <= self.backups else "backups"


def compare_strategies(
    size_bytes: int, growth_gb_per_month: float, backup_retention_days: int, months: int
) -> list[CostMonth]:
    """Month 0 is today. Daily backups keep ``backup_retention_days`` full copies; PITR bills the
    table size once. A restore costs the same per GB either way."""
    start_gb = gigabytes(size_bytes)
    rows = []
    for month in range(months + 1):
        size_gb = start_gb + growth_gb_per_month * month
        rows.append(
            CostMonth(
                month=month,
                size_gb=size_gb,
                pitr=size_gb * PITR_PER_GB_MONTH,
                backups=size_gb * backup_retention_days * BACKUP_STORAGE_PER_GB_MONTH,
                restore=size_gb * RESTORE_PER_GB,
            )
        )
    return rows
