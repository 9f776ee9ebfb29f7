"""verify's scanned diff (core/scan_diff) against core.diff.DiffBuilder on the same records:
the same counts, samples, damaged keys and entries, held in memory or spilled to private
partition files (store/spill.py) past the threshold, which are gone afterwards."""

from __future__ import annotations

import hashlib
import os
import random
import stat
from pathlib import Path

import pytest

from lee_console.core.diff import DiffBuilder
from lee_console.core.scan_diff.join import DiffJoin
from lee_console.core.wire_hash import key_from_text
from lee_console.store.spill import SpillFiles

NAMES = ("pk", "sk")


def _records(seed: int) -> tuple[list[tuple[str, bytes, bool]], list[tuple[str, bytes, bool]]]:
    rng = random.Random(seed)
    restored, live = [], []
    for n in range(3000):
        key = f'[["S","k{n:05d}"],["N","{n % 7}"]]'
        digest = hashlib.blake2b(str(n).encode(), digest_size=16).digest()
        passes = rng.random() > 0.1
        fate = rng.random()
        if fate > 0.05:
            restored.append((key, digest, passes))
        if fate < 0.95:
            changed = rng.random() < 0.2
            other = hashlib.blake2b(b"x" + digest, digest_size=16).digest() if changed else digest
            live.append((key, other, passes if not changed else rng.random() > 0.5))
    rng.shuffle(restored)
    rng.shuffle(live)
    return restored, live


@pytest.mark.parametrize("spill", [False, True])
def test_scanned_diff_is_diff_builder(spill: bool, tmp_path: Path) -> None:
    restored, live = _records(7)
    made: list[SpillFiles] = []

    def spill_files() -> SpillFiles:
        made.append(SpillFiles(tmp_path / "spill", partitions=8, flush_bytes=256))
        return made[-1]

    join = DiffJoin("r", "l", NAMES, 3, spill=spill_files, threshold=500 if spill else 10**9)
    builder = DiffBuilder("r", "l", NAMES, 3)
    for key, digest, passes in restored:
        join.add_restored(key, digest, passes)
        builder.add_restored(key_from_text(key, NAMES), digest, passes)
    if spill:
        assert join.spilled
        folder = made[0].folder
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        files = list(folder.iterdir())
        assert files and all(stat.S_IMODE(f.stat().st_mode) == 0o600 for f in files)
    for key, digest, passes in live:
        join.add_live(key, digest, passes)
        builder.add_live(key_from_text(key, NAMES), digest, passes)
    got, want = join.finish(), builder.finish()
    assert got.to_json() == want.to_json()
    assert got.counts() == want.counts() and got.counts()["damaged"] > 0
    assert got.damaged() == want.damaged()
    assert dict(got.entries) == dict(want.entries)
    assert got.entries[next(iter(want.entries))] == next(iter(want.entries.values()))
    if spill:
        assert not made[0].folder.exists()
    assert not os.path.exists(tmp_path / "spill") or not any((tmp_path / "spill").iterdir())


def test_close_after_an_error_removes_the_spill(tmp_path: Path) -> None:
    made: list[SpillFiles] = []

    def spill_files() -> SpillFiles:
        made.append(SpillFiles(tmp_path, partitions=4))
        return made[-1]

    join = DiffJoin("r", "l", ("pk",), spill=spill_files, threshold=2)
    for n in range(10):
        join.add_restored(f"k{n}", bytes(16), True)
    assert made and made[0].folder.exists()
    join.close()
    assert not made[0].folder.exists()
