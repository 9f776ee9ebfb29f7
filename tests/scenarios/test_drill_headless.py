"""Drills played headless (`drill start --json`, the ordinary commands with --sandbox, `drill
finish --json`), each scenario played well and badly: the score card tells the two apart for the
right reasons, measured against the sandbox's ground truth. The participant here is an expert
who reads the damage start from the truth file; a real one finds it on the timeline."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from scenario_helpers import DEVICES, client, parse_utc, utc_text

from lee_console.cli import main
from lee_console.store.drills import current_drill
from lee_console.store.paths import state_dir

DRILL = ["--items", "300", "--restore-seconds", "1", "--live-writes", "120"]


class Player:
    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *args: str, code: int = 0) -> str:
        self.capsys.readouterr()
        got = main(list(args))
        captured = self.capsys.readouterr()
        assert got == code, (args, got, captured.err[-2000:])
        return captured.out

    def start(self, scenario: str, participant: str, seed: int = 5) -> dict[str, Any]:
        out = self("drill", "start", "--scenario", scenario, "--seed", str(seed),
                   "--participant", participant, *DRILL, "--json")  # fmt: skip
        return dict(json.loads(out))

    def truth(self) -> dict[str, Any]:
        record = current_drill(state_dir())
        assert record is not None
        return dict(json.loads(Path(record.truth_path).read_text()))

    def restore(self, *how: str) -> str:
        return str(json.loads(self("--sandbox", "restore", DEVICES, *how))["target"])

    def finish(self) -> dict[str, Any]:
        card = dict(json.loads(self("drill", "finish", "--json")))
        assert current_drill(state_dir()) is None  # the drill is over, its sandbox stopped
        return card


@pytest.fixture
def play(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[Player]:
    monkeypatch.setenv("LEE_CONSOLE_DATA_DIR", str(tmp_path / "lee-data"))
    player = Player(capsys)
    yield player
    if current_drill(state_dir()) is not None:
        main(["drill", "finish"])


def lines(card: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {line["key"]: line for line in card["lines"]}


def second_before(truth: dict[str, Any]) -> str:
    return utc_text(parse_utc(truth["damage_start"]) - timedelta(seconds=1))


def test_bad_deployment_well_and_badly(play: Player) -> None:
    started = play.start("bad-deployment", "ann")
    assert started["brief"]["symptoms"] and started["endpoint_url"].startswith("http://127.")
    truth = play.truth()
    assert truth["damage_start"][:16] not in json.dumps(started["brief"])  # not the answer
    play("--sandbox", "incident", "declare", "--table", DEVICES,
         "--damage-start", truth["damage_start"])  # fmt: skip
    restored = play.restore("--at", second_before(truth))
    play("--sandbox", "verify", restored, "--against", DEVICES)
    play("--sandbox", "settings", "apply", DEVICES, restored, "--yes")
    play("--sandbox", "repair", DEVICES, "--from", restored, "--confirm", DEVICES)
    play("--sandbox", "incident", "confirm-service")
    good = play.finish()
    assert good["total"] == 100, json.dumps(good["lines"], indent=1)

    play.start("bad-deployment", "bob")
    # restored to after the damage began, not verified, repointed without settings
    restored = play.restore("--at", "-6m")
    play("--sandbox", "cutover", "repoint", DEVICES, "--to", restored, "--confirm", restored)
    bad = play.finish()
    found = lines(bad)
    assert found["restore-point"]["points"] == 0
    assert "damaged data came back" in found["restore-point"]["reasons"][0]
    assert found["verification"]["reasons"] == ["The restored table was never verified."]
    assert found["settings"]["points"] == 0 and "PITR is off on" in found["settings"]["reasons"][0]
    assert bad["items"]["damaged_left"] > 0 and found["cutover"]["points"] < 25
    assert found["time"]["points"] == 0  # moved to damaged data: not recovered
    assert bad["total"] < 40 < good["total"]

    ranked = json.loads(play("drill", "results", "--json"))
    assert [r["participant"] for r in ranked] == ["ann", "bob"]


def test_accidental_delete_well_and_badly(play: Player) -> None:
    play.start("accidental-delete", "cat")
    # restored under its own name from the deleted table's backup: nothing to repoint
    play.restore("--deleted", "--target", DEVICES)
    play("--sandbox", "verify", DEVICES)
    play("--sandbox", "enable-pitr", DEVICES)
    good = play.finish()
    found = lines(good)
    assert found["restore-point"]["points"] == 20 and found["cutover"]["points"] == 25
    assert found["settings"]["points"] >= 10  # PITR on; TTL and tags not re-applied
    assert good["items"]["missing"] == 0 and good["items"]["legit_writes_lost"] == 0

    play.start("accidental-delete", "dan")
    play.restore("--deleted")  # into a new name, and the application never told
    bad = play.finish()
    found = lines(bad)
    assert found["cutover"]["points"] == 0 and found["time"]["points"] == 0
    assert "does not exist" in found["cutover"]["reasons"][0]
    assert bad["total"] < good["total"] - 40


def test_gradual_corruption_well_and_badly(play: Player) -> None:
    play.start("gradual-corruption", "eve")
    truth = play.truth()
    restored = play.restore("--at", second_before(truth))
    play("--sandbox", "verify", restored, "--against", DEVICES)
    play("--sandbox", "repair", DEVICES, "--from", restored, "--confirm", DEVICES)
    good = play.finish()
    assert good["items"]["damaged_left"] == 0 and good["items"]["legit_writes_lost"] == 0
    assert good["total"] == 100, json.dumps(good["lines"], indent=1)

    play.start("gradual-corruption", "fay")
    # the week-old damage restored whole: a restore from yesterday, repointed
    restored = play.restore("--at", "-1d")
    play("--sandbox", "cutover", "repoint", DEVICES, "--to", restored, "--confirm", restored)
    bad = play.finish()
    found = lines(bad)
    assert found["restore-point"]["points"] == 0
    assert bad["items"]["damaged_left"] > 0 and bad["items"]["legit_writes_lost"] > 0
    assert bad["total"] < good["total"] - 50


def test_the_same_seed_is_the_same_incident(play: Player) -> None:
    first = play.start("random", "gil", seed=42)
    one = play.truth()
    play.finish()
    second = play.start("random", "gil", seed=42)
    two = play.truth()
    clock = re.compile(r"\d\d:\d\d")  # the page names the time, relative to each start
    assert [clock.sub("HH:MM", s) for s in first["brief"]["symptoms"]] == [
        clock.sub("HH:MM", s) for s in second["brief"]["symptoms"]
    ]
    assert one["scenario"] == two["scenario"] and one["shape"] == two["shape"]
    assert one["damaged_keys"] == two["damaged_keys"] and one["share"] == two["share"]
    assert one["expected"].keys() == two["expected"].keys()
    # the damage start is the same distance before each drill's start
    offsets = [
        parse_utc(truth["seeded_at"]) - parse_utc(truth["damage_start"]) for truth in (one, two)
    ]
    assert abs(offsets[0] - offsets[1]) < timedelta(seconds=1)
    assert client(second["endpoint_url"]).describe_table(TableName="lee-users")


def test_one_drill_at_a_time_and_clear_refusals(play: Player) -> None:
    play("drill", "finish", code=2)
    play.start("bad-deployment", "hal")
    err = play.capsys
    assert main(["drill", "start", "--participant", "ivy", *DRILL]) == 2
    assert "A drill is running" in err.readouterr().err
    assert main(["--sandbox", "--scenario", "none", "status"]) == 2
    assert "drop --scenario" in err.readouterr().err
    assert main(["drill", "start", "--scenario", "flood"]) == 2
    assert "Unknown scenario 'flood'" in err.readouterr().err
