"""A drill's ground truth, as the drill sandbox writes it (lee_console/sandbox/truth.py): when
the damage began, which items it touched, the digest of every item a perfect recovery leaves,
every legitimate write (those the sandbox keeps making during the drill included), and the page
the participant is shown. Read defensively: a field missing from the file is None or empty and
the score says what it could not measure."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lee_console.core.report.truth import GroundTruth


@dataclass(frozen=True)
class Brief:
    symptoms: tuple[str, ...]
    detected_at: datetime | None


@dataclass(frozen=True)
class Application:
    """Where the application finds the damaged table's name (the drill sandbox's lee-engine)."""

    ssm_parameter: str = "/lee/tables/devices"
    lambda_function: str = "lee-engine"
    lambda_variable: str = "DEVICES_TABLE"
    key_attribute: str = "device_id"  # the expected digests are by this key's value


@dataclass(frozen=True)
class DrillTruth:
    ground: GroundTruth  # the report's view (damage start, damaged keys, legitimate writes)
    scenario: str
    seed: int | None
    shape: str | None
    share: float | None
    expected: Mapping[str, str]  # device id -> digest of the image a perfect recovery leaves
    damaged_digests: Mapping[str, str]  # device id -> digest of its damaged image
    brief: Brief
    application: Application = Application()

    @property
    def damaged_ids(self) -> frozenset[str]:
        return frozenset(_key_value(token) for token in self.ground.damaged)

    @staticmethod
    def from_json(data: Any) -> DrillTruth:
        """Raises ValueError (saying what is wrong) for anything but a sandbox truth file."""
        ground = GroundTruth.from_json(data, "the drill's ground truth")
        brief = data.get("brief") if isinstance(data.get("brief"), Mapping) else {}
        listed = brief.get("symptoms")
        symptoms: list[Any] = listed if isinstance(listed, list) else []
        detected = brief.get("detected_at")
        seed = data.get("seed")
        share = data.get("share")
        return DrillTruth(
            ground=ground,
            scenario=str(data.get("scenario") or "unknown"),
            seed=seed if isinstance(seed, int) and not isinstance(seed, bool) else None,
            shape=data.get("shape") if isinstance(data.get("shape"), str) else None,
            share=float(share) if isinstance(share, int | float) else None,
            expected=_digests(data.get("expected")),
            damaged_digests=_digests(data.get("damaged_digests")),
            brief=Brief(
                symptoms=tuple(str(s) for s in symptoms),
                detected_at=_time(detected),
            ),
        )


def _digests(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k): str(v) for k, v in value.items() if isinstance(v, str)}


def _time(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _key_value(token: str) -> str:
    """The device id of a key token (canonical JSON of {"device_id": ...})."""
    values = list(json.loads(token).values())
    return str(values[0]) if len(values) == 1 else token
