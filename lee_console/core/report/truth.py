"""The RPO measured against a ground truth (a drill sandbox's truth file): every legitimate write
made after the restore point, and whether the recovery kept or lost it. Without a ground truth
the report says what the tables cannot tell (rpo_unknowns).

Which write is lost (the restore point P, the damage start S, a legitimate write at t > P):
- repoint: the application reads the restored table, as of P: every write after P is lost.
- repair in place: an item the damage touched is written back with its image as of P, so a
  legitimate write made to it after P is lost (dev-01724 written 30 s before the deployment,
  then damaged); a write to an item the damage did not touch stays, kept.
- not cut over yet: nothing is lost yet; the counts say what each strategy would cost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from lee_console.core.report.units import clock_text, minutes_text


@dataclass(frozen=True)
class GroundTruth:
    table: str
    damage_start: datetime
    damaged: frozenset[str]  # key tokens (canonical JSON of the key dict)
    writes: tuple[tuple[str, datetime], ...]  # legitimate writes: key token, when
    writes_since: datetime | None  # the truth lists writes from here on
    source: str = "the scenario's ground truth"

    @staticmethod
    def from_json(data: Any, source: str) -> GroundTruth:
        """Raises ValueError (saying what is wrong) for anything but a sandbox truth file."""
        if not isinstance(data, Mapping):
            raise ValueError("not a JSON object")
        try:
            table = str(data["table"])
            # A drill sandbox's users keep writing to whichever table the application reads:
            # a write into the restored table after a cutover is kept by definition.
            writes = tuple(
                (_token(entry["key"]), _time(entry["at"]))
                for entry in data["legit_writes"]
                if entry.get("table", table) == table
            )
            return GroundTruth(
                table=table,
                damage_start=_time(data["damage_start"]),
                damaged=frozenset(_token(key) for key in data["damaged_keys"]),
                writes=writes,
                writes_since=_time(data["legit_writes_since"])
                if data.get("legit_writes_since")
                else None,
                source=source,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            raise ValueError(f"no valid {error} field") from None


def _token(key: Any) -> str:
    if not isinstance(key, Mapping):
        raise TypeError("key")
    return json.dumps(dict(key), sort_keys=True, separators=(",", ":"))


def _time(text: Any) -> datetime:
    moment = datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("time")
    return moment


@dataclass(frozen=True)
class RpoCount:
    """Legitimate writes after the restore point: before and after the damage start."""

    between: int  # after the restore point, before the damage start
    between_lost: int
    after: int  # at or after the damage start
    after_lost: int
    lost_keys: tuple[str, ...]  # samples
    text: str

    def to_json(self) -> dict[str, Any]:
        return {
            "between_point_and_damage": {"writes": self.between, "lost": self.between_lost,
                                         "kept": self.between - self.between_lost},
            "after_damage_start": {"writes": self.after, "lost": self.after_lost,
                                   "kept": self.after - self.after_lost},
            "lost_samples": list(self.lost_keys),
        }  # fmt: skip


def measure_rpo(truth: GroundTruth, point: datetime, strategy: str | None) -> RpoCount:
    """``strategy`` None (not cut over): counted as a repair would, the text says both."""
    between = between_lost = after = after_lost = 0
    lost: list[str] = []
    for key, when in truth.writes:
        if when <= point:
            continue  # in the restored table as well
        gone = strategy == "repoint" or key in truth.damaged
        if when < truth.damage_start:
            between += 1
            between_lost += gone
        else:
            after += 1
            after_lost += gone
        if gone and len(lost) < 5:
            lost.append(key)
    count = RpoCount(between, between_lost, after, after_lost, tuple(lost), "")
    return replace(count, text=_text(truth, point, strategy, count))


def _text(truth: GroundTruth, point: datetime, strategy: str | None, count: RpoCount) -> str:
    gap = (truth.damage_start - point).total_seconds()
    if gap > 0:
        span = (
            f"{count.between:,} legitimate writes between the restore point "
            f"({clock_text(point)}) and the damage start {minutes_text(gap)} later"
        )
    else:
        span = "no legitimate write between the restore point and the damage start (it is after it)"
    if strategy is None:
        return (
            f"Measured against {truth.source}: {span}, {count.after:,} after the damage start. "
            f"Not cut over: a repoint would lose all {count.between + count.after:,}; a repair "
            f"in place the {count.between_lost + count.after_lost:,} made to damaged items."
        )
    between = f"{count.between - count.between_lost:,} kept, {count.between_lost:,} lost"
    after = f"{count.after - count.after_lost:,} kept, {count.after_lost:,} lost"
    samples = (
        f" Lost, e.g.: {', '.join(_plain(k) for k in count.lost_keys)}." if count.lost_keys else ""
    )
    covered = ""
    if truth.writes_since is not None and truth.writes_since > point:
        covered = f" The truth lists writes from {clock_text(truth.writes_since)} only."
    return (
        f"Measured against {truth.source}: {span}: {between}; {count.after:,} after the damage "
        f"start: {after}.{samples}{covered}"
    )


def _plain(token: str) -> str:
    values = json.loads(token).values()
    return "/".join(str(v) for v in values)
