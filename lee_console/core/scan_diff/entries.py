"""The differing keys of a scanned diff, kept compactly, and the DiffReport over them."""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lee_console.core.diff import HASH_BYTES, Change, DiffReport, Key, KeyDiff
from lee_console.core.wire_hash import key_from_text

_CHANGES = (Change.ADDED, Change.REMOVED, Change.CHANGED)
_CODE = {change: code for code, change in enumerate(_CHANGES)}
_ABSENT = b"\0" * HASH_BYTES
# verdict flags: bit 0 restored present, 1 restored passes, 2 live present, 3 live passes
_R_IN, _R_OK, _L_IN, _L_OK = 1, 2, 4, 8


class CompactEntries(Mapping[Key, KeyDiff]):
    """Differing keys as parallel arrays (a key text, a change code, two digests and the two
    verdicts each: about 100 bytes an entry); a KeyDiff is made when one is asked for."""

    def __init__(self, key_names: Sequence[str]) -> None:
        self.key_names = tuple(key_names)
        self._keys: list[str] = []
        self._codes = bytearray()
        self._flags = bytearray()
        self._hashes = bytearray()
        self._index: dict[Key, int] | None = None

    def add(
        self,
        key: str,
        change: Change,
        restored: tuple[bytes, bool] | None,
        live: tuple[bytes, bool] | None,
    ) -> None:
        flags = 0
        if restored is not None:
            flags |= _R_IN | (_R_OK if restored[1] else 0)
        if live is not None:
            flags |= _L_IN | (_L_OK if live[1] else 0)
        self._keys.append(key)
        self._codes.append(_CODE[change])
        self._flags.append(flags)
        self._hashes += restored[0] if restored is not None else _ABSENT
        self._hashes += live[0] if live is not None else _ABSENT
        self._index = None

    def __len__(self) -> int:
        return len(self._keys)

    def plain_key(self, at: int) -> Key:
        return key_from_text(self._keys[at], self.key_names)

    def __iter__(self) -> Iterator[Key]:
        return (self.plain_key(at) for at in range(len(self._keys)))

    def __getitem__(self, key: Key) -> KeyDiff:
        if self._index is None:
            self._index = {self.plain_key(at): at for at in range(len(self._keys))}
        return self.entry(self._index[key])

    def entry(self, at: int, key: Key | None = None) -> KeyDiff:
        flags, start = self._flags[at], 2 * HASH_BYTES * at
        return KeyDiff(
            key=self.plain_key(at) if key is None else key,
            change=_CHANGES[self._codes[at]],
            restored_hash=bytes(self._hashes[start : start + HASH_BYTES])
            if flags & _R_IN
            else None,
            live_hash=bytes(self._hashes[start + HASH_BYTES : start + 2 * HASH_BYTES])
            if flags & _L_IN
            else None,
            restored_passes=bool(flags & _R_OK) if flags & _R_IN else None,
            live_passes=bool(flags & _L_OK) if flags & _L_IN else None,
        )

    def positions(self, change: Change | None = None, damaged: bool = False) -> Iterator[int]:
        code = None if change is None else _CODE[change]
        for at in range(len(self._keys)):
            if code is not None and self._codes[at] != code:
                continue
            if damaged:
                flags = self._flags[at]
                if not (flags & _R_OK) or flags & _L_OK:  # restored fails, or live passes
                    continue
            yield at


def _order(key: Key) -> tuple[str, ...]:
    return tuple(str(part) for part in key)


@dataclass(frozen=True)
class ScannedDiff(DiffReport):
    """A DiffReport whose ``entries`` are a :class:`CompactEntries`; counts are kept, samples
    and damaged keys computed from the arrays without a KeyDiff per entry."""

    tallies: Mapping[str, int] = field(default_factory=dict)

    @property
    def compact(self) -> CompactEntries:
        assert isinstance(self.entries, CompactEntries)
        return self.entries

    def count(self, change: Change) -> int:
        return self.tallies.get(change.value, 0)

    def keys(self, change: Change) -> list[Key]:
        compact = self.compact
        return sorted((compact.plain_key(at) for at in compact.positions(change)), key=_order)

    def samples(self, change: Change) -> list[Key]:
        compact = self.compact
        chosen = (compact.plain_key(at) for at in compact.positions(change))
        return heapq.nsmallest(self.sample_size, chosen, key=_order)

    def damaged(self) -> list[KeyDiff]:
        compact = self.compact
        found = [compact.entry(at) for at in compact.positions(damaged=True)]
        return sorted(found, key=lambda entry: _order(entry.key))

    @property
    def identical(self) -> bool:
        return not self.entries

    def counts(self) -> dict[str, int]:
        return {
            "restored_items": self.restored_items,
            "live_items": self.live_items,
            **{change.value: self.count(change) for change in Change},
            "unchanged": self.unchanged,
            "damaged": sum(1 for _ in self.compact.positions(damaged=True)),
        }


def tallies_of(entries: CompactEntries) -> dict[str, Any]:
    return {change.value: sum(1 for _ in entries.positions(change)) for change in Change}
