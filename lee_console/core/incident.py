"""Declaring an incident: which table, when the damage began, when it was detected."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lee_console.core.errors import InvalidInput
from lee_console.core.names import validate_table_name
from lee_console.core.timeparse import format_utc


def declaration(
    table: str,
    damage_start: datetime | None,
    detected: datetime,
    now: datetime,
    rto_clock: str | None = None,
) -> dict[str, Any]:
    """The fields of an ``incident-declared`` event; refuses times in the future and a damage
    start after detection."""
    validate_table_name(table)
    for label, moment in (("The damage start", damage_start), ("Detection", detected)):
        if moment is not None and moment > now:
            raise InvalidInput(f"{label} {format_utc(moment)} is in the future.")
    if damage_start is not None and damage_start > detected:
        raise InvalidInput(
            f"The damage start {format_utc(damage_start)} is after detection "
            f"{format_utc(detected)}."
        )
    data: dict[str, Any] = {"table": table, "detected_at": format_utc(detected)}
    if damage_start is not None:
        data["damage_start"] = format_utc(damage_start)
    if rto_clock:
        data["rto_clock"] = rto_clock
    return data
