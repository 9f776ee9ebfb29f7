"""Joining the restored table's (key, digest, verdict) records with the live table's.

In memory up to ``threshold`` restored items (a dict of key text -> 17 bytes); past it, every
record, restored and live, goes to a :class:`Spill` (hash-partitioned files the caller
provides) and the partitions are joined one at a time, so memory is one partition's dict
whatever the table's size.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Protocol

from lee_console.core.diff import DEFAULT_SAMPLE, Change
from lee_console.core.scan_diff.entries import CompactEntries, ScannedDiff, tallies_of

RESTORED, LIVE = 0, 1
DEFAULT_THRESHOLD = 250_000  # restored items held in a dict before spilling (about 35 MB)
_PASSES = b"\1"
_FAILS = b"\0"

Records = Iterable[tuple[str, bytes]]  # key text, digest + verdict byte


class Spill(Protocol):
    """Records written by side and partition, read back a partition at a time."""

    def add(self, side: int, key: str, record: bytes) -> None: ...

    def partitions(self) -> Iterator[tuple[Records, Records]]:
        """Each partition's (restored, live) records, every record added exactly once."""
        ...

    def close(self) -> None: ...


class DiffJoin:
    """Feed every restored record, then every live one; ``finish`` classifies."""

    def __init__(
        self,
        restored: str,
        live: str,
        key_names: Sequence[str],
        sample: int = DEFAULT_SAMPLE,
        *,
        spill: Callable[[], Spill] | None = None,
        threshold: int = DEFAULT_THRESHOLD,
    ) -> None:
        self.restored, self.live = restored, live
        self.key_names = tuple(key_names)
        self.sample = sample
        self._make_spill = spill
        self._threshold = threshold
        self._spill: Spill | None = None
        self._held: dict[str, bytes] = {}
        self._entries = CompactEntries(self.key_names)
        self.restored_items = 0
        self.live_items = 0
        self._unchanged = 0
        self._live_started = False

    @property
    def spilled(self) -> bool:
        return self._spill is not None

    def add_restored(self, key: str, digest: bytes, passes: bool) -> None:
        if self._live_started:
            raise RuntimeError("every restored item must come before the first live item")
        self.restored_items += 1
        record = digest + (_PASSES if passes else _FAILS)
        if self._spill is not None:
            self._spill.add(RESTORED, key, record)
            return
        self._held[key] = record
        if len(self._held) > self._threshold and self._make_spill is not None:
            self._spill = self._make_spill()
            for held_key, held in self._held.items():
                self._spill.add(RESTORED, held_key, held)
            self._held = {}

    def add_live(self, key: str, digest: bytes, passes: bool) -> None:
        self._live_started = True
        self.live_items += 1
        record = digest + (_PASSES if passes else _FAILS)
        if self._spill is not None:
            self._spill.add(LIVE, key, record)
        else:
            self._classify(self._held, key, record)

    def _classify(self, held: dict[str, bytes], key: str, record: bytes) -> None:
        before = held.pop(key, None)
        if before is None:
            self._entries.add(key, Change.ADDED, None, _split(record))
        elif before[:-1] != record[:-1]:
            self._entries.add(key, Change.CHANGED, _split(before), _split(record))
        else:
            self._unchanged += 1

    def _removed(self, held: dict[str, bytes]) -> None:
        for key, record in held.items():
            self._entries.add(key, Change.REMOVED, _split(record), None)

    def close(self) -> None:
        """Drop what is held and the spill files (after an error; finish does it itself)."""
        self._held = {}
        if self._spill is not None:
            self._spill.close()
            self._spill = None

    def finish(self) -> ScannedDiff:
        if self._spill is None:
            self._removed(self._held)
            self._held = {}
        else:
            try:
                for restored, live in self._spill.partitions():
                    held = dict(restored)
                    for key, record in live:
                        self._classify(held, key, record)
                    self._removed(held)
            finally:
                self.close()
        return ScannedDiff(
            restored=self.restored,
            live=self.live,
            key_names=self.key_names,
            restored_items=self.restored_items,
            live_items=self.live_items,
            unchanged=self._unchanged,
            entries=self._entries,
            sample_size=self.sample,
            tallies=tallies_of(self._entries),
        )


def _split(record: bytes) -> tuple[bytes, bool]:
    return record[:-1], record[-1:] == _PASSES
