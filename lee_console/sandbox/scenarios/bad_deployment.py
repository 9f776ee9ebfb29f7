"""bad-deployment: the decision record's incident, shifted to now.

A lee-engine version is published about 25 minutes ago (11:23 in the record; discovered 11:47).
From then on it corrupts about 15% of lee-devices items (invalid state values, an epoch-seconds
updated_at, version not incremented) while users keep making legitimate changes to devices the
bug did not touch: a restore to before the deployment loses those, a repair in place keeps them.
With a seed, the start (12-40 min ago), the share (5-25%), the damage's shape and the traffic
vary (scenarios/variation.py).
"""

from __future__ import annotations

from lee_console.sandbox import clock
from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.scenarios.common import (
    TRUTH_LEAD,
    release,
    routine_deployments,
    seed_common,
)
from lee_console.sandbox.scenarios.outcome import drill_fields
from lee_console.sandbox.scenarios.timeline import BAD_DEPLOYMENT, LEGIT, MINUTE, DevicePlan
from lee_console.sandbox.scenarios.variation import IncidentParameters
from lee_console.sandbox.truth import ScenarioTruth


def seed(backend: SandboxBackend, plan: DevicePlan, params: IncidentParameters) -> ScenarioTruth:
    tl, rng = plan.timeline, plan.rng
    damage_start = float(int(tl.now - params.damage_ago))
    damaged = set(rng.sample(range(plan.count), max(1, round(params.share * plan.count))))
    plan.add_history(end=tl.now - 1, quiet=damaged, quiet_from=damage_start)
    span = (tl.now - MINUTE) - (damage_start + 5)
    for dev in damaged:
        plan.events.append((damage_start + 5 + rng.random() * span, dev, BAD_DEPLOYMENT))
    legit_after = sorted({d for ts, d, k in plan.events if k == LEGIT and ts >= damage_start})
    deployments = routine_deployments(tl, rng)
    deployments.append((damage_start, release(rng, "batch device-state writes")))
    seeded = seed_common(backend, plan, deployments)
    damaged_ids = [plan.ids[d] for d in sorted(damaged)]
    return ScenarioTruth(
        scenario="bad-deployment",
        table="lee-devices",
        damage_start=clock.to_datetime(damage_start),
        damaged_keys=[{"device_id": device} for device in damaged_ids],
        legit_keys_after=[{"device_id": plan.ids[d]} for d in legit_after],
        legit_writes=plan.legit_writes(damage_start - TRUTH_LEAD),
        legit_writes_since=clock.to_datetime(damage_start - TRUTH_LEAD),
        **drill_fields(
            "bad-deployment",
            params,
            tl.now,
            damage_start,
            expected_images=plan.last_legit,
            damaged_images={d: seeded.final_devices[d] for d in damaged_ids},
            share=len(damaged) / plan.count,
        ),
    )
