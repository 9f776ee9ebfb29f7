"""The ground truth's drill fields: what a perfect recovery leaves (a digest per device), the
damaged images' digests, the parameters in words, and the page that went out."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lee_console.sandbox import clock
from lee_console.sandbox.digests import image_digest
from lee_console.sandbox.scenarios.brief import page
from lee_console.sandbox.scenarios.variation import IncidentParameters


def drill_fields(
    scenario: str,
    params: IncidentParameters,
    now: float,
    damage_start: float,
    expected_images: Mapping[str, str],
    damaged_images: Mapping[str, str],
    share: float | None,
    damage_times: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """ScenarioTruth's keyword arguments beyond the report's: ``expected_images`` is every
    device's image after a perfect recovery, ``damaged_images`` each damaged device's image."""
    return {
        "seed": params.seed,
        "shape": params.shape_text,
        "share": None if share is None else round(share, 4),
        "seeded_at": clock.iso_ms(now),
        "expected": {d: image_digest(expected_images[d]) for d in sorted(expected_images)},
        "damaged_digests": {d: image_digest(damaged_images[d]) for d in sorted(damaged_images)},
        "brief": page(scenario, params, now, damage_start, damaged_images, damage_times),
    }
