"""The scratch table's name and the restore point a dr-test restores to: the one given
(--at, inside the window), a random second between A and B days ago (--random-days A-B, clipped
to the window) or a random second of the whole window."""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lee_console.core.errors import InvalidInput
from lee_console.core.names import validate_table_name
from lee_console.core.pitr import PitrWindow
from lee_console.core.timeparse import format_utc

MAX_DAYS = 35  # the longest PITR window
_DAYS = re.compile(r"^(\d{1,2})-(\d{1,2})$", re.ASCII)
_SCRATCH = r"-drtest-\d{8}T\d{6}Z(?:-\d+)?"


def scratch_name(table: str, started: datetime) -> str:
    """TABLE-drtest-YYYYMMDDTHHMMSSZ (the test's start, UTC): recognisable, one per second."""
    stamp = started.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return validate_table_name(f"{table}-drtest-{stamp}")


def is_scratch_name(name: str, table: str) -> bool:
    """A name dr-test gives a scratch table of ``table`` (with -N when the name was taken)."""
    return re.fullmatch(re.escape(table) + _SCRATCH, name, flags=re.ASCII) is not None


def parse_random_days(text: str) -> tuple[int, int]:
    """``A-B``: whole days ago, 0 <= A <= B <= 35 (``1-30``)."""
    match = _DAYS.match(text.strip())
    low, high = (int(g) for g in match.groups()) if match else (-1, -1)
    if match is None or low > high or high > MAX_DAYS:
        raise InvalidInput(
            f"--random-days takes A-B, whole days ago with A <= B <= {MAX_DAYS} (e.g. 1-30), "
            f"got {text!r}."
        )
    return low, high


@dataclass(frozen=True)
class PointChoice:
    point: datetime  # a whole second, inside the window
    how: str  # "given (--at)", "random between 1 and 30 days ago", "random in the window"


def choose_point(
    window: PitrWindow,
    table: str,
    now: datetime,
    *,
    at: datetime | None = None,
    days: tuple[int, int] | None = None,
    rng: random.Random | None = None,
) -> PointChoice:
    """The restore point; InvalidInput (or the window's own error) when there is none."""
    if at is not None:
        window.check_restorable(table, at)
        return PointChoice(at, "given (--at)")
    if not window.is_open or window.earliest is None or window.latest is None:
        window.check_restorable(table, now)  # PITR disabled: its own error
        raise InvalidInput(f"{table} has no restorable second yet (PITR was just enabled).")
    first = math.ceil(window.earliest.timestamp())
    last = math.floor(window.latest.timestamp())
    how = "random in the window"
    if days is not None:
        low, high = days
        first = max(first, math.ceil((now - timedelta(days=high)).timestamp()))
        last = min(last, math.floor((now - timedelta(days=low)).timestamp()))
        how = f"random between {low} and {high} days ago"
        if first > last:
            raise InvalidInput(
                f"No second of {table}'s window ({window.describe()}) is between {low} and "
                f"{high} days ago; choose other --random-days or --at."
            )
    if first > last:
        raise InvalidInput(f"{table} has no whole restorable second yet ({window.describe()}).")
    second = (rng or random.SystemRandom()).randint(first, last)
    return PointChoice(datetime.fromtimestamp(second, UTC), how)


def describe_choice(choice: PointChoice) -> str:
    return f"{format_utc(choice.point)} ({choice.how})"
