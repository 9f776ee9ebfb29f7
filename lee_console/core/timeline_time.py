"""Whole-second UTC times and the short durations the timeline shows. Pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def to_utc(dt: datetime) -> datetime:
    """Return ``dt`` in UTC; a naive datetime is taken to be UTC already."""
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def floor_second(dt: datetime) -> datetime:
    return to_utc(dt).replace(microsecond=0)


def ceil_second(dt: datetime) -> datetime:
    dt = to_utc(dt)
    return dt if dt.microsecond == 0 else dt.replace(microsecond=0) + timedelta(seconds=1)


def format_utc(dt: datetime) -> str:
    """``2026-11-25 02:11:05 UTC``."""
    return to_utc(dt).strftime("%Y-%m-%d %H:%M:%S UTC")


def format_span(delta: timedelta) -> str:
    """A duration in at most two units: ``45 s``, ``24 min``, ``2 h 5 min``, ``3 d 2 h``."""
    total = max(0, int(delta.total_seconds()))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {seconds} s" if seconds and minutes < 10 else f"{minutes} min"
    return f"{seconds} s"


def format_ago(at: datetime, now: datetime) -> str:
    """``24 min ago``, ``3 d 2 h ago``; ``now`` when within a second."""
    delta = to_utc(now) - to_utc(at)
    if delta < timedelta(seconds=1):
        return "now"
    return f"{format_span(delta)} ago"
