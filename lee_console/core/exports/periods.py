"""Covering a period with incremental exports: AWS takes 15 minutes to 24 hours per export
(ExportFromTime inclusive, ExportToTime exclusive, both inside the PITR window)."""

from __future__ import annotations

from datetime import datetime, timedelta

SHORTEST = timedelta(minutes=15)
LONGEST = timedelta(hours=24)


def widened(
    since: datetime, until: datetime, earliest: datetime | None = None,
    latest: datetime | None = None,
) -> tuple[datetime, datetime]:  # fmt: skip
    """A period of 15 minutes at least: one shorter is widened backwards (its end kept), and
    where that would begin before ``earliest`` (the PITR window's start), it begins there and
    ends 15 minutes later, never after ``latest`` (now). Raises ValueError when the window holds
    less than 15 minutes."""
    if until <= since:
        raise ValueError("the period ends before it begins")
    if until - since >= SHORTEST:
        return since, until
    start = until - SHORTEST
    if earliest is not None and start < earliest:
        start, until = earliest, earliest + SHORTEST
    if latest is not None and until > latest:
        raise ValueError("the PITR window holds less than the 15 minutes an export needs")
    return start, until


def incremental_periods(
    since: datetime, until: datetime, earliest: datetime | None = None,
    latest: datetime | None = None,
) -> list[tuple[datetime, datetime]]:  # fmt: skip
    """Consecutive periods of 15 minutes to 24 hours covering [since, until), the whole period
    widened first when under 15 minutes (see ``widened``; the caller says so)."""
    since, until = widened(since, until, earliest, latest)
    periods: list[tuple[datetime, datetime]] = []
    start = since
    while start < until:
        end = min(start + LONGEST, until)
        if end - start < SHORTEST:  # the last piece is too short: share the one before
            previous_start, _ = periods.pop()
            middle = previous_start + (end - previous_start) / 2
            periods += [(previous_start, middle), (middle, end)]
            break
        periods.append((start, end))
        start = end
    return periods
