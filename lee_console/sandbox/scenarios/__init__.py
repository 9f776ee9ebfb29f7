"""Scenario seeding: one module per scenario, plus shared helpers."""

from __future__ import annotations

from collections.abc import Callable

from lee_console.sandbox import clock, gcpause
from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.exports.bucket import create_exports_bucket
from lee_console.sandbox.options import SandboxOptions
from lee_console.sandbox.scenarios import (
    accidental_delete,
    bad_deployment,
    gradual_corruption,
    none,
)
from lee_console.sandbox.scenarios.timeline import DevicePlan, Timeline
from lee_console.sandbox.scenarios.variation import (
    IncidentParameters,
    draw_parameters,
    plan_rng,
)
from lee_console.sandbox.truth import ScenarioTruth

Seeder = Callable[[SandboxBackend, DevicePlan, IncidentParameters], ScenarioTruth | None]
SEEDERS: dict[str, Seeder] = {
    "none": none.seed,
    "bad-deployment": bad_deployment.seed,
    "accidental-delete": accidental_delete.seed,
    "gradual-corruption": gradual_corruption.seed,
}


def seed_scenario(
    backend: SandboxBackend,
    options: SandboxOptions,
    now: float | None = None,
    params: IncidentParameters | None = None,
) -> ScenarioTruth | None:
    """Seed ``options.scenario`` into a fresh backend; return its ground truth (none: None).
    ``params`` (tests): these instead of the ones ``options.seed`` draws."""
    scenario = options.scenario
    if params is None:
        params = draw_parameters(scenario, options.seed)
    timeline = Timeline.at(clock.now() if now is None else now)
    plan = DevicePlan(
        count=options.items,
        users=max(10, options.items // 10),
        rng=plan_rng(scenario, options.items, params.seed),
        timeline=timeline,
        traffic=params.traffic,
        bad_shape=params.shape if scenario == "bad-deployment" else "all",
        gradual_shape=params.shape if scenario == "gradual-corruption" else "both",
    )
    create_exports_bucket(backend.account_id, backend.region_name)
    with gcpause.paused(freeze=True):
        return SEEDERS[scenario](backend, plan, params)
