"""Diff of a restored table against the live one, built from a stream of item hashes.

Neither table's items are held: :class:`DiffBuilder` keeps, per key of the restored table, a
16-byte hash and whether the item passes the rules; then, as the live table streams past, it
classifies each key and keeps only the keys that differ. Direction: from restored to live, so
``added`` keys exist only in live (written after the restore point), ``removed`` keys exist only
in the restored table (deleted from live since), ``changed`` keys differ.

For repair in place, :attr:`DiffReport.entries` holds a :class:`KeyDiff` per differing key with
both hashes and both rule verdicts; :attr:`KeyDiff.damaged` is "restored passes, live does not
(or is gone)". :func:`item_changes` is the attribute-level view of one item.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from lee_console.core.rules import MISSING, dynamodb_type

Key = tuple[Any, ...]  # an item's key values in key-schema order (hash, then range)
HASH_BYTES = 16
DEFAULT_SAMPLE = 5


class Change(StrEnum):
    ADDED = "added"  # only in live
    REMOVED = "removed"  # only in restored
    CHANGED = "changed"  # in both, different


def key_of(item: Mapping[str, Any], key_names: Sequence[str]) -> Key:
    """The key of ``item`` as a hashable tuple, e.g. ``("dev-00042",)``."""
    return tuple(item[name] for name in key_names)


def key_dict(key: Key, key_names: Sequence[str]) -> dict[str, Any]:
    """A key tuple back as ``{"device_id": "dev-00042"}`` (for GetItem and for output)."""
    return dict(zip(key_names, key, strict=True))


def item_hash(item: Mapping[str, Any]) -> bytes:
    """A 16-byte blake2b of the item's canonical typed JSON: equal items hash equal whatever
    their attribute order or number spelling (5, 5.0, Decimal("5E0")), and a string "5" never
    equals a number 5."""
    data = json.dumps(canonical(item), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(data.encode("utf-8"), digest_size=HASH_BYTES).digest()


def canonical(value: Any) -> Any:
    """A value as JSON with its DynamoDB type attached: ``["N", "250"]``, ``["M", {...}]``."""
    kind = dynamodb_type(value)
    if kind == "NULL":
        return ["NULL"]
    if kind in ("S", "BOOL"):
        return [kind, value]
    if kind == "N":
        return ["N", number_text(value)]
    if kind == "B":
        return ["B", base64.b64encode(bytes(value)).decode("ascii")]
    if kind == "M":
        return ["M", {str(k): canonical(v) for k, v in value.items()}]
    if kind == "L":
        return ["L", [canonical(v) for v in value]]
    if kind in ("SS", "NS", "BS"):
        members = [json.dumps(canonical(v)[1]) for v in value]
        return [kind, sorted(members)]
    return ["?", repr(value)]


def jsonable(value: Any) -> Any:
    """A plain item value as JSON: numbers as int/float, sets as sorted lists, bytes base64."""
    kind = dynamodb_type(value)
    if kind == "N":
        number = Decimal(str(value))
        return int(number) if number == number.to_integral_value() else float(number)
    if kind == "B":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind == "M":
        return {str(k): jsonable(v) for k, v in value.items()}
    if kind == "L":
        return [jsonable(v) for v in value]
    if kind in ("SS", "NS", "BS"):
        return sorted((jsonable(v) for v in value), key=str)
    return value


def number_text(value: Any) -> str:
    """A number's canonical text in the item hash: ``Decimal(str(value)).normalize()``."""
    number = Decimal(str(value)).normalize()
    return "0" if number.is_zero() else str(number)


@dataclass(frozen=True)
class KeyDiff:
    """One differing key. A side's hash and verdict are None when the item is absent there."""

    key: Key
    change: Change
    restored_hash: bytes | None
    live_hash: bytes | None
    restored_passes: bool | None
    live_passes: bool | None

    @property
    def damaged(self) -> bool:
        """The restored item passes the rules and the live one fails them or is gone."""
        return self.restored_passes is True and self.live_passes is not True


