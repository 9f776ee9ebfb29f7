"""What varies between incidents of one scenario, drawn in one place.

Without a seed every scenario uses today's constants (:func:`default_parameters`), so seeding
is exactly what it always was. With ``--seed N`` the parameters are drawn from
``random.Random(f"drill-{scenario}-{N}")``: when the damage began, how much of the table it
touched, what it did to an item (its shape), how busy legitimate traffic was, and how long
before the first support ticket. The same (scenario, seed) always draws the same parameters.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

MINUTE = 60.0
DAY = 86400.0

# Damage shapes: id -> the truth's short description. The first of each is today's.
BAD_DEPLOYMENT_SHAPES: dict[str, str] = {
    "all": "invalid state values, epoch-seconds updated_at, version not incremented",
    "states": "invalid state values",
    "epoch": "epoch-seconds updated_at",
    "no-firmware": "firmware attribute removed",
    "no-owner": "user_id attribute removed",
}
GRADUAL_SHAPES: dict[str, str] = {
    "both": "numeric state fields times ten, or an emptied state map",
    "times-ten": "numeric state fields times ten",
    "empty": "emptied state map",
}
DELETE_SHAPE = "table deleted (deletion protection turned off first)"


@dataclass(frozen=True)
class IncidentParameters:
    seed: int | None = None
    damage_ago: float = 25 * MINUTE  # the damage begins this long before "now"
    share: float = 0.15  # bad-deployment: share of lee-devices items damaged
    shape: str = "all"  # a key of the scenario's shapes
    traffic: float = 1.0  # legitimate traffic, times the usual rate
    per_day: float = 1.0  # gradual-corruption: damaged items a day, times the usual
    report_delay: float = 0.0  # the first support ticket, this long after the damage start

    @property
    def shape_text(self) -> str | None:
        if self.shape in BAD_DEPLOYMENT_SHAPES:
            return BAD_DEPLOYMENT_SHAPES[self.shape]
        if self.shape in GRADUAL_SHAPES:
            return GRADUAL_SHAPES[self.shape]
        return DELETE_SHAPE if self.shape == "deleted" else None


_DEFAULTS: dict[str, IncidentParameters] = {
    "none": IncidentParameters(damage_ago=0.0, share=0.0, shape="none"),
    "bad-deployment": IncidentParameters(
        damage_ago=25 * MINUTE, share=0.15, shape="all", report_delay=3 * MINUTE
    ),
    "accidental-delete": IncidentParameters(
        damage_ago=10 * MINUTE, share=0.0, shape="deleted", report_delay=MINUTE
    ),
    "gradual-corruption": IncidentParameters(damage_ago=7 * DAY, share=0.0, shape="both"),
}


def default_parameters(scenario: str) -> IncidentParameters:
    """Today's constants (what seeding without ``--seed`` uses)."""
    return _DEFAULTS[scenario]


def draw_parameters(scenario: str, seed: int | None) -> IncidentParameters:
    """The scenario's parameters for ``seed`` (None: the defaults)."""
    if seed is None:
        return default_parameters(scenario)
    rng = random.Random(f"drill-{scenario}-{seed}")
    traffic = round(2 ** rng.uniform(-1.0, 1.0), 3)  # 0.5x to 2x, as often below 1 as above
    if scenario == "bad-deployment":
        return IncidentParameters(
            seed=seed,
            damage_ago=float(rng.randint(12 * 60, 40 * 60)),
            share=round(rng.uniform(0.05, 0.25), 3),
            shape=rng.choice(list(BAD_DEPLOYMENT_SHAPES)),
            traffic=traffic,
            report_delay=float(rng.randint(60, 300)),
        )
    if scenario == "gradual-corruption":
        return IncidentParameters(
            seed=seed,
            damage_ago=float(rng.randint(4 * 86400, 9 * 86400)),
            share=0.0,
            shape=rng.choice(list(GRADUAL_SHAPES)),
            traffic=traffic,
            per_day=round(2 ** rng.uniform(-1.0, 1.0), 3),
        )
    if scenario == "accidental-delete":
        return IncidentParameters(
            seed=seed,
            damage_ago=float(rng.randint(5 * 60, 20 * 60)),
            share=0.0,
            shape="deleted",
            traffic=traffic,
            report_delay=float(rng.randint(20, 120)),
        )
    return IncidentParameters(seed=seed, damage_ago=0.0, share=0.0, shape="none", traffic=traffic)


def plan_rng(scenario: str, items: int, seed: int | None) -> random.Random:
    """The rng the scenario's history is drawn from: today's without a seed, else the seed's
    (so two seeds damage different devices, not only at different times)."""
    if seed is None:
        return random.Random(f"lee-{scenario}-{items}")
    return random.Random(f"drill-{scenario}-{seed}-{items}")
