"""Files the console replaces whole (the sandbox record, drill records, reports): a reader or a
killed writer sees the old file or the new one, never an empty or partial one."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from lee_console.store.private import write_private


def test_a_write_that_fails_midway_leaves_the_old_file_whole(tmp_path: Path) -> None:
    record = tmp_path / "state" / "sandbox.json"
    write_private(record, '{"pid": 4242}')
    with pytest.raises(UnicodeEncodeError):  # fails after part of the text went out
        write_private(record, '{"pid": 5151, "note": "' + "x" * 100_000 + '\udcff"}')
    assert record.read_text() == '{"pid": 4242}'
    assert [path.name for path in record.parent.iterdir()] == ["sandbox.json"]  # no leftover


def test_the_new_file_is_the_owners_alone(tmp_path: Path) -> None:
    record = tmp_path / "state" / "report.md"
    write_private(record, "old")
    record.chmod(0o644)  # as an earlier version may have left it
    write_private(record, "new")
    assert record.read_text() == "new"
    assert stat.S_IMODE(record.stat().st_mode) == 0o600
    assert stat.S_IMODE(record.parent.stat().st_mode) == 0o700
