"""Seeding shared by every scenario: tables, history, backups, metrics, Lambda, SSM."""

from __future__ import annotations

import random
from dataclasses import dataclass

from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.scenarios import aws_extras, ops_extras
from lee_console.sandbox.scenarios.people import session_records, user_records
from lee_console.sandbox.scenarios.schema import (
    DEVICES,
    SESSIONS,
    USERS,
    create_lee_tables,
    load,
)
from lee_console.sandbox.scenarios.timeline import DAY, HOUR, DevicePlan, Timeline
from lee_console.sandbox.tables import SandboxTable


@dataclass
class Seeded:
    tables: dict[str, SandboxTable]
    final_devices: dict[str, str]


TRUTH_LEAD = 2 * HOUR  # the ground truth lists legitimate writes from this long before the damage


def routine_deployments(tl: Timeline, rng: random.Random) -> list[tuple[float, str]]:
    """A release every few days over the window, in working hours, whole seconds."""
    out: list[tuple[float, str]] = []
    for days_ago in (33, 29, 24, 19, 15, 10, 5, 2):
        day = ((tl.now - days_ago * DAY) // DAY) * DAY
        ts = float(int(day + 13 * HOUR + rng.random() * 4 * HOUR))
        out.append((ts, _release(rng, "routine release")))
    return out


def _release(rng: random.Random, what: str) -> str:
    return f"deploy {rng.getrandbits(28):07x}: {what}"


def release(rng: random.Random, what: str) -> str:
    return _release(rng, what)


def seed_common(
    backend: SandboxBackend,
    plan: DevicePlan,
    deployments: list[tuple[float, str]],
    metrics_end: dict[str, float] | None = None,
) -> Seeded:
    tl, rng = plan.timeline, plan.rng
    tables = create_lee_tables(backend, tl)
    records, final = plan.build()
    load(tables[DEVICES], records, final)
    users, users_final = user_records(rng, plan.users, tl)
    load(tables[USERS], users, users_final)
    sessions, sessions_final = session_records(rng, max(30, plan.count // 5), plan.users, tl)
    load(tables[SESSIONS], sessions, sessions_final)
    aws_extras.seed_backups(backend, (DEVICES, USERS), aws_extras.daily_backup_times(tl.now))
    aws_extras.seed_write_metrics(
        {name: table.history.timestamps() for name, table in tables.items()},
        tl.now,
        metrics_end or {},
    )
    aws_extras.seed_lambda(deployments, tl)
    aws_extras.seed_ssm(tl)
    ops_extras.seed_ops()
    return Seeded(tables=tables, final_devices=final)
