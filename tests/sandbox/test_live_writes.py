"""--live-writes: a seeded drill sandbox keeps making legitimate device writes while it serves,
to the table /lee/tables/devices names, and records them in its truth file; the digests the
truth gives are the ones the console computes from what it reads back through boto3, and PITR
history holds the live writes as it holds a client's PutItem."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from boto3.dynamodb.types import TypeDeserializer
from sandbox_helpers import client, scan_all
from sandbox_process import running_sandbox

from lee_console.aws.scan import item_from_wire
from lee_console.core.diff import item_hash
from lee_console.store.rules_file import shipped_rule_sets

_deserializer = TypeDeserializer()


@dataclass
class Drill:
    url: str
    truth_file: Path

    def truth(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.truth_file.read_text())
        return data

    def live(self, table: str | None = None) -> list[dict[str, Any]]:
        return [
            w
            for w in self.truth()["legit_writes"]
            if "table" in w and (table is None or w["table"] == table)
        ]

    def wait_for_writes(self, table: str, more_than: int, timeout: float = 5.0) -> list[Any]:
        deadline = time.monotonic() + timeout
        while True:
            writes = self.live(table)
            if len(writes) > more_than or time.monotonic() > deadline:
                return writes
            time.sleep(0.2)


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Drill]:
    truth_file = tmp_path_factory.mktemp("drill") / "truth.json"
    with running_sandbox(
        scenario="bad-deployment",
        items=300,
        restore_seconds=1,
        restore_lag=0,
        truth_file=truth_file,
        extra_args=("--live-writes", "600", "--seed", "7"),
    ) as (url, _):
        yield Drill(url, truth_file)
    # stopped (SIGTERM, exit 0): the file holds every write, none to a damaged item
    final = json.loads(truth_file.read_text())
    damaged = {key["device_id"] for key in final["damaged_keys"]}
    assert not damaged & {w["key"]["device_id"] for w in final["legit_writes"] if "table" in w}


def _digest_via_boto3(wire: dict[str, Any]) -> str:
    return item_hash({k: _deserializer.deserialize(v) for k, v in wire.items()}).hex()


def _digest_as_console_scans(wire: dict[str, Any]) -> str:
    return item_hash(item_from_wire(wire)).hex()


def test_live_writes_are_made_recorded_and_read_back_with_their_digests(drill: Drill) -> None:
    writes = drill.wait_for_writes("lee-devices", more_than=10)
    assert len(writes) > 10  # 600 a minute: about 10 a second
    truth = drill.truth()
    seeded_at = truth["seeded_at"]
    assert all(w["at"] > seeded_at for w in writes)
    assert truth["seed"] == 7
    ddb = client(drill.url)
    items = {i["device_id"]["S"]: i for i in scan_all(ddb, "lee-devices", ConsistentRead=True)}
    time.sleep(0.8)  # a write made while scanning is in the file by now
    after = drill.truth()
    stable = {d for d, h in truth["expected"].items() if after["expected"][d] == h}
    damaged = set(truth["damaged_digests"])
    written = {w["key"]["device_id"] for w in writes}
    assert len(written & stable) >= 5
    rules = shipped_rule_sets()["lee-devices"]
    for device, wire in items.items():
        if device in damaged:
            expected = truth["damaged_digests"][device]
        elif device in stable:
            expected = truth["expected"][device]
        else:
            continue  # written again between the two reads of the truth
        assert _digest_via_boto3(wire) == expected, device
        assert _digest_as_console_scans(wire) == expected, device
        if device in written:
            got = ddb.get_item(TableName="lee-devices", Key={"device_id": {"S": device}})
            assert _digest_via_boto3(got["Item"]) == expected
            assert rules.check(item_from_wire(got["Item"])) == []


def _restore(ddb: Any, name: str, point: float) -> None:
    while time.time() < point + 0.05:  # a point in the future is refused
        time.sleep(0.05)
    ddb.restore_table_to_point_in_time(
        SourceTableName="lee-devices",
        TargetTableName=name,
        RestoreDateTime=datetime.fromtimestamp(point, UTC),
    )


def _wait_active(ddb: Any, name: str) -> None:
    deadline = time.monotonic() + 10
    while ddb.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
        assert time.monotonic() < deadline
        time.sleep(0.2)


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def test_a_restore_after_a_live_write_holds_it_and_one_before_does_not(drill: Drill) -> None:
    writes = drill.wait_for_writes("lee-devices", more_than=3)
    point = math.floor(_epoch(writes[-1]["at"])) + 1.0  # a whole second after a live write
    ddb = client(drill.url)
    after = f"drill-after-{int(point)}"
    _restore(ddb, after, point)
    time.sleep(0.6)  # every write up to the point is in the truth file now
    times: dict[str, list[float]] = {}
    for w in drill.live("lee-devices"):
        if _epoch(w["at"]) <= point:
            times.setdefault(w["key"]["device_id"], []).append(_epoch(w["at"]))
    # a device whose last write before the point is alone in its second
    device, at = next(
        (d, ts[-1])
        for d, ts in sorted(times.items())
        if len(ts) == 1 or math.floor(ts[-2]) < math.floor(ts[-1])
    )
    before = f"drill-before-{int(point)}"
    _restore(ddb, before, at - 0.001)
    for name in (after, before):
        _wait_active(ddb, name)
    key = {"device_id": {"S": device}}
    second = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(at))
    kept = ddb.get_item(TableName=after, Key=key)["Item"]
    older = ddb.get_item(TableName=before, Key=key)["Item"]
    assert kept["updated_at"]["S"] == second
    assert older["updated_at"]["S"] < second
    assert int(kept["version"]["N"]) == int(older["version"]["N"]) + 1


def test_writes_follow_the_ssm_parameter_and_skip_a_missing_or_creating_table(
    drill: Drill,
) -> None:
    ddb, ssm = client(drill.url), client(drill.url, "ssm")
    parameter = "/lee/tables/devices"

    def point_at(table: str) -> None:
        ssm.put_parameter(Name=parameter, Value=table, Type="String", Overwrite=True)

    try:
        point_at("lee-devices-gone")  # no such table: the app fails, nothing is written
        time.sleep(1.0)
        assert drill.live("lee-devices-gone") == []

        name = f"drill-repointed-{int(time.time())}"
        started = time.time()
        _restore(ddb, name, started - 1.0)
        point_at(name)  # CREATING for 1 s (--restore-seconds 1): skipped until ACTIVE
        writes = drill.wait_for_writes(name, more_than=3)
        assert len(writes) > 3
        assert all(_epoch(w["at"]) >= started + 1.0 for w in writes)
        truth = drill.truth()
        device = writes[-1]["key"]["device_id"]
        got = ddb.get_item(TableName=name, Key={"device_id": {"S": device}}, ConsistentRead=True)
        time.sleep(0.6)
        later = drill.truth()  # the device may have been written once more meanwhile
        assert _digest_via_boto3(got["Item"]) in {
            truth["expected"][device],
            later["expected"][device],
        }
    finally:
        point_at("lee-devices")