@dataclass(frozen=True)
class DiffReport:
    restored: str
    live: str
    key_names: tuple[str, ...]
    restored_items: int
    live_items: int
    unchanged: int
    entries: Mapping[Key, KeyDiff] = field(repr=False)  # the differing keys only
    sample_size: int = DEFAULT_SAMPLE

    def keys(self, change: Change) -> list[Key]:
        """Every key with this change, sorted."""
        return sorted((k for k, e in self.entries.items() if e.change is change), key=_order)

    def count(self, change: Change) -> int:
        return sum(1 for entry in self.entries.values() if entry.change is change)

    def samples(self, change: Change) -> list[Key]:
        chosen = (k for k, e in self.entries.items() if e.change is change)
        return heapq.nsmallest(self.sample_size, chosen, key=_order)

    def damaged(self) -> list[KeyDiff]:
        return sorted((e for e in self.entries.values() if e.damaged), key=lambda e: _order(e.key))

    @property
    def identical(self) -> bool:
        return not self.entries

    def counts(self) -> dict[str, int]:
        return {
            "restored_items": self.restored_items,
            "live_items": self.live_items,
            **{change.value: self.count(change) for change in Change},
            "unchanged": self.unchanged,
            "damaged": sum(1 for entry in self.entries.values() if entry.damaged),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "restored": self.restored,
            "live": self.live,
            **self.counts(),
            "samples": {
                change.value: [jsonable(key_dict(k, self.key_names)) for k in self.samples(change)]
                for change in Change
            },
        }


class DiffBuilder:
    """Feed every restored item, then every live item (each as key, hash, verdict)."""

    def __init__(
        self, restored: str, live: str, key_names: Sequence[str], sample: int = DEFAULT_SAMPLE
    ) -> None:
        self.restored, self.live = restored, live
        self.key_names = tuple(key_names)
        self.sample = sample
        self._restored: dict[Key, tuple[bytes, bool]] = {}
        self._entries: dict[Key, KeyDiff] = {}
        self._live_items = 0
        self._restored_items = 0
        self._unchanged = 0
        self._live_started = False

    def add_restored(self, key: Key, digest: bytes, passes: bool) -> None:
        if self._live_started:
            raise RuntimeError("every restored item must come before the first live item")
        self._restored_items += 1
        self._restored[key] = (digest, passes)

    def add_live(self, key: Key, digest: bytes, passes: bool) -> None:
        self._live_started = True
        self._live_items += 1
        before = self._restored.pop(key, None)
        if before is None:
            self._entries[key] = KeyDiff(key, Change.ADDED, None, digest, None, passes)
        elif before[0] != digest:
            self._entries[key] = KeyDiff(key, Change.CHANGED, before[0], digest, before[1], passes)
        else:
            self._unchanged += 1

    def finish(self) -> DiffReport:
        for key, (digest, passes) in self._restored.items():
            self._entries[key] = KeyDiff(key, Change.REMOVED, digest, None, passes, None)
        self._restored = {}
        return DiffReport(
            restored=self.restored,
            live=self.live,
            key_names=self.key_names,
            restored_items=self._restored_items,
            live_items=self._live_items,
            unchanged=self._unchanged,
            entries=self._entries,
            sample_size=self.sample,
        )


@dataclass(frozen=True)
class AttributeChange:
    """One attribute of one item, old (restored) -> new (live); MISSING when absent."""

    path: str
    old: Any
    new: Any

    def to_json(self) -> dict[str, Any]:
        return {
            "attribute": self.path,
            "old": None if self.old is MISSING else jsonable(self.old),
            "new": None if self.new is MISSING else jsonable(self.new),
            "old_present": self.old is not MISSING,
            "new_present": self.new is not MISSING,
        }

    def render(self) -> str:
        return f"{self.path}: {_shown(self.old)} -> {_shown(self.new)}"


def item_changes(
    old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, prefix: str = ""
) -> list[AttributeChange]:
    """Attribute-level differences, recursing into maps present on both sides
    (``state.power: "on" -> "unknown"``); sorted by path. None stands for an absent item."""
    before, after = old or {}, new or {}
    changes: list[AttributeChange] = []
    for name in sorted(set(before) | set(after), key=str):
        path = f"{prefix}{name}"
        a, b = before.get(name, MISSING), after.get(name, MISSING)
        if dynamodb_type(a) == "M" and dynamodb_type(b) == "M":
            changes.extend(item_changes(a, b, path + "."))
        elif a is MISSING or b is MISSING or canonical(a) != canonical(b):
            changes.append(AttributeChange(path, a, b))
    return changes


def _shown(value: Any) -> str:
    if value is MISSING:
        return "(absent)"
    return json.dumps(jsonable(value), ensure_ascii=False, sort_keys=True)


def _order(key: Key) -> tuple[str, ...]:
    return tuple(str(part) for part in key)
