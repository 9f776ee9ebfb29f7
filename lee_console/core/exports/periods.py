"""Covering a period with incremental exports: AWS takes 15 minutes to 24 hours per export
(ExportFromTime inclusive, ExportToTime exclusive)."""

from __future__ import annotations

from datetime import datetime, timedelta

SHORTEST = timedelta(minutes=15)
LONGEST = timedelta(hours=24)


def incremental_periods(
    since: datetime, until: datetime, earliest: datetime | None = None
) -> list[tuple[datetime, datetime]]:
    """Consecutive periods of at most 24 h covering [since, until). A period shorter than 15
    minutes cannot be exported: it is widened backwards (never before ``earliest``, the PITR
    window's start), else forwards; the caller says so. Raises ValueError when even that is not
    possible (the window holds less than 15 minutes)."""
    if until <= since:
        raise ValueError("the period ends before it begins")
    if until - since < SHORTEST:
        start = until - SHORTEST
        if earliest is not None and start < earliest:
            start = earliest
            until = start + SHORTEST
        since = start
        if earliest is not None and since < earliest:
            raise ValueError("the PITR window holds less than 15 minutes")
    periods: list[tuple[datetime, datetime]] = []
    start = since
    while start < until:
        end = min(start + LONGEST, until)
        if end - start < SHORTEST:  # the last piece is too short: take it from the one before
            previous_start, _ = periods.pop()
            middle = previous_start + (end - previous_start) / 2
            periods += [(previous_start, middle), (middle, end)]
            break
        periods.append((start, end))
        start = end
    return periods
