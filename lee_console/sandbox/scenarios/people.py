"""lee-users and lee-sessions: small tables with their own backdated history."""

from __future__ import annotations

import random

from lee_console.sandbox.scenarios.timeline import DAY, HOUR, Timeline, iso

_FIRST = ("Ana", "Ben", "Chloe", "Dev", "Ema", "Femi", "Gus", "Hana", "Ivo", "Jun", "Kai", "Lea")
_LAST = ("Silva", "Okafor", "Novak", "Berg", "Rossi", "Tanaka", "Moreau", "Kowal", "Diaz")
_ZONES = ("Europe/Lisbon", "Europe/Berlin", "America/New_York", "America/Chicago", "Asia/Tokyo")
_PLANS = ("free", "plus", "pro")

Records = list[tuple[float, str, str | None]]


def _user_image(i: int, plan: str, created: float) -> str:
    uid = f"usr-{i:04d}"
    name = f"{_FIRST[i % len(_FIRST)]} {_LAST[(i // len(_FIRST)) % len(_LAST)]}"
    return (
        f'{{"user_id":{{"S":"{uid}"}},"email":{{"S":"user{i:04d}@example.com"}},'
        f'"name":{{"S":"{name}"}},"plan":{{"S":"{plan}"}},'
        f'"created_at":{{"S":"{iso(created)}"}},"timezone":{{"S":"{_ZONES[i % len(_ZONES)]}"}}}}'
    )


def user_records(rng: random.Random, count: int, tl: Timeline) -> tuple[Records, dict[str, str]]:
    records: Records = []
    final: dict[str, str] = {}
    for i in range(count):
        created = tl.created + rng.random() * (tl.pitr_enabled - tl.created)
        image = _user_image(i, rng.choice(_PLANS), created)
        records.append((created, f"usr-{i:04d}", image))
        if rng.random() < 0.2:  # a plan change some time in the window
            ts = tl.pitr_enabled + rng.random() * (tl.now - DAY - tl.pitr_enabled)
            image = _user_image(i, rng.choice(_PLANS), created)
            records.append((ts, f"usr-{i:04d}", image))
        final[f"usr-{i:04d}"] = image
    return records, final


def session_records(
    rng: random.Random, count: int, users: int, tl: Timeline
) -> tuple[Records, dict[str, str]]:
    """Sessions live 7 days (expires_at, the TTL attribute); TTL deletes expired ones up to two
    hours late, as DynamoDB's TTL does."""
    records: Records = []
    final: dict[str, str] = {}
    for i in range(count):
        sid = f"ses-{i:06d}"
        created = tl.pitr_enabled + rng.random() * (tl.now - tl.pitr_enabled)
        expires = int(created + 7 * DAY)
        image = (
            f'{{"session_id":{{"S":"{sid}"}},"user_id":{{"S":"usr-{rng.randrange(users):04d}"}},'
            f'"created_at":{{"S":"{iso(created)}"}},"expires_at":{{"N":"{expires}"}}}}'
        )
        records.append((created, sid, image))
        deleted_at = expires + rng.random() * 2 * HOUR
        if deleted_at < tl.now:
            records.append((deleted_at, sid, None))
        else:
            final[sid] = image
    return records, final
