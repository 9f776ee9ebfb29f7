"""accidental-delete: lee-devices was deleted about 10 minutes ago (someone turned deletion
protection off first). PITR was on, so a ``lee-devices$DeletedTableBackup`` SYSTEM backup holds
its items as of the deletion. Every item is "damaged"; nothing was legitimately written after.
With a seed, the deletion (5-20 min ago) and the traffic before it vary."""

from __future__ import annotations

from lee_console.sandbox import clock
from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.scenarios.common import routine_deployments, seed_common
from lee_console.sandbox.scenarios.outcome import drill_fields
from lee_console.sandbox.scenarios.schema import DEVICES
from lee_console.sandbox.scenarios.timeline import DevicePlan
from lee_console.sandbox.scenarios.variation import IncidentParameters
from lee_console.sandbox.truth import ScenarioTruth


def seed(backend: SandboxBackend, plan: DevicePlan, params: IncidentParameters) -> ScenarioTruth:
    tl = plan.timeline
    deleted_at = float(int(tl.now - params.damage_ago))
    plan.add_history(end=deleted_at - 1)
    seeded = seed_common(
        backend, plan, routine_deployments(tl, plan.rng), metrics_end={DEVICES: deleted_at}
    )
    seeded.tables[DEVICES].deletion_protection_enabled = False
    with clock.frozen_at(deleted_at):
        backend.delete_table(DEVICES)
    return ScenarioTruth(
        scenario="accidental-delete",
        table=DEVICES,
        damage_start=clock.to_datetime(deleted_at),
        damaged_keys=[{"device_id": key} for key in sorted(seeded.final_devices)],
        legit_keys_after=[],
        # A restore of the deletion leaves every item as it was; a deleted item has no
        # damaged image.
        **drill_fields(
            "accidental-delete",
            params,
            tl.now,
            deleted_at,
            expected_images=seeded.final_devices,
            damaged_images={},
            share=None,
        ),
    )
