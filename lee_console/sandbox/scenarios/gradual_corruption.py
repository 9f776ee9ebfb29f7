"""gradual-corruption: a slow bug, deployed about 7 days ago as a lee-engine version, damages a
few lee-devices items a day (numeric state fields times ten, or an emptied state map) for a
week before anyone notices. A later routine release did not fix it. With a seed, the start
(4-9 days ago), the damage per day, its shape and the traffic vary (scenarios/variation.py)."""

from __future__ import annotations

from collections.abc import Sequence

from lee_console.sandbox import clock
from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.scenarios.common import (
    TRUTH_LEAD,
    release,
    routine_deployments,
    seed_common,
)
from lee_console.sandbox.scenarios.outcome import drill_fields
from lee_console.sandbox.scenarios.states import NUMERIC_TYPES
from lee_console.sandbox.scenarios.timeline import DAY, GRADUAL, HOUR, LEGIT, DevicePlan
from lee_console.sandbox.scenarios.variation import IncidentParameters
from lee_console.sandbox.truth import ScenarioTruth


def seed(backend: SandboxBackend, plan: DevicePlan, params: IncidentParameters) -> ScenarioTruth:
    tl, rng = plan.timeline, plan.rng
    damage_start = float(int(tl.now - params.damage_ago))
    per_day = max(2, round(max(3, plan.count // 600) * params.per_day))
    candidates: Sequence[int] = range(plan.count)
    if plan.gradual_shape == "times-ten":  # a switch or a camera has no number to multiply
        candidates = [d for d in range(plan.count) if plan.kind[d] in NUMERIC_TYPES]
    wanted = round(params.damage_ago / DAY * per_day)
    damaged = set(rng.sample(candidates, min(len(candidates), wanted)))
    plan.add_history(end=tl.now - 1, quiet=damaged, quiet_from=damage_start)
    first, last = damage_start + HOUR, tl.now - 2 * HOUR
    damage_times: dict[str, float] = {}
    for dev in damaged:
        ts = first + rng.random() * (last - first)
        plan.events.append((ts, dev, GRADUAL))
        damage_times[plan.ids[dev]] = ts
    plan.add_weekly_trickle(damage_start, tl.now - DAY, damaged)
    legit_after = sorted({d for ts, d, k in plan.events if k == LEGIT and ts >= damage_start})
    deployments = [
        (ts, d) for ts, d in routine_deployments(tl, rng) if abs(ts - damage_start) > DAY
    ]
    deployments.append((damage_start, release(rng, "unit handling for device telemetry")))
    seeded = seed_common(backend, plan, deployments)
    damaged_ids = [plan.ids[d] for d in sorted(damaged)]
    return ScenarioTruth(
        scenario="gradual-corruption",
        table="lee-devices",
        damage_start=clock.to_datetime(damage_start),
        damaged_keys=[{"device_id": device} for device in damaged_ids],
        legit_keys_after=[{"device_id": plan.ids[d]} for d in legit_after],
        legit_writes=plan.legit_writes(damage_start - TRUTH_LEAD),
        legit_writes_since=clock.to_datetime(damage_start - TRUTH_LEAD),
        **drill_fields(
            "gradual-corruption",
            params,
            tl.now,
            damage_start,
            expected_images=plan.last_legit,
            damaged_images={d: seeded.final_devices[d] for d in damaged_ids},
            share=len(damaged) / plan.count,
            damage_times=damage_times,
        ),
    )
