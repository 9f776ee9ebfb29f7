"""none: the three LEE tables with PITR on, clean history, routine deployments."""

from __future__ import annotations

from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.scenarios.common import routine_deployments, seed_common
from lee_console.sandbox.scenarios.timeline import DevicePlan
from lee_console.sandbox.scenarios.variation import IncidentParameters
from lee_console.sandbox.truth import ScenarioTruth


def seed(
    backend: SandboxBackend, plan: DevicePlan, params: IncidentParameters
) -> ScenarioTruth | None:
    plan.add_history(end=plan.timeline.now - 1)
    seed_common(backend, plan, routine_deployments(plan.timeline, plan.rng))
    return None
