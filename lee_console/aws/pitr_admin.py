"""Turning PITR on (and setting its recovery period)."""

from __future__ import annotations

from typing import Any

from lee_console.aws.convert import pitr_window
from lee_console.aws.errors import translate
from lee_console.aws.session import Aws
from lee_console.core.errors import InvalidInput
from lee_console.core.pitr import PitrWindow

MIN_RECOVERY_DAYS = 1
MAX_RECOVERY_DAYS = 35


def enable_pitr(aws: Aws, table: str, recovery_period_days: int | None = None) -> PitrWindow:
    spec: dict[str, Any] = {"PointInTimeRecoveryEnabled": True}
    if recovery_period_days is not None:
        if not MIN_RECOVERY_DAYS <= recovery_period_days <= MAX_RECOVERY_DAYS:
            raise InvalidInput(
                f"The recovery period must be {MIN_RECOVERY_DAYS} to {MAX_RECOVERY_DAYS} days, "
                f"not {recovery_period_days}."
            )
        spec["RecoveryPeriodInDays"] = recovery_period_days
    try:
        response = aws.dynamodb.update_continuous_backups(
            TableName=table, PointInTimeRecoverySpecification=spec
        )
    except Exception as error:
        raise translate(error, f"enable PITR on {table}") from None
    return pitr_window(response)
