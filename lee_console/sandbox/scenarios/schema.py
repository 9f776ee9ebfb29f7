"""The three LEE tables as production has them, and bulk loading of backdated history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lee_console.sandbox import clock
from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.scenarios.timeline import Timeline
from lee_console.sandbox.tables import SandboxTable

DEVICES, USERS, SESSIONS = "lee-devices", "lee-users", "lee-sessions"
TABLES = (DEVICES, USERS, SESSIONS)
TAGS = [{"Key": "project", "Value": "lee"}, {"Key": "env", "Value": "prod"}]


def _string_attrs(*names: str) -> list[dict[str, str]]:
    return [{"AttributeName": n, "AttributeType": "S"} for n in names]


def _gsi(name: str, hash_attr: str) -> dict[str, Any]:
    return {
        "IndexName": name,
        "KeySchema": [{"AttributeName": hash_attr, "KeyType": "HASH"}],
        "Projection": {"ProjectionType": "ALL"},
    }


def create_lee_tables(backend: SandboxBackend, timeline: Timeline) -> dict[str, SandboxTable]:
    """lee-devices, lee-users, lee-sessions: on-demand, PITR on since a little over 35 days ago,
    tagged; deletion protection on devices and users; a stream on devices; TTL on sessions."""
    specs: dict[str, dict[str, Any]] = {
        DEVICES: {
            "key": "device_id",
            "attr": _string_attrs("device_id", "user_id"),
            "gsis": [_gsi("user_id-index", "user_id")],
            "streams": {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
            "protected": True,
        },
        USERS: {
            "key": "user_id",
            "attr": _string_attrs("user_id"),
            "gsis": [],
            "streams": None,
            "protected": True,
        },
        SESSIONS: {
            "key": "session_id",
            "attr": _string_attrs("session_id", "user_id"),
            "gsis": [_gsi("user_id-index", "user_id")],
            "streams": None,
            "protected": False,
        },
    }
    tables: dict[str, SandboxTable] = {}
    for name, spec in specs.items():
        table = backend.create_table(
            name,
            schema=[{"AttributeName": spec["key"], "KeyType": "HASH"}],
            throughput=None,
            attr=spec["attr"],
            global_indexes=spec["gsis"],
            indexes=[],
            streams=spec["streams"],
            billing_mode="PAY_PER_REQUEST",
            sse_specification=None,
            tags=[dict(t) for t in TAGS],
            deletion_protection_enabled=spec["protected"],
            warm_throughput=None,
        )
        table.created_at = clock.naive_utc(timeline.created)
        table.pitr.enabled_at = timeline.pitr_enabled
        tables[name] = table
    backend.update_time_to_live(SESSIONS, {"Enabled": True, "AttributeName": "expires_at"})
    return tables


def load(
    table: SandboxTable,
    records: Sequence[tuple[float, str, str | None]],
    final: dict[str, str],
) -> None:
    """Bulk seeding: history records and final items built directly, not through put_item."""
    with table.lock:
        table.history.extend_sorted(records)
        table.fill_items(final)
