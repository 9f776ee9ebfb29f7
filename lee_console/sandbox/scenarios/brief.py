"""The page an on-call engineer is sent for an incident: symptoms as support and users see
them, never the answer (no damage start, no cause, no share of items). Derived from the
scenario's parameters and its damaged items, and worded differently for different seeds."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Mapping
from typing import Any

from lee_console.core.export_verify.wire import plain_item
from lee_console.sandbox import clock
from lee_console.sandbox.scenarios.variation import IncidentParameters

_BAD_DEPLOYMENT = {
    "all": "devices show a state the app cannot display ('unknown') and 'last updated: "
    "Invalid date'.",
    "states": "devices show a state the app cannot display ('unknown').",
    "epoch": "device cards say 'last updated: Invalid date'.",
    "no-firmware": "a device's settings page says 'firmware version unavailable' and "
    "firmware updates fail for it.",
    "no-owner": "devices have vanished from their owners' device lists, though they still "
    "respond to commands.",
}
_BAD_DEPLOYMENT_MORE = (
    "Users say the changes they make in the app still save.",
    "Most customers are not affected; the API's error rate is normal.",
    "The app's requests succeed: the data it gets back looks wrong.",
)
_DELETE_MORE = (
    "Sign-ins and account pages still work; only device pages fail.",
    "Users cannot see or control any device.",
)
_GRADUAL_MORE = (
    "The devices still respond to commands; only what the app shows is wrong.",
    "Nobody had complained about these devices before.",
)
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def page(
    scenario: str,
    params: IncidentParameters,
    now: float,
    damage_start: float,
    damaged_images: Mapping[str, str] | None = None,
    damage_times: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The truth's ``brief``: {"symptoms": [...], "detected_at": ISO}."""
    rng = random.Random(f"brief-{scenario}-{params.seed}")
    if scenario == "bad-deployment":
        since = _clock(min(_ceil(damage_start + params.report_delay, 300), now))
        symptoms = [
            f"Support tickets since about {since} UTC: {_BAD_DEPLOYMENT[params.shape]}",
            rng.choice(_BAD_DEPLOYMENT_MORE),
        ]
    elif scenario == "accidental-delete":
        since = _clock(min(_ceil(damage_start + params.report_delay, 60), now))
        symptoms = [
            f"The app returns errors for every device request since {since} UTC.",
            rng.choice(_DELETE_MORE),
        ]
    else:
        symptoms = [
            _gradual(rng, now, damaged_images or {}, damage_times or {}),
            rng.choice(_GRADUAL_MORE),
        ]
    return {"symptoms": symptoms, "detected_at": clock.iso_z(int(now))}


def _gradual(
    rng: random.Random, now: float, images: Mapping[str, str], times: Mapping[str, float]
) -> str:
    """A customer's report about one recently damaged device, and how many more support found
    since yesterday (the ones damaged in the last two days: not the whole damage)."""
    recent = sorted(images, key=lambda device: (-times.get(device, 0.0), device))
    if not recent:
        return "A customer reports that the app shows impossible values for their device."
    told = sorted(
        recent[:5], key=lambda device: (_display_rank(plain_item(images[device])), device)
    )
    device = rng.choice([d for d in told if _display_rank(plain_item(images[d])) == 0] or told)
    others = sum(1 for d in images if times.get(d, 0.0) >= now - 2 * 86400.0) - 1
    found = (
        f"support found {_count(others)} more such devices since yesterday"
        if others > 0
        else "support has not found others"
    )
    return f"A customer reports that {_shows(plain_item(images[device]))}; {found}."


def _count(number: int) -> str:
    return _NUMBERS[number] if 0 <= number < len(_NUMBERS) else str(number)


_SHOWN = (
    ("target_c", "their thermostat is set to {} °C"),
    ("temperature_c", "their sensor reads {} °C"),
    ("humidity_pct", "their sensor reads {}% humidity"),
    ("battery_pct", "their {type}'s battery shows {}%"),
    ("brightness", "their light's brightness shows {}%"),
    ("watts", "their plug reports drawing {} W"),
)


def _display_rank(item: Mapping[str, Any]) -> int:
    """0 for a device whose odd value a customer would quote, 1 for a blank card."""
    state = item.get("state")
    return 0 if isinstance(state, Mapping) and any(f in state for f, _ in _SHOWN) else 1


def _shows(item: Mapping[str, Any]) -> str:
    state = item.get("state")
    device_type = str(item.get("device_type", "device"))
    if isinstance(state, Mapping):
        for field, text in _SHOWN:
            if field in state:
                return text.format(_number(state[field]), type=device_type)
    return f"the app shows a blank card for their {device_type}, with no state at all"


def _number(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return "?"
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _ceil(ts: float, step: int) -> float:
    return float(math.ceil(ts / step) * step)


def _clock(ts: float) -> str:
    return time.strftime("%H:%M", time.gmtime(ts))
