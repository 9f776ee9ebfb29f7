"""Point-in-time recovery state of one table and its restorable window, computed at request time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moto.core.exceptions import JsonRESTError
from moto.dynamodb.exceptions import MockValidationException

from lee_console.sandbox import clock

DAY = 86400.0
DEFAULT_RECOVERY_DAYS = 35
_PREFIX = "com.amazonaws.dynamodb.v20120810#"


class InvalidRestoreTime(JsonRESTError):
    code = 400

    def __init__(self, requested: float, earliest: float, latest: float) -> None:
        super().__init__(
            _PREFIX + "InvalidRestoreTimeException",
            "Restore time is out of range: "
            f"{clock.to_datetime(requested).isoformat()} is outside the restorable window "
            f"[{clock.to_datetime(earliest).isoformat()}, "
            f"{clock.to_datetime(latest).isoformat()}] (EarliestRestorableDateTime, "
            "LatestRestorableDateTime)",
        )


@dataclass
class PitrState:
    """``enabled_at`` is None while PITR is off. ``floor`` is where history was dropped by a
    lowered recovery period (raising the period again does not bring it back)."""

    enabled_at: float | None = None
    recovery_days: int = DEFAULT_RECOVERY_DAYS
    floor: float = 0.0

    @property
    def enabled(self) -> bool:
        return self.enabled_at is not None

    def earliest(self, now: float) -> float:
        assert self.enabled_at is not None
        return max(self.enabled_at, self.floor, now - self.recovery_days * DAY)

    def window(self, now: float, lag: float) -> tuple[float, float]:
        """(earliest, latest) as advertised: earliest rounded up to the millisecond."""
        return clock.ceil_ms(self.earliest(now)), clock.floor_ms(now - lag)

    def check_restore_time(self, requested: float, now: float, lag: float) -> None:
        earliest, latest = self.earliest(now), now - lag
        # Accept what was advertised (earliest was rounded up, latest down, to the ms).
        if requested < earliest - 0.001 or requested > latest + 0.001:
            shown_earliest, shown_latest = self.window(now, lag)
            raise InvalidRestoreTime(requested, shown_earliest, shown_latest)

    def enable(self, now: float) -> None:
        if self.enabled_at is None:
            self.enabled_at = now

    def disable(self) -> None:
        self.enabled_at = None

    def set_recovery_days(self, days: Any, now: float) -> None:
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 35:
            raise MockValidationException(
                f"1 validation error detected: Value '{days}' at "
                "'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy "
                "constraint: Member must have value between 1 and 35"
            )
        if days < self.recovery_days:
            self.floor = max(self.floor, now - days * DAY)
        self.recovery_days = days

    def describe(self, now: float, lag: float) -> dict[str, Any]:
        if self.enabled_at is None:
            return {
                "ContinuousBackupsStatus": "ENABLED",
                "PointInTimeRecoveryDescription": {"PointInTimeRecoveryStatus": "DISABLED"},
            }
        earliest, latest = self.window(now, lag)
        return {
            "ContinuousBackupsStatus": "ENABLED",
            "PointInTimeRecoveryDescription": {
                "PointInTimeRecoveryStatus": "ENABLED",
                "RecoveryPeriodInDays": self.recovery_days,
                "EarliestRestorableDateTime": earliest,
                "LatestRestorableDateTime": latest,
            },
        }
