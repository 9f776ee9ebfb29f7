"""gradual-corruption: a slow bug, deployed about 7 days ago as a lee-engine version, damages a
few lee-devices items a day (numeric state fields times ten, or an emptied state map) for a
week before anyone notices. A later routine release did not fix it."""

from __future__ import annotations

from lee_console.sandbox import clock
from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.scenarios.common import (
    TRUTH_LEAD,
    release,
    routine_deployments,
    seed_common,
)
from lee_console.sandbox.scenarios.timeline import DAY, GRADUAL, HOUR, LEGIT, DevicePlan
from lee_console.sandbox.truth import ScenarioTruth


def seed(backend: SandboxBackend, plan: DevicePlan) -> ScenarioTruth:
    tl, rng = plan.timeline, plan.rng
    damage_start = float(int(tl.now - 7 * DAY))
    per_day = max(3, plan.count // 600)
    damaged = set(rng.sample(range(plan.count), min(plan.count, 7 * per_day)))
    plan.add_history(end=tl.now - 1, quiet=damaged, quiet_from=damage_start)
    first, last = damage_start + HOUR, tl.now - 2 * HOUR
    for dev in damaged:
        plan.events.append((first + rng.random() * (last - first), dev, GRADUAL))
    plan.add_weekly_trickle(damage_start, tl.now - DAY, damaged)
    legit_after = sorted({d for ts, d, k in plan.events if k == LEGIT and ts >= damage_start})
    deployments = [
        (ts, d) for ts, d in routine_deployments(tl, rng) if abs(ts - damage_start) > DAY
    ]
    deployments.append((damage_start, release(rng, "unit handling for device telemetry")))
    seed_common(backend, plan, deployments)
    return ScenarioTruth(
        scenario="gradual-corruption",
        table="lee-devices",
        damage_start=clock.to_datetime(damage_start),
        damaged_keys=[{"device_id": plan.ids[d]} for d in sorted(damaged)],
        legit_keys_after=[{"device_id": plan.ids[d]} for d in legit_after],
        legit_writes=plan.legit_writes(damage_start - TRUTH_LEAD),
        legit_writes_since=clock.to_datetime(damage_start - TRUTH_LEAD),
    )
