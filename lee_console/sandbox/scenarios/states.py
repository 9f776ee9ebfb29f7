"""Device states of lee-devices: valid ones, the two bugs' corrupt ones, and the integrity rules.

Integrity rules a healthy lee-devices item satisfies (what an operator's check would test):
- ``device_type`` is one of DEVICE_TYPES; ``firmware``, ``user_id`` are present;
- ``state`` is a map with the fields of its type, each in range (brightness 0-100, target_c
  5-35, watts 0-3000, battery_pct 0-100, temperature_c -20-60, humidity_pct 0-100,
  power on|off, mode heat|cool|auto|off, locked/recording booleans, resolution 1080p|4k);
- ``updated_at`` is ISO-8601 UTC ``YYYY-MM-DDTHH:MM:SSZ``; ``version`` is a number >= 1.

bad-deployment's bug writes invalid values (power "unknown", brightness 250, null target_c...),
an epoch-seconds ``updated_at`` and does not increment ``version``. gradual-corruption's bug
multiplies numeric state fields by ten (a unit-conversion slip) or empties the state map.
"""

from __future__ import annotations

import random
import re
from typing import Any

DEVICE_TYPES: tuple[str, ...] = (
    "light",
    "thermostat",
    "lock",
    "sensor",
    "switch",
    "camera",
    "plug",
)
_ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_RANGES: dict[str, tuple[float, float]] = {
    "brightness": (0, 100),
    "target_c": (5, 35),
    "watts": (0, 3000),
    "battery_pct": (0, 100),
    "temperature_c": (-20, 60),
    "humidity_pct": (0, 100),
}
_CHOICES: dict[str, tuple[str, ...]] = {
    "power": ("on", "off"),
    "mode": ("heat", "cool", "auto", "off"),
    "resolution": ("1080p", "4k"),
}
_BOOLS = ("locked", "recording")
FIELDS: dict[str, tuple[str, ...]] = {
    "light": ("power", "brightness"),
    "thermostat": ("target_c", "mode"),
    "lock": ("locked", "battery_pct"),
    "sensor": ("temperature_c", "humidity_pct", "battery_pct"),
    "switch": ("power",),
    "camera": ("recording", "resolution"),
    "plug": ("power", "watts"),
}


def _wire(value: Any) -> dict[str, Any]:
    if value is None:
        return {"NULL": True}
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, int | float):
        return {"N": f"{value:g}" if isinstance(value, float) else str(value)}
    return {"S": str(value)}


def _map_json(state: dict[str, Any]) -> str:
    import json

    return json.dumps({"M": {k: _wire(v) for k, v in state.items()}}, separators=(",", ":"))


def _valid_state(rng: random.Random, device_type: str) -> dict[str, Any]:
    if device_type == "light":
        return {"power": rng.choice(("on", "off")), "brightness": rng.randrange(0, 101, 5)}
    if device_type == "thermostat":
        return {"target_c": rng.randrange(32, 53) / 2, "mode": rng.choice(_CHOICES["mode"])}
    if device_type == "lock":
        return {"locked": rng.random() < 0.7, "battery_pct": rng.randrange(5, 101)}
    if device_type == "sensor":
        return {
            "temperature_c": rng.randrange(150, 280) / 10,
            "humidity_pct": rng.randrange(30, 71),
            "battery_pct": rng.randrange(5, 101),
        }
    if device_type == "switch":
        return {"power": rng.choice(("on", "off"))}
    if device_type == "camera":
        return {"recording": rng.random() < 0.5, "resolution": rng.choice(("1080p", "4k"))}
    return {"power": rng.choice(("on", "off")), "watts": rng.randrange(0, 2001)}


_BAD_DEPLOYMENT: dict[str, dict[str, Any]] = {
    "light": {"power": "unknown", "brightness": 250},
    "thermostat": {"target_c": None, "mode": "heat"},
    "lock": {"locked": "unknown", "battery_pct": -1},
    "sensor": {"temperature_c": -999, "humidity_pct": 250, "battery_pct": -1},
    "switch": {"power": "unknown"},
    "camera": {"recording": None, "resolution": "unknown"},
    "plug": {"power": "unknown", "watts": -1},
}


