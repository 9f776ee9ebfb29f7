"""A diff known by its counts, samples and damaged keys only: what verify over exports keeps,
so that memory follows the damage, not the table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lee_console.core.diff import Change, DiffReport, Key, KeyDiff
from lee_console.core.scan_diff.entries import CompactEntries


@dataclass(frozen=True)
class DiffCounts(DiffReport):
    """``entries`` holds the damaged keys only, compactly as the scan's diff holds its
    differing keys (:class:`CompactEntries`: a key text, a change code, two digests and two
    verdicts, about 105 bytes an entry; a KeyDiff is made when one is asked for);
    ``tallies`` and ``lowest`` (by Change value) the count and the smallest keys of each
    change."""

    tallies: Mapping[str, int] = field(default_factory=dict)
    lowest: Mapping[str, tuple[Key, ...]] = field(default_factory=dict)

    @property
    def compact(self) -> CompactEntries:
        assert isinstance(self.entries, CompactEntries)
        return self.entries

    def count(self, change: Change) -> int:
        return self.tallies.get(change.value, 0)

    def samples(self, change: Change) -> list[Key]:
        return list(self.lowest.get(change.value, ()))

    def keys(self, change: Change) -> list[Key]:
        raise NotImplementedError("a diff over exports keeps only its damaged keys")

    def damaged(self) -> list[KeyDiff]:
        compact = self.compact
        found = [compact.entry(at) for at in range(len(compact))]
        return sorted(found, key=lambda entry: tuple(str(part) for part in entry.key))

    @property
    def identical(self) -> bool:
        return not any(self.tallies.values())

    def counts(self) -> dict[str, int]:
        return {
            "restored_items": self.restored_items,
            "live_items": self.live_items,
            **{change.value: self.count(change) for change in Change},
            "unchanged": self.unchanged,
            "damaged": len(self.entries),
        }
