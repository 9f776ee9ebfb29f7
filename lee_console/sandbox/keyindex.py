"""An ordered index of a table's primary keys, so that a scan page starts where the last ended.

Keys are ordered as DynamoDB orders a scan: by a hash of the partition key, then by the key.
A scan segment ``s`` of ``n`` is the contiguous hash range ``[s * 2**32 // n, (s+1) * 2**32 // n)``,
so parallel segments are disjoint, cover the table, and never touch each other's items. Each
entry is ``(hash32, hash_norm[, range_norm], hash_dt[, range_dt])``: the leading plain values are
unique per item, so comparisons never reach the moto DynamoType objects at the end.
"""

from __future__ import annotations

import bisect
import zlib
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from lee_console.sandbox.codec import norm_value

SPACE = 2**32


def hash32(type_: str, value: Any) -> int:
    return zlib.crc32(norm_value(type_, value).encode("utf-8"))


def segment_bounds(segment: int | None, total: int | None) -> tuple[int, int]:
    if segment is None or total is None:
        return 0, SPACE
    return segment * SPACE // total, (segment + 1) * SPACE // total


class KeyIndex:
    """Sorted entries for one table; the caller keeps it in step with the table's items."""

    __slots__ = ("entries", "has_range")

    def __init__(self, has_range: bool) -> None:
        self.has_range = has_range
        self.entries: list[tuple[Any, ...]] = []

    def __len__(self) -> int:
        return len(self.entries)

    def probe(self, key: dict[str, Any], hash_attr: str, range_attr: str | None) -> tuple[Any, ...]:
        """The unique prefix for a key given in wire form (an ExclusiveStartKey)."""
        htype, hval = _type_value(key[hash_attr])
        prefix: tuple[Any, ...] = (hash32(htype, hval), norm_value(htype, hval))
        if self.has_range and range_attr is not None and range_attr in key:
            rtype, rval = _type_value(key[range_attr])
            prefix = (*prefix, Decimal(rval) if rtype == "N" else rval)
        return prefix

    def entry(self, hash_dt: Any, range_dt: Any | None) -> tuple[Any, ...]:
        h = hash32(hash_dt.type, hash_dt.value)
        hn = norm_value(hash_dt.type, hash_dt.value)
        if self.has_range:
            assert range_dt is not None
            return (h, hn, range_dt.cast_value, hash_dt, range_dt)
        return (h, hn, hash_dt)

    def find(self, prefix: tuple[Any, ...]) -> int:
        """Position of the entry with this prefix, or -1."""
        pos = bisect.bisect_left(self.entries, prefix)
        if pos < len(self.entries) and self.entries[pos][: len(prefix)] == prefix:
            return pos
        return -1

    def add(self, hash_dt: Any, range_dt: Any | None) -> None:
        entry = self.entry(hash_dt, range_dt)
        n = 3 if self.has_range else 2
        if self.find(entry[:n]) < 0:
            bisect.insort(self.entries, entry)

    def remove(self, hash_dt: Any, range_dt: Any | None) -> None:
        n = 3 if self.has_range else 2
        pos = self.find(self.entry(hash_dt, range_dt)[:n])
        if pos >= 0:
            del self.entries[pos]

    def rebuild(self, keys: Iterator[tuple[Any, Any | None]]) -> None:
        self.entries = sorted(self.entry(h, r) for h, r in keys)

    def start(self, lo_hash: int, after: tuple[Any, ...] | None) -> int:
        """First position at or after hash ``lo_hash`` and strictly after the key ``after``."""
        pos = bisect.bisect_left(self.entries, (lo_hash,))
        if after is not None:
            apos = bisect.bisect_left(self.entries, after)
            if apos < len(self.entries) and self.entries[apos][: len(after)] == after:
                apos += 1
            pos = max(pos, apos)
        return pos


def _type_value(value: Any) -> tuple[str, Any]:
    """(type, value) of a key attribute given in wire form or as a moto DynamoType (an
    in-process caller passes back the LastEvaluatedKey moto built)."""
    if isinstance(value, dict):
        ((type_, raw),) = value.items()
        return str(type_), raw
    return str(value.type), value.value
