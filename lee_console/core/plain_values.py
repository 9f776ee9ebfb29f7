"""One DynamoDB wire value (``{"N": "5"}``) as the plain value core's rules and diff take
(str, Decimal, bytes, bool, None, dict, list, set).

The two sources differ only in their binaries: a Scan's (botocore) come as bytes, an export's
JSON carries them as base64 text. The caller says how a binary becomes bytes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

BinaryDecoder = Callable[[Any], bytes]


def wire_to_plain(value: Mapping[str, Any], binary: BinaryDecoder) -> Any:
    """``value`` as a plain value; ``binary`` turns a B (or each BS member) into bytes."""
    ((kind, data),) = value.items()
    if kind == "S":
        return data
    if kind == "N":
        return Decimal(data)
    if kind == "B":
        return binary(data)
    if kind == "BOOL":
        return bool(data)
    if kind == "NULL":
        return None
    if kind == "M":
        return {k: wire_to_plain(v, binary) for k, v in data.items()}
    if kind == "L":
        return [wire_to_plain(v, binary) for v in data]
    if kind == "SS":
        return set(data)
    if kind == "NS":
        return {Decimal(n) for n in data}
    if kind == "BS":
        return {binary(b) for b in data}
    raise ValueError(f"unknown DynamoDB type {kind!r}")
