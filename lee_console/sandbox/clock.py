"""The sandbox's "now": the wall clock, or a per-thread override for backdated seeding."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

_local = threading.local()


def now() -> float:
    """Seconds since the epoch: the thread's override when one is set, else the wall clock."""
    override: float | None = getattr(_local, "override", None)
    return time.time() if override is None else override


@contextmanager
def frozen_at(ts: float) -> Iterator[None]:
    """Within the block, :func:`now` returns ``ts`` on this thread (backdated seeding)."""
    previous: float | None = getattr(_local, "override", None)
    _local.override = ts
    try:
        yield
    finally:
        _local.override = previous


def to_datetime(ts: float) -> datetime:
    """An aware UTC datetime for an epoch timestamp."""
    return datetime.fromtimestamp(ts, tz=UTC)


def naive_utc(ts: float) -> datetime:
    """A naive UTC datetime (moto's own convention for timestamps it stamps)."""
    return datetime.fromtimestamp(ts, tz=UTC).replace(tzinfo=None)


def from_datetime(value: datetime) -> float:
    """Epoch seconds for a datetime; a naive datetime is taken as UTC (moto parses them so)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def ceil_ms(ts: float) -> float:
    """Round up to the millisecond: responses carry milliseconds only."""
    return math.ceil(round(ts * 1000.0, 6)) / 1000.0


def floor_ms(ts: float) -> float:
    """Round down to the millisecond."""
    return math.floor(round(ts * 1000.0, 6)) / 1000.0


def iso_z(ts: float) -> str:
    """ISO-8601 UTC with seconds precision and a Z suffix: 2026-11-25T02:11:00Z."""
    return to_datetime(ts).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_ms(ts: float) -> str:
    """ISO-8601 UTC to the millisecond (2026-11-25T02:11:00.250Z): the ground truth's write
    times, precise enough to tell a write from a restore point in the same second."""
    ms = round(ts * 1000)
    return to_datetime(ms // 1000).strftime("%Y-%m-%dT%H:%M:%S") + f".{ms % 1000:03d}Z"
