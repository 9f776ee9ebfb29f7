"""How the report writes times and durations."""

from __future__ import annotations

from datetime import datetime

from lee_console.core.timeparse import format_utc


def minutes_text(seconds: float) -> str:
    """75 min, 24 min 30 s, 45 s, -3 min: durations in minutes, as RTOs are stated."""
    whole = round(seconds)
    sign = "-" if whole < 0 else ""
    whole = abs(whole)
    minutes, rest = divmod(whole, 60)
    if minutes == 0:
        return f"{sign}{rest} s"
    if rest == 0:
        return f"{sign}{minutes} min"
    return f"{sign}{minutes} min {rest} s"


def clock_text(moment: datetime) -> str:
    return format_utc(moment)


def count_text(count: int | None, unknown: str = "unknown") -> str:
    return f"{count:,}" if count is not None else unknown
