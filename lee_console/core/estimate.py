"""How long a restore will take, and what it is based on.

AWS publishes no duration model. The useful estimate is the team's own restore history for the
table and its size (aws-facts.md); without one, the decision record's figure: about 35 minutes
for a ~500 MB table.

The history comes only from journals of the same kind as the current incident: drill journals
(``drill-*``, the sandbox's restores take seconds) for a drill, the others for real AWS. A past
restore with no recorded source size (0) says nothing about size and is left out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lee_console.core.cost import BYTES_PER_GB

RECORD_SECONDS = 35 * 60
RECORD_BYTES = 500 * 1024 * 1024
MIN_ESTIMATE_SECONDS = 60.0
DRILL_PREFIX = "drill-"  # the sandbox's journals (store.incidents.new_incident_id)


@dataclass(frozen=True)
class PastRestore:
    size_bytes: int
    duration_seconds: float


@dataclass(frozen=True)
class DurationEstimate:
    seconds: float
    basis: str

    def describe(self) -> str:
        minutes = self.seconds / 60
        amount = f"about {minutes:.0f} min" if minutes >= 1 else f"about {self.seconds:.0f} s"
        return f"{amount} ({self.basis})"


def is_drill(incident: str) -> bool:
    return incident.startswith(DRILL_PREFIX)


def history_incidents(current: str, incidents: Iterable[str]) -> list[str]:
    """The incidents whose restores may feed estimates for ``current``: the drills for a drill,
    the rest otherwise (sandbox restores say nothing about AWS, nor AWS's about the sandbox)."""
    drill = is_drill(current)
    return [name for name in incidents if is_drill(name) == drill]


def estimate_restore_duration(size_bytes: int, history: Iterable[PastRestore]) -> DurationEstimate:
    past = [p for p in history if p.duration_seconds > 0 and p.size_bytes > 0]
    if past:
        # Restores have a fixed cost (table creation) plus a part in proportion to size; with
        # few data points, scale the mean duration by size only when sizes differ much.
        mean_seconds = sum(p.duration_seconds for p in past) / len(past)
        mean_size = sum(p.size_bytes for p in past) / len(past)
        ratio = size_bytes / mean_size if mean_size > 0 else 1.0
        seconds = mean_seconds * ratio if ratio > 2 or ratio < 0.5 else mean_seconds
        noun = "restore" if len(past) == 1 else "restores"
        return DurationEstimate(seconds, f"{len(past)} past {noun} recorded in the journals")
    scaled = RECORD_SECONDS * max(size_bytes, 1) / RECORD_BYTES
    gb = size_bytes / BYTES_PER_GB
    return DurationEstimate(
        max(MIN_ESTIMATE_SECONDS, scaled),
        f"no restore history; the decision record's 35 min per 500 MB, for {gb:.3f} GB",
    )


POLL_FLOOR_SECONDS = 0.5
POLL_CEILING_SECONDS = 60.0


def next_poll_seconds(
    elapsed: float,
    expected: float,
    floor: float = POLL_FLOOR_SECONDS,
    ceiling: float = POLL_CEILING_SECONDS,
) -> float:
    """How long to wait before asking again whether a restore expected to take ``expected``
    seconds, ``elapsed`` seconds in, is done. Sparse while the end is far, dense near it:
    half the time gone (a restore far quicker than expected is seen within half again its
    time), then half the time left to the expected end, then a twentieth of the expected
    time once it is overdue; always between ``floor`` and ``ceiling``, never a busy wait.
    For 35 minutes: about 55 DescribeTable calls against 210 at a fixed 10 s, the end seen
    within 30 s near the expected time."""
    if elapsed < expected:
        wait = min(elapsed, expected - elapsed) / 2
    else:
        wait = min(expected / 20, ceiling / 2)
    return min(max(wait, floor), ceiling)
