"""aws.settings against the bad-deployment sandbox: a restored table lacks its source's PITR,
TTL, tags, stream, deletion protection, auto scaling and alarm; apply puts them back and a
re-read shows each holds; --read-only changes nothing."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from sandbox_process import running_sandbox

from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.aws.settings import apply_settings, read_settings
from lee_console.core.drift import plan_drift
from lee_console.core.errors import ReadOnlyRefused
from lee_console.core.journal import Kind
from lee_console.store.journal_file import Journal

DEVICES, SESSIONS = "lee-devices", "lee-sessions"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with running_sandbox("bad-deployment", restore_seconds=1, restore_lag=0, items=200) as (
        endpoint,
        _,
    ):
        yield endpoint


def client(url: str, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def restore(url: str, source: str) -> str:
    """Restore ``source`` at its latest restorable time into a new table; wait for ACTIVE."""
    ddb = client(url, "dynamodb")
    target = f"{source}-r{uuid.uuid4().hex[:6]}"
    ddb.restore_table_to_point_in_time(
        SourceTableName=source, TargetTableName=target, UseLatestRestorableTime=True
    )
    deadline = time.monotonic() + 30
    while ddb.describe_table(TableName=target)["Table"]["TableStatus"] != "ACTIVE":
        assert time.monotonic() < deadline, f"{target} never became ACTIVE"
        time.sleep(0.2)
    return target


@pytest.fixture
def make_aws(url: str, journal: Journal) -> Callable[..., Aws]:
    def make(read_only: bool = False) -> Aws:
        settings = ConnectionSettings(endpoint_url=url, region="us-east-1", read_only=read_only)
        return Aws(settings, journal)

    return make


def test_source_settings_are_read_in_full(make_aws: Callable[..., Aws]) -> None:
    devices = read_settings(make_aws(), DEVICES)
    assert devices.pitr_enabled and devices.recovery_period_days == 35
    assert devices.tags == (("env", "prod"), ("project", "lee"))
    assert (devices.stream_enabled, devices.stream_view_type) == (True, "NEW_AND_OLD_IMAGES")
    assert devices.deletion_protection
    assert {t.dimension for t in devices.scalable_targets} == {
        "dynamodb:table:ReadCapacityUnits",
        "dynamodb:table:WriteCapacityUnits",
    }
    assert len(devices.scaling_policies) == 2
    assert "lee-devices-read-throttles" in {a.name for a in devices.alarms}
    sessions = read_settings(make_aws(), SESSIONS)
    assert (sessions.ttl_status, sessions.ttl_attribute) == ("ENABLED", "expires_at")


def test_a_restored_table_drifts_on_every_setting_it_lacks(
    url: str, make_aws: Callable[..., Aws]
) -> None:
    aws = make_aws()
    target = restore(url, DEVICES)
    restored = read_settings(aws, target)
    assert not restored.pitr_enabled and not restored.tags and not restored.stream_enabled
    assert not restored.deletion_protection and not restored.scalable_targets
    drifted = {d.setting for d in plan_drift(read_settings(aws, DEVICES), restored) if d.to_apply}
    assert drifted == {
        "pitr",
        "tags",
        "stream",
        "deletion-protection",
        "scaling-target table dynamodb:table:ReadCapacityUnits",
        "scaling-target table dynamodb:table:WriteCapacityUnits",
        "scaling-policy table lee-devices-read-utilization",
        "scaling-policy table lee-devices-write-utilization",
        "alarm lee-devices-read-throttles",
    }


@pytest.mark.parametrize("source", [DEVICES, SESSIONS])
def test_apply_then_re_read_shows_every_setting_holds(
    url: str, make_aws: Callable[..., Aws], journal: Journal, source: str
) -> None:
    aws = make_aws()
    target = restore(url, source)
    src, restored = read_settings(aws, source), read_settings(aws, target)
    drifts = plan_drift(src, restored)
    steps: list[str] = []
    result = apply_settings(aws, src, restored, drifts, on_step=lambda d: steps.append(d.setting))
    assert steps == [d.setting for d in drifts if d.to_apply]
    assert result.errors == {}
    assert result.holds and result.all_hold, result.holds
    assert all(d.in_sync for d in plan_drift(src, read_settings(aws, target)))
    [event] = [e for e in journal.events() if e.kind == Kind.SETTINGS_APPLIED]
    assert event.data["source"] == source and event.data["target"] == target
    assert event.data["holds"] is True
    assert event.data["settings"] == steps
    assert set(event.data["results"].values()) == {"holds"}
    operations = {e.data["operation"] for e in journal.events() if e.kind == Kind.AWS_CALL}
    assert {"UpdateContinuousBackups", "TagResource"} <= operations


def test_the_alarm_copy_watches_the_restored_table(url: str, make_aws: Callable[..., Aws]) -> None:
    aws = make_aws()
    target = restore(url, DEVICES)
    src, restored = read_settings(aws, DEVICES), read_settings(aws, target)
    apply_settings(aws, src, restored, plan_drift(src, restored))
    alarms = client(url, "cloudwatch").describe_alarms(AlarmNames=[f"{target}-read-throttles"])
    [alarm] = alarms["MetricAlarms"]
    assert alarm["Dimensions"] == [{"Name": "TableName", "Value": target}]
    assert alarm["MetricName"] == "ReadThrottleEvents" and alarm["Threshold"] == 10.0
    original = client(url, "cloudwatch").describe_alarms(AlarmNames=["lee-devices-read-throttles"])
    assert original["MetricAlarms"][0]["Dimensions"][0]["Value"] == DEVICES


def test_read_only_refuses_and_changes_nothing(
    url: str, make_aws: Callable[..., Aws], journal: Journal
) -> None:
    aws = make_aws(read_only=True)
    target = restore(url, DEVICES)
    src, restored = read_settings(aws, DEVICES), read_settings(aws, target)
    with pytest.raises(ReadOnlyRefused):
        apply_settings(aws, src, restored, plan_drift(src, restored))
    assert read_settings(aws, target) == restored
    assert not [e for e in journal.events() if e.kind == Kind.SETTINGS_APPLIED]


def test_nothing_to_apply_makes_no_call(url: str, make_aws: Callable[..., Aws]) -> None:
    aws = make_aws(read_only=True)  # any change would be refused
    src = read_settings(aws, DEVICES)
    result = apply_settings(aws, src, src, plan_drift(src, src))
    assert result.applied == [] and result.all_hold
