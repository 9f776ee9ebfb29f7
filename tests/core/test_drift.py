"""core.drift: what a restored table lacks of its source's settings, and how it is copied."""

from __future__ import annotations

import json

from lee_console.core.drift import (
    Alarm,
    Drift,
    ScalableTarget,
    ScalingPolicy,
    TableSettings,
    alarm_names_table,
    canonical,
    copied_alarm,
    copied_policy,
    holds_after,
    plan_drift,
    retarget,
)

DEVICES_DIMENSION = {"Name": "TableName", "Value": "lee-devices"}
ALARM_SPEC = {
    "Namespace": "AWS/DynamoDB",
    "MetricName": "ReadThrottleEvents",
    "Dimensions": [{"Name": "TableName", "Value": "lee-devices"}],
    "Threshold": 10.0,
    "AlarmActions": ["arn:aws:sns:us-east-1:1:lee-devices-oncall"],
}
TRACKING = canonical(
    {"TargetValue": 70.0, "PredefinedMetricSpecification": {"PredefinedMetricType": "X"}}
)


def source() -> TableSettings:
    return TableSettings(
        table="lee-devices",
        pitr_enabled=True,
        recovery_period_days=35,
        ttl_status="ENABLED",
        ttl_attribute="expires_at",
        tags=(("env", "prod"), ("project", "lee")),
        stream_enabled=True,
        stream_view_type="NEW_AND_OLD_IMAGES",
        deletion_protection=True,
        scalable_targets=(ScalableTarget("table", "dynamodb:table:ReadCapacityUnits", 5, 500),),
        scaling_policies=(
            ScalingPolicy(
                "table",
                "dynamodb:table:ReadCapacityUnits",
                "reads",
                "TargetTrackingScaling",
                TRACKING,
            ),
        ),
        alarms=(
            Alarm("lee-devices-read-throttles", canonical(ALARM_SPEC)),
            Alarm("TargetTracking-table/lee-devices-AlarmHigh-1", canonical(ALARM_SPEC)),
        ),
    )


def by_setting(drifts: list[Drift]) -> dict[str, Drift]:
    return {d.setting: d for d in drifts}


def test_a_fresh_restore_drifts_on_every_setting_and_each_is_applicable() -> None:
    drifts = by_setting(plan_drift(source(), TableSettings(table="lee-devices-r")))
    assert list(drifts) == [
        "pitr",
        "ttl",
        "tags",
        "stream",
        "deletion-protection",
        "scaling-target table dynamodb:table:ReadCapacityUnits",
        "scaling-policy table reads",
        "alarm lee-devices-read-throttles",
    ]
    assert all(not d.in_sync and d.to_apply for d in drifts.values())
    assert drifts["pitr"].source_value == "on, 35 days"
    assert drifts["pitr"].restored_value == "off"
    assert "35 days" in drifts["pitr"].action
    assert drifts["ttl"].action == "UpdateTimeToLive: enable on expires_at"
    assert drifts["tags"].action == "TagResource: env=prod, project=lee"
    assert "NEW_AND_OLD_IMAGES" in drifts["stream"].action
    assert drifts["alarm lee-devices-read-throttles"].action == (
        "PutMetricAlarm: lee-devices-r-read-throttles"
    )


def test_the_policy_managed_alarms_are_not_copied() -> None:
    drifts = plan_drift(source(), TableSettings(table="x"))
    assert not any("TargetTracking" in d.setting for d in drifts)


def test_a_matching_restored_table_is_in_sync_with_nothing_to_do() -> None:
    src = source()
    alarm = copied_alarm(src.alarms[0], "lee-devices", "lee-devices-r")
    restored = TableSettings(
        table="lee-devices-r",
        pitr_enabled=True,
        recovery_period_days=35,
        ttl_status="ENABLING",  # AWS takes up to an hour to say ENABLED
        ttl_attribute="expires_at",
        tags=(("env", "prod"), ("extra", "1"), ("project", "lee")),
        stream_enabled=True,
        stream_view_type="NEW_AND_OLD_IMAGES",
        deletion_protection=True,
        scalable_targets=src.scalable_targets,
        scaling_policies=src.scaling_policies,
        alarms=(alarm,),
    )
    drifts = plan_drift(src, restored)
    assert all(d.in_sync and not d.to_apply and d.action == "" for d in drifts)


def test_settings_the_source_lacks_are_in_sync_when_both_are_off() -> None:
    drifts = plan_drift(TableSettings(table="a"), TableSettings(table="b"))
    assert [d.setting for d in drifts] == ["pitr", "ttl", "tags", "stream", "deletion-protection"]
    assert all(d.in_sync for d in drifts)


