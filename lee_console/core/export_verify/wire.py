"""An export's DynamoDB JSON item (``{"device_id": {"S": "dev-1"}, ...}``, binaries in base64)
as the plain values core's rules and diff take (str, Decimal, bytes, bool, None, dict, list,
set)."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any


def plain_value(value: Mapping[str, Any]) -> Any:
    ((kind, data),) = value.items()
    if kind == "S":
        return data
    if kind == "N":
        return Decimal(data)
    if kind == "B":
        return base64.b64decode(data)
    if kind == "BOOL":
        return bool(data)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: plain_value(v) for k, v in data.items()}
    if kind == "L":
        return [plain_value(v) for v in data]
    if kind == "SS":
        return set(data)
    if kind == "NS":
        return {Decimal(n) for n in data}
    if kind == "BS":
        return {base64.b64decode(b) for b in data}
    raise ValueError(f"unknown DynamoDB type {kind!r}")


def plain_item(text: str) -> dict[str, Any]:
    """One item's DynamoDB JSON text as a plain dict."""
    return {name: plain_value(value) for name, value in json.loads(text).items()}


def plain_key(parts: list[str]) -> tuple[Any, ...]:
    """Key attributes' typed JSON texts (``'{"S": "dev-1"}'``) as a core Key tuple."""
    return tuple(plain_value(json.loads(part)) for part in parts)
