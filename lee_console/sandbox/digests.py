"""Digests of item images, as the console computes them from what it reads.

The console hashes an item it scanned (aws/scan.py's ``item_from_wire``: N as Decimal, B as
bytes, sets as sets) with ``core.diff.item_hash``; the ground truth's ``expected`` and
``damaged_digests`` must be the same digest for the same item, so an image (wire JSON) is
turned into the same plain values here (the sandbox may not import aws/)."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from lee_console.core.diff import item_hash


def plain_value(value: Mapping[str, Any]) -> Any:
    """One wire value (``{"N": "5"}``) as the console reads it (``Decimal("5")``). In an
    image, binary values are base64 text (codec.py), decoded back to bytes here."""
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


def plain_item(image: str) -> dict[str, Any]:
    """An image (wire JSON of the item's attributes) as plain Python values."""
    return {name: plain_value(value) for name, value in json.loads(image).items()}


def image_digest(image: str) -> str:
    """``item_hash`` of the item the image holds, in hex (the truth's digests)."""
    return item_hash(plain_item(image)).hex()