def test_changes_that_need_a_destructive_step_are_left_to_the_operator() -> None:
    src = TableSettings(
        table="a",
        pitr_enabled=True,
        recovery_period_days=7,
        ttl_status="ENABLED",
        ttl_attribute="expires_at",
        stream_enabled=True,
        stream_view_type="KEYS_ONLY",
    )
    restored = TableSettings(
        table="b",
        pitr_enabled=True,
        recovery_period_days=35,
        ttl_status="ENABLED",
        ttl_attribute="other",
        stream_enabled=True,
        stream_view_type="NEW_IMAGE",
        deletion_protection=True,
    )
    drifts = by_setting(plan_drift(src, restored))
    for name in ("pitr", "ttl", "stream"):
        assert not drifts[name].in_sync and not drifts[name].automatic, name
    assert "destructive" in drifts["pitr"].action
    assert not drifts["deletion-protection"].to_apply  # on where the source is off: left on


def test_a_shorter_source_recovery_period_is_raised_on_the_restored_table() -> None:
    src = TableSettings(table="a", pitr_enabled=True, recovery_period_days=35)
    restored = TableSettings(table="b", pitr_enabled=True, recovery_period_days=7)
    drift = by_setting(plan_drift(src, restored))["pitr"]
    assert drift.to_apply and drift.source_value == "on, 35 days"


def test_a_missing_tag_or_a_changed_value_drifts_and_only_those_are_applied() -> None:
    src = TableSettings(table="a", tags=(("env", "prod"), ("project", "lee")))
    restored = TableSettings(table="b", tags=(("env", "dev"), ("project", "lee")))
    drift = by_setting(plan_drift(src, restored))["tags"]
    assert drift.action == "TagResource: env=prod"


def test_a_differing_scaling_target_or_policy_drifts() -> None:
    src = source()
    restored = TableSettings(
        table="r",
        scalable_targets=(ScalableTarget("table", "dynamodb:table:ReadCapacityUnits", 1, 10),),
        scaling_policies=(
            ScalingPolicy(
                "table",
                "dynamodb:table:ReadCapacityUnits",
                "reads",
                "TargetTrackingScaling",
                canonical({"TargetValue": 50.0}),
            ),
        ),
    )
    drifts = by_setting(plan_drift(src, restored))
    target = drifts["scaling-target table dynamodb:table:ReadCapacityUnits"]
    assert (target.source_value, target.restored_value) == ("5-500", "1-10")
    policy = drifts["scaling-policy table reads"]
    assert policy.to_apply and policy.source_value == "target 70 X"


def test_retarget_swaps_only_table_name_dimensions() -> None:
    spec = {
        "Dimensions": [
            {"Name": "TableName", "Value": "lee-devices"},
            {"Name": "Operation", "Value": "lee-devices"},
        ],
        "Metrics": [
            {"MetricStat": {"Metric": {"Dimensions": [DEVICES_DIMENSION]}}},
        ],
        "AlarmActions": ["arn:aws:sns:lee-devices"],
    }
    out = retarget(spec, "lee-devices", "new")
    assert out["Dimensions"][0]["Value"] == "new"
    assert out["Dimensions"][1]["Value"] == "lee-devices"
    assert out["Metrics"][0]["MetricStat"]["Metric"]["Dimensions"][0]["Value"] == "new"
    assert out["AlarmActions"] == ["arn:aws:sns:lee-devices"]
    assert alarm_names_table(spec, "lee-devices")
    assert not alarm_names_table(spec, "lee-users")


def test_copied_alarm_is_renamed_after_the_restored_table_or_suffixed() -> None:
    named = copied_alarm(Alarm("lee-devices-high", canonical(ALARM_SPEC)), "lee-devices", "r")
    assert named.name == "r-high"
    assert json.loads(named.spec)["Dimensions"] == [{"Name": "TableName", "Value": "r"}]
    other = copied_alarm(Alarm("throttles", canonical(ALARM_SPEC)), "lee-devices", "r")
    assert other.name == "throttles-r"


def test_copied_policy_retargets_a_custom_metric() -> None:
    config = {"CustomizedMetricSpecification": {"Dimensions": [{"Name": "TableName",
              "Value": "a"}]}}  # fmt: skip
    policy = ScalingPolicy("table", "d", "p", "TargetTrackingScaling", canonical(config))
    copy = copied_policy(policy, "a", "b")
    assert json.loads(copy.configuration)["CustomizedMetricSpecification"]["Dimensions"][0] == {
        "Name": "TableName",
        "Value": "b",
    }


def test_holds_after_reports_each_applied_setting_from_the_re_read() -> None:
    applied = [Drift("pitr", "on", "off", False, "x"), Drift("tags", "a", "none", False, "y")]
    after = [Drift("pitr", "on", "on", True, ""), Drift("tags", "a", "none", False, "y")]
    assert holds_after(applied, after) == {"pitr": True, "tags": False}
