"""An ordered index of a table's primary keys, so that a scan page starts where the last ended.

A full scan returns keys in moto's order: by partition key, then by sort key, each compared as
moto compares them (numbers as numbers, strings and binary as strings). A scan segment ``s`` of
``n`` is the contiguous range ``[s * 2**32 // n, (s+1) * 2**32 // n)`` of a hash of the partition
key, so parallel segments are disjoint, cover the table and never touch each other's items; a
second list, built on the first segmented scan and kept in step from then on, holds the keys in
(hash, moto order). Each entry of the full-order list is ``(hash_sort[, range_sort], hash_dt[,
range_dt])``; a segment entry puts the 32-bit hash in front. The leading plain values are unique
per item, so comparisons never reach the moto DynamoType objects at the end.
"""

from __future__ import annotations

import bisect
import zlib
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from lee_console.sandbox.codec import norm_value

SPACE = 2**32

Entry = tuple[Any, ...]


def hash32(type_: str, value: Any) -> int:
    return zlib.crc32(norm_value(type_, value).encode("utf-8"))


def sort_value(type_: str, norm: str) -> Any:
    """How moto orders a key value (its DynamoType.cast_value), from the normalised value."""
    return Decimal(norm) if type_ == "N" else norm


def segment_bounds(segment: int | None, total: int | None) -> tuple[int, int]:
    if segment is None or total is None:
        return 0, SPACE
    return segment * SPACE // total, (segment + 1) * SPACE // total


class KeyIndex:
    """Sorted entries for one table; the caller keeps it in step with the table's items."""

    __slots__ = ("entries", "has_range", "segmented")

    def __init__(self, has_range: bool) -> None:
        self.has_range = has_range
        self.entries: list[Entry] = []
        self.segmented: list[Entry] | None = None  # built on the first segmented scan

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def width(self) -> int:
        """Length of the unique plain prefix of a full-order entry."""
        return 2 if self.has_range else 1

    def probe(self, key: dict[str, Any], hash_attr: str, range_attr: str | None) -> Entry:
        """The full-order prefix for a key given in wire form (an ExclusiveStartKey)."""
        htype, hval = _type_value(key[hash_attr])
        prefix: Entry = (sort_value(htype, norm_value(htype, hval)),)
        if self.has_range and range_attr is not None and range_attr in key:
            rtype, rval = _type_value(key[range_attr])
            prefix = (*prefix, sort_value(rtype, norm_value(rtype, rval)))
        return prefix

    def entry(self, hash_dt: Any, range_dt: Any | None) -> Entry:
        hs = sort_value(hash_dt.type, norm_value(hash_dt.type, hash_dt.value))
        if self.has_range:
            assert range_dt is not None
            rs = sort_value(range_dt.type, norm_value(range_dt.type, range_dt.value))
            return (hs, rs, hash_dt, range_dt)
        return (hs, hash_dt)

    @staticmethod
    def segment_entry(entry: Entry) -> Entry:
        hash_dt = entry[2] if len(entry) == 4 else entry[1]
        return (hash32(hash_dt.type, hash_dt.value), *entry)

    def _find(self, entries: list[Entry], prefix: Entry) -> int:
        pos = bisect.bisect_left(entries, prefix)
        if pos < len(entries) and entries[pos][: len(prefix)] == prefix:
            return pos
        return -1

    def contains(self, hash_dt: Any, range_dt: Any | None) -> bool:
        return self._find(self.entries, self.entry(hash_dt, range_dt)[: self.width]) >= 0

    def add(self, hash_dt: Any, range_dt: Any | None) -> None:
        entry = self.entry(hash_dt, range_dt)
        if self._find(self.entries, entry[: self.width]) >= 0:
            return
        bisect.insort(self.entries, entry)
        if self.segmented is not None:
            bisect.insort(self.segmented, self.segment_entry(entry))

    def remove(self, hash_dt: Any, range_dt: Any | None) -> None:
        entry = self.entry(hash_dt, range_dt)
        pos = self._find(self.entries, entry[: self.width])
        if pos < 0:
            return
        del self.entries[pos]
        if self.segmented is not None:
            seg = self.segment_entry(entry)
            spos = self._find(self.segmented, seg[: self.width + 1])
            if spos >= 0:
                del self.segmented[spos]

    def load(self, entries: Iterable[Entry]) -> None:
        """Replace the index with these full-order entries (in any order)."""
        self.entries = sorted(entries)
        self.segmented = None

    def rebuild(self, keys: Iterator[tuple[Any, Any | None]]) -> None:
        self.load(self.entry(h, r) for h, r in keys)

    def walk(self, segment: int | None, total: int | None, after: Entry | None) -> Iterator[Entry]:
        """Full-order entries strictly after the key ``after``: all of them, or those of one
        segment (whose entries carry the hash in front; the caller reads the last fields)."""
        if segment is None or total is None:
            entries = self.entries
            pos = 0
            if after is not None:
                pos = _after(entries, after)
            while pos < len(entries):
                yield entries[pos]
                pos += 1
            return
        if self.segmented is None:
            self.segmented = sorted(self.segment_entry(e) for e in self.entries)
        seg_entries = self.segmented
        lo, hi = segment_bounds(segment, total)
        pos = bisect.bisect_left(seg_entries, (lo,))
        if after is not None:
            # The start key's hash decides where it sits; a key of another segment (or a
            # made-up one) still gives a well-defined position, as in a full scan.
            hash_norm = after[0] if not isinstance(after[0], Decimal) else _norm_decimal(after[0])
            start = (zlib.crc32(hash_norm.encode("utf-8")), *after)
            pos = max(pos, _after(seg_entries, start))
        while pos < len(seg_entries) and seg_entries[pos][0] < hi:
            yield seg_entries[pos]
            pos += 1


def _after(entries: list[Entry], prefix: Entry) -> int:
    """First position strictly after the entry with this prefix (or where it would be)."""
    pos = bisect.bisect_left(entries, prefix)
    if pos < len(entries) and entries[pos][: len(prefix)] == prefix:
        pos += 1
    return pos


def _norm_decimal(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _type_value(value: Any) -> tuple[str, Any]:
    """(type, value) of a key attribute given in wire form or as a moto DynamoType (an
    in-process caller passes back the LastEvaluatedKey moto built)."""
    if isinstance(value, dict):
        ((type_, raw),) = value.items()
        return str(type_), raw
    return str(value.type), value.value
