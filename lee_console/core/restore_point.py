"""Where the timeline's cursor starts: the restore point an operator most likely wants."""

from __future__ import annotations

from datetime import datetime, timedelta

from lee_console.core.timeline import Marker, MarkerKind, floor_second, format_utc, to_utc

BEFORE_DAMAGE = timedelta(minutes=1)  # before a deployment: its damage start is a guess
BEFORE_DECLARED = timedelta(seconds=1)  # a minute-rounded point loses that minute's writes


def suggested_restore_point(
    markers: tuple[Marker, ...] | list[Marker],
    earliest: datetime,
    latest: datetime,
    damage_start: datetime | None = None,
) -> tuple[datetime, str] | None:
    """Where the cursor starts: the second before the declared damage start (as `restore`
    without --at), else one minute before the latest deployment in the window (the usual
    culprit), with why; None: nowhere."""
    if damage_start is not None:
        point = floor_second(to_utc(damage_start)) - BEFORE_DECLARED
        if earliest <= point <= latest:
            return point, f"1 s before the declared damage start {format_utc(damage_start)}"
    deployments = [
        m for m in markers if m.kind is MarkerKind.DEPLOYMENT and earliest < m.at - BEFORE_DAMAGE
    ]
    deployments = [m for m in deployments if m.at - BEFORE_DAMAGE <= latest]
    if not deployments:
        return None
    last = max(deployments, key=lambda m: m.at)
    return floor_second(last.at - BEFORE_DAMAGE), f"1 min before the deployment {last.label}"
