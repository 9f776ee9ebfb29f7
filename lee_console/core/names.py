"""The one table-name validator, and the names the console makes up."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import UTC, datetime

from lee_console.core.errors import InvalidInput

_TABLE_NAME = re.compile(r"^[A-Za-z0-9_.-]{3,255}$")


def validate_table_name(name: str) -> str:
    """Return the name if DynamoDB would accept it, else raise InvalidInput."""
    if not _TABLE_NAME.fullmatch(name):  # not match: its $ also matches before a final \n
        raise InvalidInput(
            f"{name!r} is not a valid DynamoDB table name: use 3-255 characters "
            "from a-z, A-Z, 0-9, '_', '-' and '.'."
        )
    return name


def default_restore_target(source: str, restore_point: datetime) -> str:
    """TABLE-restored-YYYYMMDDTHHMMSSZ: named after the restore point, so two never collide."""
    stamp = restore_point.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    return validate_table_name(f"{source}-restored-{stamp}")


def suggest_free_name(taken: str, existing: Collection[str]) -> str:
    """The first of taken-2, taken-3, ... that is not in ``existing``."""
    counter = 2
    while f"{taken}-{counter}" in existing:
        counter += 1
    return f"{taken}-{counter}"
