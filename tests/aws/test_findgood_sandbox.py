"""Find the last good point against the gradual-corruption sandbox, checked against its ground
truth; probes in parallel; no probe table left behind after a success, a forced failure, a
cancel or a --read-only refusal.

The scenario's truth gives damage_start (the buggy release); the bug damages its first item
about an hour or more later. Each damaging write stamps the item's updated_at and the damaged
devices get no later write, so the first damaged write is the earliest updated_at among the
damaged keys: the true boundary the search must bracket to the precision."""

from __future__ import annotations

import json
import math
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from sandbox_process import running_sandbox

from lee_console.aws.findgood import ProbeUpdate, estimate_search, find_good_point
from lee_console.aws.scan import get_item
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.errors import InvalidInput, LeeError, ReadOnlyRefused
from lee_console.core.findgood import plan_rounds
from lee_console.core.journal import Kind
from lee_console.store.journal_file import Journal
from lee_console.store.rules_file import load_rules_for

TABLE = "lee-devices"
RULES = load_rules_for(TABLE)
HOUR = timedelta(hours=1)


@dataclass
class Scenario:
    url: str
    damage_start: datetime
    first_damage: datetime  # the first damaging write


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    folder = tmp_path_factory.mktemp("gradual")
    truth_file = folder / "truth.json"
    with running_sandbox(
        "gradual-corruption", restore_seconds=0.2, restore_lag=0, items=300, truth_file=truth_file
    ) as (url, _):
        truth = json.loads(truth_file.read_text())
        aws = Aws(ConnectionSettings(endpoint_url=url, region="us-east-1"))
        stamps = []
        for key in truth["damaged_keys"]:
            item = get_item(aws, TABLE, key)
            assert item is not None and not RULES.passes(item)
            stamps.append(parse(item["updated_at"]))
        yield Scenario(url, parse(truth["damage_start"]), min(stamps))


def make_aws(scenario: Scenario, tmp_path: Path, read_only: bool = False) -> Aws:
    settings = ConnectionSettings(
        endpoint_url=scenario.url, region="us-east-1", read_only=read_only
    )
    return Aws(settings, Journal(tmp_path / "journals", "find-good-test"))


