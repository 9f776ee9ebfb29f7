"""--seed N: the same (scenario, seed, items, now) seeds the same incident, byte for byte; other
seeds seed other incidents within the drill's ranges; every damage shape breaks the shipped
rules and no legitimate image does; the page tells symptoms, not the answer. In-process: each
seeding resets moto's process-wide backends (install_extension), as a sandbox start does."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import pytest

from lee_console.core.export_verify.wire import plain_item
from lee_console.core.rules import RuleSet
from lee_console.sandbox.digests import image_digest
from lee_console.sandbox.install import install_extension
from lee_console.sandbox.options import SandboxOptions
from lee_console.sandbox.scenarios import seed_scenario
from lee_console.sandbox.scenarios.variation import (
    BAD_DEPLOYMENT_SHAPES,
    GRADUAL_SHAPES,
    IncidentParameters,
    draw_parameters,
)
from lee_console.sandbox.tables import SandboxTable
from lee_console.sandbox.truth import ScenarioTruth
from lee_console.store.rules_file import shipped_rule_sets

FIXED = 1_790_000_000.25  # 2026-09-21T14:13:20.250Z
ITEMS = 300
DRILLS = ("bad-deployment", "gradual-corruption", "accidental-delete")


def _seed(
    scenario: str, seed: int | None, params: IncidentParameters | None = None
) -> tuple[ScenarioTruth, dict[str, SandboxTable], Any]:
    backend = install_extension(300.0, 15.0)
    truth = seed_scenario(
        backend, SandboxOptions(scenario=scenario, items=ITEMS, seed=seed), now=FIXED, params=params
    )
    assert truth is not None
    return truth, dict(backend.tables), backend


def _bytes(truth: ScenarioTruth) -> str:
    return json.dumps(truth.to_json())


@pytest.mark.parametrize("scenario", DRILLS)
def test_the_same_seed_gives_the_same_truth_and_another_seed_another(scenario: str) -> None:
    first, _, _ = _seed(scenario, 7)
    again, _, _ = _seed(scenario, 7)
    other, _, _ = _seed(scenario, 8)
    assert _bytes(first) == _bytes(again)
    assert first.damage_start != other.damage_start
    assert first.expected != other.expected  # other states, other traffic
    if scenario != "accidental-delete":  # there every item is "damaged"
        assert first.damaged_keys != other.damaged_keys
    data = first.to_json()
    assert data["seed"] == 7 and other.to_json()["seed"] == 8
    assert data["seeded_at"] == "2026-09-21T14:13:20.250Z"
    assert len(data["expected"]) == ITEMS


def test_without_a_seed_the_truth_says_so_and_keeps_todays_incident() -> None:
    truth, _, _ = _seed("bad-deployment", None)
    data = truth.to_json()
    assert data["seed"] is None
    assert data["damage_start"] == "2026-09-21T13:48:20Z"  # 25 minutes before FIXED
    assert data["share"] == 0.15 and len(data["damaged_keys"]) == 45
    assert data["shape"] == (
        "invalid state values, epoch-seconds updated_at, version not incremented"
    )


def test_seeded_parameters_stay_within_the_drill_ranges_and_vary() -> None:
    minute, day = 60.0, 86400.0
    shapes: dict[str, set[str]] = {scenario: set() for scenario in DRILLS}
    for seed in range(60):
        bad = draw_parameters("bad-deployment", seed)
        assert 12 * minute <= bad.damage_ago <= 40 * minute and bad.damage_ago.is_integer()
        assert 0.05 <= bad.share <= 0.25 and 0.5 <= bad.traffic <= 2.0
        gradual = draw_parameters("gradual-corruption", seed)
        assert 4 * day <= gradual.damage_ago <= 9 * day and 0.5 <= gradual.per_day <= 2.0
        deleted = draw_parameters("accidental-delete", seed)
        assert 5 * minute <= deleted.damage_ago <= 20 * minute and 0.5 <= deleted.traffic <= 2
        for scenario, params in zip(DRILLS, (bad, gradual, deleted), strict=True):
            shapes[scenario].add(params.shape)
    assert shapes == {
        "bad-deployment": set(BAD_DEPLOYMENT_SHAPES),
        "gradual-corruption": set(GRADUAL_SHAPES),
        "accidental-delete": {"deleted"},
    }
    assert draw_parameters("bad-deployment", 2**31 - 1).seed == 2**31 - 1


def _rules() -> RuleSet:
    return shipped_rule_sets()["lee-devices"]


@pytest.mark.parametrize(
    ("scenario", "shape"),
    [("bad-deployment", s) for s in BAD_DEPLOYMENT_SHAPES]
    + [("gradual-corruption", s) for s in GRADUAL_SHAPES],
)
def test_every_damaged_item_breaks_the_rules_and_every_legitimate_one_passes(
    scenario: str, shape: str
) -> None:
    params = dataclasses.replace(draw_parameters(scenario, 3), shape=shape)
    truth, tables, _ = _seed(scenario, 3, params)
    rules, now = _rules(), datetime.fromtimestamp(FIXED, UTC)
    history = tables["lee-devices"].history
    final, before = history.state_at(FIXED), history.state_at(truth.damage_start.timestamp())
    damaged = {key["device_id"] for key in truth.damaged_keys}
    assert damaged and set(truth.damaged_digests) == damaged
    for device, image in final.items():
        item = plain_item(image)
        if device in damaged:
            assert rules.check(item, now), f"{shape}: damaged {device} passes: {image}"
            assert truth.damaged_digests[device] == image_digest(image)
            # what a perfect recovery leaves: its image before the damage, which passes
            assert truth.expected[device] == image_digest(before[device])
            assert rules.check(plain_item(before[device]), now) == []
        else:
            assert rules.check(item, now) == [], f"{device}: {rules.check(item, now)}"
            assert truth.expected[device] == image_digest(image)
    assert truth.shape == params.shape_text


def test_accidental_delete_expects_every_item_as_it_was_deleted() -> None:
    truth, tables, backend = _seed("accidental-delete", 11)
    assert "lee-devices" not in tables
    (backup,) = [b for b in backend.backups.values() if b.type == "SYSTEM"]
    assert truth.expected == {device: image_digest(image) for device, image in backup.state.items()}
    assert truth.damaged_digests == {} and truth.share is None


@pytest.mark.parametrize("scenario", DRILLS)
def test_the_page_tells_symptoms_not_the_answer(scenario: str) -> None:
    pages = set()
    for seed in (None, 1, 2, 4, 9):
        truth, _, _ = _seed(scenario, seed)
        brief = truth.brief
        assert brief["detected_at"] == "2026-09-21T14:13:20Z"
        text = " ".join(brief["symptoms"])
        assert 1 <= len(brief["symptoms"]) <= 3
        start = truth.damage_start
        for leak in ("deploy", "corrupt", "gradual", "bad ", "release", "bug"):
            assert leak not in text.lower(), (leak, text)
        assert start.strftime("%H:%M:%S") not in text
        assert start.strftime("%H:%M ") not in text  # a support time is after the start
        if truth.share is not None:
            assert f"{truth.share:.0%}" not in text and f"{truth.share * 100:g}%" not in text
        pages.add(text)
    assert len(pages) >= 3  # worded from the seed's incident


def test_a_bad_deployment_page_gives_the_first_tickets_a_few_minutes_after_the_start() -> None:
    truth, _, _ = _seed("bad-deployment", 7)
    first = truth.brief["symptoms"][0]
    assert first.startswith("Support tickets since about ")
    hour, minute = (int(x) for x in first.split("about ")[1][:5].split(":"))
    ticket = truth.damage_start.replace(hour=hour, minute=minute, second=0)
    assert minute % 5 == 0
    assert 60 <= (ticket - truth.damage_start).total_seconds() <= 600


def _serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "lee_console.sandbox", "--port", "0", "--items", "5", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--seed", "-1"], "argument --seed: '-1' is not a seed: give 0 to 2147483647"),
        (["--seed", "2147483648"], "'2147483648' is not a seed: give 0 to 2147483647"),
        (["--seed", "\u0667"], "is not a seed: give 0 to 2147483647"),
        (["--seed", "1_0"], "'1_0' is not a seed"),
        (["--live-writes", "nan"], "--live-writes must be a number from 0 to 6000 (got nan)."),
        (["--live-writes", "inf"], "--live-writes must be a number from 0 to 6000 (got inf)."),
        (["--live-writes", "-1"], "--live-writes must be a number from 0 to 6000 (got -1)."),
        (["--live-writes", "fast"], "argument --live-writes: invalid float value: 'fast'"),
    ],
)
def test_bad_seed_and_live_writes_are_refused_in_one_line(args: list[str], says: str) -> None:
    refused = _serve(*args)
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert says in refused.stderr
    error_lines = [line for line in refused.stderr.splitlines() if not line.startswith("usage")]
    assert len([line for line in error_lines if says in line]) == 1
    assert "Traceback" not in refused.stderr
