"""A diff known by its counts, samples and damaged keys only: what verify over exports keeps,
so that memory follows the damage, not the table."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from lee_console.core.diff import Change, DiffReport, Key


@dataclass(frozen=True)
class DiffCounts(DiffReport):
    """``entries`` holds the damaged keys only; ``tallies`` and ``lowest`` (by Change value)
    the count and the smallest keys of each change."""

    tallies: Mapping[str, int] = field(default_factory=dict)
    lowest: Mapping[str, tuple[Key, ...]] = field(default_factory=dict)

    def count(self, change: Change) -> int:
        return self.tallies.get(change.value, 0)

    def samples(self, change: Change) -> list[Key]:
        return list(self.lowest.get(change.value, ()))

    def keys(self, change: Change) -> list[Key]:
        raise NotImplementedError("a diff over exports keeps only its damaged keys")

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
