"""Scenario seeding: one module per scenario, plus shared helpers."""

from __future__ import annotations

import random
from collections.abc import Callable

from lee_console.sandbox import clock, gcpause
from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.options import SandboxOptions
from lee_console.sandbox.scenarios import (
    accidental_delete,
    bad_deployment,
    gradual_corruption,
    none,
)
from lee_console.sandbox.scenarios.timeline import DevicePlan, Timeline
from lee_console.sandbox.truth import ScenarioTruth

SEEDERS: dict[str, Callable[[SandboxBackend, DevicePlan], ScenarioTruth | None]] = {
    "none": none.seed,
    "bad-deployment": bad_deployment.seed,
    "accidental-delete": accidental_delete.seed,
    "gradual-corruption": gradual_corruption.seed,
}


def seed_scenario(
    backend: SandboxBackend, options: SandboxOptions, now: float | None = None
) -> ScenarioTruth | None:
    """Seed ``options.scenario`` into a fresh backend; return its ground truth (none: None)."""
    timeline = Timeline.at(clock.now() if now is None else now)
    rng = random.Random(f"lee-{options.scenario}-{options.items}")
    plan = DevicePlan(
        count=options.items, users=max(10, options.items // 10), rng=rng, timeline=timeline
    )
    with gcpause.paused(freeze=True):
        return SEEDERS[options.scenario](backend, plan)