def tables(scenario: Scenario) -> list[str]:
    raw: Any = boto3.client(
        "dynamodb", endpoint_url=scenario.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    names: list[str] = raw.list_tables()["TableNames"]
    return names


def assert_no_probe_left(scenario: Scenario) -> None:
    assert not [name for name in tables(scenario) if "-probe-" in name]


def test_finds_the_last_good_point_within_the_precision(scenario: Scenario, tmp_path: Path) -> None:
    aws = make_aws(scenario, tmp_path)
    estimate, earliest, latest = estimate_search(aws, TABLE, HOUR, 1)
    bound = math.ceil(math.log2((latest - earliest) / HOUR))
    assert estimate.rounds == bound and estimate.restores == bound
    updates: list[ProbeUpdate] = []
    result = find_good_point(
        aws, TABLE, RULES, precision=HOUR, window=(earliest, latest), poll_seconds=0.05,
        on_probe=updates.append,
    )  # fmt: skip
    assert result.last_good is not None and result.first_bad is not None
    assert result.last_good <= scenario.first_damage <= result.first_bad  # stamp: to the second
    assert result.first_bad - result.last_good <= HOUR
    assert scenario.first_damage - HOUR <= result.last_good
    assert result.last_good >= scenario.damage_start  # nothing is damaged before the release
    assert result.rounds <= bound == result.max_rounds
    assert len(result.probes) == result.rounds and result.complete and not result.non_monotone
    assert all(p.deleted and p.error is None for p in result.probes)
    phases = [u.phase for u in updates]
    assert phases.count("restoring") == phases.count("deleted") == len(result.probes)
    assert_no_probe_left(scenario)
    assert aws.journal is not None
    probes = [e.data for e in aws.journal.events() if e.kind == Kind.PROBE]
    assert len(probes) == len(result.probes)
    assert all(p["deleted"] is True and p["target"].startswith(f"{TABLE}-probe-") for p in probes)
    assert {p["restore_point"] for p in probes} == {
        p.to_json()["restore_point"] for p in result.probes
    }


def test_parallel_probes_take_fewer_rounds(scenario: Scenario, tmp_path: Path) -> None:
    aws = make_aws(scenario, tmp_path)
    _, earliest, latest = estimate_search(aws, TABLE, HOUR, 3)
    result = find_good_point(
        aws, TABLE, RULES, precision=HOUR, parallel=3, window=(earliest, latest),
        poll_seconds=0.05,
    )  # fmt: skip
    assert result.rounds <= plan_rounds(earliest, latest, HOUR, 3) < result.max_rounds
    assert all(sum(p.round == r for p in result.probes) <= 3 for r in range(1, result.rounds + 1))
    assert result.last_good is not None and result.first_bad is not None
    assert result.last_good <= scenario.first_damage <= result.first_bad  # stamp: to the second
    assert result.first_bad - result.last_good <= HOUR
    assert_no_probe_left(scenario)


def test_no_probe_left_after_a_failure_mid_way(scenario: Scenario, tmp_path: Path) -> None:
    aws = make_aws(scenario, tmp_path)

    def fail_in_round_two(update: ProbeUpdate) -> None:
        if update.phase == "checking" and update.probe.round == 2:
            raise RuntimeError("forced failure while checking the probe")

    with pytest.raises(RuntimeError, match="forced failure"):  # raised as it is, not as AWS's
        find_good_point(
            aws, TABLE, RULES, precision=HOUR, parallel=2, poll_seconds=0.05,
            on_probe=fail_in_round_two,
        )  # fmt: skip
    assert_no_probe_left(scenario)
    assert aws.journal is not None
    probes = [e.data for e in aws.journal.events() if e.kind == Kind.PROBE]
    assert len(probes) == 4 and all(p["deleted"] is True for p in probes)
    assert sum(p["error"] is not None for p in probes) >= 1


def test_cancel_stops_and_cleans_up(scenario: Scenario, tmp_path: Path) -> None:
    aws = make_aws(scenario, tmp_path)
    cancelled = threading.Event()

    def cancel_while_restoring(update: ProbeUpdate) -> None:
        if update.phase == "restoring" and update.probe.round == 2:
            cancelled.set()

    result = find_good_point(
        aws, TABLE, RULES, precision=HOUR, poll_seconds=0.05, cancelled=cancelled,
        on_probe=cancel_while_restoring,
    )  # fmt: skip
    assert not result.complete and result.rounds == 2
    assert [p.good is None for p in result.probes] == [False]  # round 2 was never recorded
    assert_no_probe_left(scenario)


def test_refusals_leave_nothing(scenario: Scenario, tmp_path: Path) -> None:
    with pytest.raises(ReadOnlyRefused):
        find_good_point(make_aws(scenario, tmp_path, read_only=True), TABLE, RULES,
                        precision=HOUR, poll_seconds=0.05)  # fmt: skip
    with pytest.raises(InvalidInput, match="50 concurrent restores"):
        find_good_point(make_aws(scenario, tmp_path), TABLE, RULES, precision=HOUR, parallel=51)
    with pytest.raises(InvalidInput, match="rules"):
        find_good_point(make_aws(scenario, tmp_path), TABLE, load_rules_for("other-table"),
                        precision=HOUR)  # fmt: skip
    assert_no_probe_left(scenario)
    assert {"lee-devices", "lee-users", "lee-sessions"} <= set(tables(scenario))
    assert datetime.now(UTC) > scenario.first_damage


def test_a_table_already_holding_the_probe_name_is_left_alone(
    scenario: Scenario, tmp_path: Path
) -> None:
    """Another find-good run made a probe of the same table under the same name between this
    run's listing and its restore: the restore fails (the name exists) and that table, which
    this run did not create, is neither deleted nor adopted by the sweep."""
    aws = make_aws(scenario, tmp_path)
    raw: Any = boto3.client(
        "dynamodb", endpoint_url=scenario.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    taken: list[str] = []
    updates: list[ProbeUpdate] = []

    def other_run_takes_the_name(update: ProbeUpdate) -> None:
        updates.append(update)
        if update.phase == "restoring" and not taken:
            raw.restore_table_to_point_in_time(  # a restore of TABLE, as the other run's probe
                SourceTableName=TABLE,
                TargetTableName=update.probe.target,
                UseLatestRestorableTime=True,
            )
            taken.append(update.probe.target)

    try:
        with pytest.raises(LeeError, match="already exists"):
            find_good_point(
                aws, TABLE, RULES, precision=HOUR, poll_seconds=0.05,
                on_probe=other_run_takes_the_name,
            )  # fmt: skip
        (other,) = taken
        assert other in tables(scenario)
        assert not [u for u in updates if u.phase in ("deleted", "left")]
        assert aws.journal is not None
        (probe,) = [e.data for e in aws.journal.events() if e.kind == Kind.PROBE]
        assert probe["target"] == other and probe["deleted"] is None and probe["error"]
        assert not [
            e for e in aws.journal.events()
            if e.kind == Kind.AWS_CALL and e.data.get("operation") == "DeleteTable"
        ]  # fmt: skip
    finally:
        for name in taken:
            while raw.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
                time.sleep(0.05)
            raw.delete_table(TableName=name)
    assert_no_probe_left(scenario)
