"""An export's DynamoDB JSON item (``{"device_id": {"S": "dev-1"}, ...}``, binaries in base64)
as the plain values core's rules and diff take (str, Decimal, bytes, bool, None, dict, list,
set)."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from lee_console.core.plain_values import wire_to_plain


def plain_value(value: Mapping[str, Any]) -> Any:
    """One typed value of an export (binaries in base64) as a plain value."""
    return wire_to_plain(value, base64.b64decode)


def plain_item(text: str) -> dict[str, Any]:
    """One item's DynamoDB JSON text as a plain dict."""
    return {name: plain_value(value) for name, value in json.loads(text).items()}


def plain_key(parts: list[str]) -> tuple[Any, ...]:
    """Key attributes' typed JSON texts (``'{"S": "dev-1"}'``) as a core Key tuple."""
    return tuple(plain_value(json.loads(part)) for part in parts)
