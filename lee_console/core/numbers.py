"""Numbers the operator gives (durations, thresholds, counts), checked before anything is sent:
NaN, infinities and values out of range are refused with what is accepted."""

from __future__ import annotations

import math

from lee_console.core.errors import InvalidInput


def in_range(option: str, value: float, low: float, high: float, unit: str = "") -> float:
    """``value`` when it is a finite number from ``low`` to ``high``, else one sentence."""
    if not (finite(value) and low <= value <= high):
        what = f" {unit}" if unit else ""
        raise InvalidInput(
            f"{option} must be a number from {low:g} to {high:g}{what}, not {value}."
        )
    return value


def positive(option: str, value: float, high: float, unit: str = "") -> float:
    """A finite number above zero, at most ``high``."""
    if not (finite(value) and 0 < value <= high):
        what = f" {unit}" if unit else ""
        raise InvalidInput(
            f"{option} must be a number above 0 and at most {high:g}{what}, not {value}."
        )
    return value


def finite(value: float) -> bool:
    """An int of any size is finite (math.isfinite overflows on one beyond a float's range)."""
    return isinstance(value, int) or math.isfinite(value)