def state_pools(rng: random.Random, variants: int = 40) -> dict[str, list[str]]:
    """For each device type, ``variants`` valid states as wire JSON (``{"M": {...}}``)."""
    return {t: [_map_json(_valid_state(rng, t)) for _ in range(variants)] for t in DEVICE_TYPES}


def bad_deployment_state(device_type: str) -> str:
    return _map_json(_BAD_DEPLOYMENT[device_type])


def gradual_state(valid_json: str, device_type: str, shape: str = "both") -> str:
    """The slow bug. ``both``: numeric fields times ten (out of range), or an empty state map
    when that leaves every field in range; ``empty``: an empty state map; ``times-ten``:
    numeric fields times ten, and when that leaves them in range the first one at ten times
    its top (a device with no numeric field is not given to it: see NUMERIC_TYPES)."""
    import json

    if shape == "empty":
        return '{"M":{}}'
    state = json.loads(valid_json)["M"]
    numeric = {k: v for k, v in state.items() if "N" in v}
    if not numeric:
        return '{"M":{}}'
    out: dict[str, Any] = {}
    for key, value in state.items():
        if "N" in value:
            number = float(value["N"]) * 10 + (200 if key in ("battery_pct", "humidity_pct") else 0)
            out[key] = number if number != int(number) else int(number)
        else:
            out[key] = _plain(value)
    if all(_in_range(k, v) for k, v in out.items() if k in _RANGES):
        if shape != "times-ten":
            return '{"M":{}}'  # e.g. brightness 0 or 5 times ten stays in range: empty the map
        first = next(k for k in out if k in _RANGES)
        out[first] = int(_RANGES[first][1] * 10)
    return _map_json(out)


# Device types with a numeric state field (the times-ten bug can damage only these).
NUMERIC_TYPES: tuple[str, ...] = tuple(
    t for t in DEVICE_TYPES if any(f in _RANGES for f in FIELDS[t])
)


def _plain(wire: dict[str, Any]) -> Any:
    ((type_, value),) = wire.items()
    if type_ == "N":
        return float(value)
    if type_ == "NULL":
        return None
    return value


def _in_range(field: str, value: Any) -> bool:
    low, high = _RANGES[field]
    return isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high


def device_problems(item: dict[str, Any]) -> list[str]:
    """Integrity problems of a lee-devices item given as plain Python values (boto3's resource
    layer or TypeDeserializer output: numbers may be Decimal). Empty list: healthy."""
    problems: list[str] = []
    device_type = item.get("device_type")
    if device_type not in FIELDS:
        problems.append(f"device_type {device_type!r} unknown")
    for required in ("user_id", "firmware", "updated_at", "version", "state"):
        if required not in item:
            problems.append(f"{required} missing")
    updated_at = item.get("updated_at")
    if updated_at is not None and not (isinstance(updated_at, str) and _ISO_Z.match(updated_at)):
        problems.append(f"updated_at {updated_at!r} is not ISO-8601 UTC")
    version = item.get("version")
    if version is not None and not (_is_number(version) and float(version) >= 1):
        problems.append(f"version {version!r} invalid")
    state = item.get("state")
    if isinstance(state, dict) and device_type in FIELDS:
        for field in FIELDS[str(device_type)]:
            if field not in state:
                problems.append(f"state.{field} missing")
                continue
            value = state[field]
            if field in _RANGES:
                if not (_is_number(value) and _in_range(field, float(value))):
                    problems.append(f"state.{field} {value!r} out of range")
            elif field in _CHOICES:
                if value not in _CHOICES[field]:
                    problems.append(f"state.{field} {value!r} invalid")
            elif field in _BOOLS and not isinstance(value, bool):
                problems.append(f"state.{field} {value!r} not a boolean")
    elif "state" in item:
        problems.append("state is not a map")
    return problems


def _is_number(value: Any) -> bool:
    from decimal import Decimal

    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)
