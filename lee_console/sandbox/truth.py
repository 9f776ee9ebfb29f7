"""A scenario's ground truth: when the damage began and which items it touched, what a perfect
recovery leaves (a digest per device), and the page an on-call engineer was sent."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class ScenarioTruth:
    scenario: str
    table: str  # "lee-devices"
    damage_start: datetime  # UTC
    damaged_keys: list[dict[str, Any]]  # plain key dicts, e.g. {"device_id": "dev-00042"}
    legit_keys_after: list[dict[str, Any]]  # keys legitimately written after damage_start
    # Every legitimate write since ``legit_writes_since`` (two hours before the damage start):
    # {"key": {...}, "at": "...Z"}, so a report can count what a restore point lost or kept.
    legit_writes: list[dict[str, Any]] = field(default_factory=list)
    legit_writes_since: datetime | None = None
    # Drills (scenarios/variation.py): the seed (None: today's constants), the damage's shape
    # in words, the share of items damaged (None where it does not apply), and "now" at seeding.
    seed: int | None = None
    shape: str | None = None
    share: float | None = None
    seeded_at: str | None = None  # ISO-8601 UTC to the millisecond
    # device id -> core.diff.item_hash hex of its last legitimate image (every lee-devices item
    # a perfect recovery leaves), and of its damaged image (damaged items only).
    expected: dict[str, str] = field(default_factory=dict)
    damaged_digests: dict[str, str] = field(default_factory=dict)
    brief: dict[str, Any] = field(default_factory=dict)  # {"symptoms": [...], "detected_at"}

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "table": self.table,
            "damage_start": _utc(self.damage_start),
            "damaged_keys": list(self.damaged_keys),
            "legit_keys_after": list(self.legit_keys_after),
            "legit_writes_since": _utc(self.legit_writes_since),
            "legit_writes": list(self.legit_writes),
            "seed": self.seed,
            "shape": self.shape,
            "share": self.share,
            "seeded_at": self.seeded_at,
            "brief": dict(self.brief),
            "expected": dict(self.expected),
            "damaged_digests": dict(self.damaged_digests),
        }

    def write(self, path: Path) -> None:
        """Owner-only (0600), like everything in the console's state dir, where the drill
        sandbox writes it: it names the table's keys. Atomic (a temporary file in the same
        folder, then renamed over it): live writes rewrite it while a console reads it."""
        text = json.dumps(self.to_json(), indent=1) + "\n"
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
        try:
            os.fchmod(descriptor, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise

    @staticmethod
    def from_json(data: dict[str, Any]) -> ScenarioTruth:
        start = datetime.strptime(data["damage_start"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        return ScenarioTruth(
            scenario=data["scenario"],
            table=data["table"],
            damage_start=start,
            damaged_keys=list(data["damaged_keys"]),
            legit_keys_after=list(data["legit_keys_after"]),
            legit_writes=list(data.get("legit_writes", [])),
            legit_writes_since=_parse(data.get("legit_writes_since")),
            seed=data.get("seed"),
            shape=data.get("shape"),
            share=data.get("share"),
            seeded_at=data.get("seeded_at"),
            expected=dict(data.get("expected") or {}),
            damaged_digests=dict(data.get("damaged_digests") or {}),
            brief=dict(data.get("brief") or {}),
        )


def _utc(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _parse(text: str | None) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) if text else None
