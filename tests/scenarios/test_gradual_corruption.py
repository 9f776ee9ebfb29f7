"""Gradual corruption, headless: a release went out at the truth's damage_start and, over the
following hours, damaged a device now and then. Nobody knows when the first bad write was, so
the operator asks find-good for the last good point (probe restores checked with the rules,
three per round), then restores to it, verifies and repairs in place.

The first damaging write is the earliest updated_at among the truth's damaged keys (each
damaging write stamps the item and the damaged devices get no later write; see
tests/aws/test_findgood_sandbox.py)."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from scenario_helpers import (
    DEVICE_RULES,
    DEVICES,
    Cli,
    Sandbox,
    parse_utc,
    scan_devices,
    table_names,
)

from lee_console.core.journal import Kind

HOUR = timedelta(hours=1)


def test_find_the_last_good_point_then_restore_and_repair(
    gradual_corruption: Sandbox, capsys: pytest.CaptureFixture[str]
) -> None:
    sandbox = gradual_corruption
    url = sandbox.url
    cli = Cli(capsys, url, "gradual-corruption")
    live = scan_devices(url, DEVICES)
    assert all(not DEVICE_RULES.passes(live[key]) for key in sandbox.damaged)
    first_damage = min(parse_utc(live[key]["updated_at"]) for key in sandbox.damaged)
    assert first_damage > sandbox.damage_start

    found = cli(
        "find-good", DEVICES, "--via", "restore", "--precision", "1h", "--parallel", "3",
        "--yes", "--json", "--poll-seconds", "0.1",
    )  # fmt: skip
    assert found.code == 0, found.err[-2000:]
    result = found.json
    last_good, first_bad = parse_utc(result["last_good"]), parse_utc(result["first_bad"])
    assert last_good <= first_damage <= first_bad  # brackets it (its stamp is to the second)
    assert first_bad - last_good <= HOUR  # to the precision
    assert last_good >= sandbox.damage_start  # nothing was damaged before the release
    window = parse_utc(result["window"]["latest"]) - parse_utc(result["window"]["earliest"])
    bound = math.ceil(math.log2(window / HOUR))
    assert result["max_rounds"] == bound and result["rounds"] <= bound
    assert result["complete"] is True and result["non_monotone"] is False
    probes = result["probes"]
    for round_number in range(1, result["rounds"] + 1):
        assert 1 <= sum(p["round"] == round_number for p in probes) <= 3
    assert all(p["deleted"] and p["error"] is None for p in probes)
    assert result["left_behind"] == []
    assert not [name for name in table_names(url) if "-probe-" in name]  # none left behind
    journaled = [e.data for e in cli.journal.events() if e.kind == Kind.PROBE]
    assert len(journaled) == len(probes) and all(p["deleted"] is True for p in journaled)

    # Then the recovery: restore to the last good point, verify, repair in place.
    restore = cli.ok("restore", DEVICES, "--at", result["last_good"], "--poll-seconds", "0.1")
    restored = restore.json["target"]
    assert cli("verify", restored, "--against", DEVICES).code == 0
    repaired = cli.ok("repair", DEVICES, "--from", restored, "--confirm", DEVICES, "--json").json
    assert repaired["complete"] is True and repaired["skipped"] == 0
    assert repaired["repaired"] == len(sandbox.damaged)
    after = scan_devices(url, DEVICES)
    for key in sandbox.damaged:
        assert DEVICE_RULES.passes(after[key]), key
    for key in sandbox.legit_after - sandbox.damaged:
        assert after[key] == live[key], key
