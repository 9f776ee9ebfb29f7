"""A scenario's ground truth: when the damage began and which items it touched."""

from __future__ import annotations

import json
import os
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

    def to_json(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "table": self.table,
            "damage_start": _utc(self.damage_start),
            "damaged_keys": list(self.damaged_keys),
            "legit_keys_after": list(self.legit_keys_after),
            "legit_writes_since": _utc(self.legit_writes_since),
            "legit_writes": list(self.legit_writes),
        }

    def write(self, path: Path) -> None:
        """Owner-only (0600), like everything in the console's state dir, where the drill
        sandbox writes it: it names the table's keys."""
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(descriptor, 0o600)  # a file left by an earlier run may be looser
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(json.dumps(self.to_json(), indent=1) + "\n")

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
        )


def _utc(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _parse(text: str | None) -> datetime | None:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) if text else None
