"""The scenario's truth file is owner-only: the drill sandbox writes it into the console's
state dir (beside the 0600 journals), and it names the table's keys."""

from __future__ import annotations

import json
import stat
from datetime import UTC, datetime
from pathlib import Path

from lee_console.sandbox.truth import ScenarioTruth

TRUTH = ScenarioTruth(
    scenario="bad-deployment",
    table="lee-devices",
    damage_start=datetime(2026, 12, 2, 3, 0, tzinfo=UTC),
    damaged_keys=[{"device_id": "dev-00001"}],
    legit_keys_after=[],
)


def test_the_truth_file_is_written_0600_and_an_old_one_tightened(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.json"
    TRUTH.write(fresh)
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600
    assert ScenarioTruth.from_json(json.loads(fresh.read_text())) == TRUTH

    old = tmp_path / "old.json"
    old.write_text("{}")
    old.chmod(0o644)
    TRUTH.write(old)
    assert stat.S_IMODE(old.stat().st_mode) == 0o600
    assert json.loads(old.read_text())["table"] == "lee-devices"
