"""core.diff's item hash and key, computed straight from DynamoDB's wire JSON.

A Scan page decoded with ``json.loads`` holds items as ``{"name": {"S": "x"}, ...}`` with
binaries as base64 text. :func:`wire_item_hash` gives, for such an item, exactly the bytes
``core.diff.item_hash`` gives for the same item read as plain values (Decimal, bytes, sets), without
building them: the canonical typed JSON is assembled from the wire values directly, number
texts are canonicalised once per distinct spelling (a bounded memo), and only binaries and sets
take the long way. :func:`wire_key_text` is a compact, exact text for an item's key.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping, Sequence
from decimal import Context, Decimal
from typing import Any

from lee_console.core.diff import HASH_BYTES, Key, number_text

_MEMO_LIMIT = 65_536
_numbers: dict[str, str] = {}
_dumps = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_blake2b = hashlib.blake2b
_KEY_NUMBERS = Context(prec=40)


def canonical_number(text: str) -> str:
    """core.diff's canonical text of a DynamoDB number given as text ("250" -> "2.5E+2")."""
    found = _numbers.get(text)
    if found is None:
        found = number_text(Decimal(text))
        if len(_numbers) >= _MEMO_LIMIT:
            _numbers.clear()
        _numbers[text] = found
    return found


def wire_canonical(value: Mapping[str, Any]) -> Any:
    """``core.diff.canonical`` of the plain value this wire value stands for."""
    for kind, data in value.items():
        if kind == "S":
            return ["S", data]
        if kind == "N":
            return ["N", canonical_number(data)]
        if kind == "M":
            return ["M", {k: wire_canonical(v) for k, v in data.items()}]
        if kind == "BOOL":
            return ["BOOL", bool(data)]
        if kind == "NULL":
            return ["NULL"]
        if kind == "L":
            return ["L", [wire_canonical(v) for v in data]]
        if kind == "B":
            return ["B", _base64(data)]
        if kind in ("SS", "NS", "BS"):
            return _set(kind, data)
        raise ValueError(f"unknown DynamoDB type {kind!r}")
    raise ValueError("an empty DynamoDB value")


def _base64(text: str) -> str:
    return base64.b64encode(base64.b64decode(text)).decode("ascii")


def _set(kind: str, data: Sequence[str]) -> list[Any]:
    # As plain values a set holds each member once (Decimal("1") and Decimal("1.0") are one)
    # and an empty set has no member to tell its type: core.diff calls it SS.
    if not data:
        return ["SS", []]
    if kind == "NS":
        texts = [canonical_number(n) for n in data]
    elif kind == "BS":
        texts = [_base64(b) for b in data]
    else:
        texts = list(data)
    return [kind, sorted({json.dumps(t) for t in texts})]


def wire_item_hash(item: Mapping[str, Any]) -> bytes:
    """``core.diff.item_hash`` of the item this wire item stands for."""
    canonical = ["M", {k: wire_canonical(v) for k, v in item.items()}]
    return _blake2b(_dumps(canonical).encode("utf-8"), digest_size=HASH_BYTES).digest()


def wire_key_text(item: Mapping[str, Any], key_names: Sequence[str]) -> str:
    """One text per key, equal for equal keys: a lone string key is itself; otherwise the
    typed canonical parts as JSON. Raises KeyError when the item lacks a key attribute."""
    if len(key_names) == 1:
        value = item[key_names[0]]
        data = value.get("S")
        if data is not None and len(value) == 1 and not data.startswith("["):
            return str(data)
    return _dumps([_key_part(item[name]) for name in key_names])


def _key_part(value: Mapping[str, Any]) -> list[str]:
    ((kind, data),) = value.items()
    if kind == "N":  # exact: DynamoDB's 38 digits fit, so distinct keys stay distinct
        number = _KEY_NUMBERS.normalize(Decimal(data))
        return ["N", "0" if number.is_zero() else format(number, "f")]
    if kind == "B":
        return ["B", _base64(data)]
    return [kind, data]


def key_from_text(text: str, key_names: Sequence[str]) -> Key:
    """The plain key (core.diff.Key) a :func:`wire_key_text` text stands for."""
    if len(key_names) == 1 and not text.startswith("["):
        return (text,)
    return tuple(_plain_part(part) for part in json.loads(text))


def _plain_part(part: list[Any]) -> Any:
    kind, data = part
    if kind == "S":
        return data
    if kind == "N":
        return Decimal(data)
    if kind == "B":
        return base64.b64decode(data)
    raise ValueError(f"a key attribute cannot be {kind}")
