"""A restore point as the plan and the progress screen say it: once in UTC, then the local
time (when the local zone is not UTC) and how long ago, e.g.
``2025-02-14T11:22:00Z (12:22:00 CET local, 30 min ago)``."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

from lee_console.core.timeparse import format_relative, format_utc


def point_text(point: datetime, now: datetime, local_tz: tzinfo | None) -> str:
    local = point.astimezone(local_tz)
    parts = []
    if local.utcoffset() != timedelta(0):
        same_day = local.date() == point.date()
        shown = f"{local:%H:%M:%S}" if same_day else f"{local:%Y-%m-%d %H:%M:%S}"
        parts.append(f"{shown} {local:%Z} local")
    parts.append(format_relative(point, now))
    return f"{format_utc(point)} ({', '.join(parts)})"
