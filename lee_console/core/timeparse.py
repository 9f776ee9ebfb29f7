"""The one parser for TIME arguments, shared by the CLI and the TUI."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from dateutil import parser as dateutil_parser

from lee_console.core.errors import TimeParseError

ACCEPTED_FORMS = (
    "ISO-8601 (2025-02-14T11:22:00Z, 2025-02-14 11:22:00+01:00; no zone means UTC), "
    "epoch seconds (1739532120), or relative (-11m, -2h30m, now-5m, now)"
)

_RELATIVE_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}
_RELATIVE = re.compile(r"^(?:now)?\s*-\s*((?:\d+\s*[dhms]\s*)+)$")
_RELATIVE_PART = re.compile(r"(\d+)\s*([dhms])")
_EPOCH = re.compile(r"^\d{9,11}(?:\.\d+)?$")
_ISO_HINT = re.compile(r"^\d{4}-\d{2}-\d{2}")


def parse_time(text: str, now: datetime) -> datetime:
    """Parse TIME into an aware UTC datetime, truncated to the second.

    ``now`` must be aware; relative forms count back from it.
    """
    return parse_time_detailed(text, now)[0]


def parse_time_detailed(text: str, now: datetime) -> tuple[datetime, bool]:
    """Like parse_time, and also say whether UTC was assumed because no zone was given.
    A time outside the years 1970 to 8999 is refused (no PITR window reaches it)."""
    try:
        moment, assumed = _parse(text, now)
    except (OverflowError, OSError, ValueError):  # beyond what datetime can hold
        moment, assumed = None, False
    if moment is None or not (_EARLIEST <= moment < _LATEST):
        raise TimeParseError(
            f"The time {text.strip()!r} is out of range: give one between 1970 and 8999. "
            f"Accepted forms: {ACCEPTED_FORMS}."
        )
    return moment, assumed


_EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
_LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _parse(text: str, now: datetime) -> tuple[datetime, bool]:
    raw = text.strip().lower()
    if not raw:
        raise TimeParseError(f"No time given. Accepted forms: {ACCEPTED_FORMS}.")
    if raw == "now":
        return _to_second(now), False
    relative = _RELATIVE.match(raw)
    if relative:
        seconds = sum(
            int(amount) * _RELATIVE_UNITS[unit]
            for amount, unit in _RELATIVE_PART.findall(relative.group(1))
        )
        return _to_second(now - timedelta(seconds=seconds)), False
    if _EPOCH.match(raw):
        return _to_second(datetime.fromtimestamp(float(raw), tz=UTC)), False
    if _ISO_HINT.match(raw):
        try:
            parsed = dateutil_parser.isoparse(text.strip())
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is None:
                return _to_second(parsed.replace(tzinfo=UTC)), True
            return _to_second(parsed.astimezone(UTC)), False
    raise TimeParseError(
        f"Cannot read the time {text.strip()!r}. Accepted forms: {ACCEPTED_FORMS}."
    )


def _to_second(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(microsecond=0)


def format_utc(moment: datetime) -> str:
    """2025-02-14T11:22:00Z: the form every output of the console uses."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def format_relative(moment: datetime, now: datetime) -> str:
    """'24 min ago', '3 d 2 h ago', 'in 5 min': coarse, for humans."""
    delta = int((now - moment).total_seconds())
    suffix = "ago" if delta >= 0 else "from now"
    seconds = abs(delta)
    if seconds < 60:
        text = f"{seconds} s"
    elif seconds < 3600:
        text = f"{seconds // 60} min"
    elif seconds < 86400:
        text = f"{seconds // 3600} h {seconds % 3600 // 60} min"
    else:
        text = f"{seconds // 86400} d {seconds % 86400 // 3600} h"
    return f"{text} {suffix}"
