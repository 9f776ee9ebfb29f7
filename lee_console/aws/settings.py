"""Reading a table's settings (the ones a restore drops) and re-applying a source table's
settings to the table restored from it.

For the UI: every function returns data and prints nothing; call them from thread workers.

    source, restored = read_settings(aws, "lee-devices"), read_settings(aws, "lee-devices-r")
    drifts = plan_drift(source, restored)            # core.drift
    result = apply_settings(aws, source, restored, drifts, on_step=...)
    result.holds  # {setting: True/False} from a re-read after the changes
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from lee_console.aws.errors import translate
from lee_console.aws.readonly import refusal
from lee_console.aws.session import Aws
from lee_console.aws.tables import describe_table_raw
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
)
from lee_console.core.errors import LeeError, ReadOnlyRefused, TableInUse
from lee_console.core.journal import Kind
from lee_console.core.settings_runs import interrupted_applies, resumed_fields
from lee_console.store.processes import this_process

NAMESPACE = "dynamodb"
ACTIVE_DEADLINE_SECONDS = 600.0
_POLL_SECONDS = 2.0
_ALARM_KEYS = (
    "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions", "InsufficientDataActions",
    "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions", "Period", "Unit",
    "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator",
    "TreatMissingData", "EvaluateLowSampleCountPercentile", "Metrics", "ThresholdMetricId",
)  # fmt: skip
_POLICY_CONFIGS = (
    "TargetTrackingScalingPolicyConfiguration",
    "StepScalingPolicyConfiguration",
    "PredictiveScalingPolicyConfiguration",
)


@dataclass(frozen=True)
class ApplyResult:
    source: str
    restored: str
    applied: list[Drift]  # the settings apply changed (or tried to)
    errors: dict[str, str] = field(default_factory=dict)  # setting -> the error's sentence
    after: list[Drift] = field(default_factory=list)  # the drift re-read after the changes
    holds: dict[str, bool] = field(default_factory=dict)  # setting -> matches after re-read

    @property
    def all_hold(self) -> bool:
        return all(self.holds.values())


def read_settings(aws: Aws, table: str) -> TableSettings:
    """Everything ``plan_drift`` compares, read with Describe/List calls only."""
    raw = describe_table_raw(aws, table)
    doing = f"read the settings of {table}"
    try:
        ddb = aws.dynamodb
        pitr = ddb.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"]
        pitr = pitr.get("PointInTimeRecoveryDescription", {})
        ttl = ddb.describe_time_to_live(TableName=table).get("TimeToLiveDescription", {})
        tags = _tags(aws, raw["TableArn"])
    except Exception as error:
        raise translate(error, doing) from None
    stream = raw.get("StreamSpecification") or {}
    indexes = [g["IndexName"] for g in raw.get("GlobalSecondaryIndexes", [])]
    targets, policies = read_scaling(aws, table, indexes)
    return TableSettings(
        table=table,
        pitr_enabled=pitr.get("PointInTimeRecoveryStatus") == "ENABLED",
        recovery_period_days=pitr.get("RecoveryPeriodInDays"),
        ttl_status=ttl.get("TimeToLiveStatus", "DISABLED"),
        ttl_attribute=ttl.get("AttributeName"),
        tags=tuple(sorted((t["Key"], t["Value"]) for t in tags)),
        stream_enabled=bool(stream.get("StreamEnabled")),
        stream_view_type=stream.get("StreamViewType") if stream.get("StreamEnabled") else None,
        deletion_protection=bool(raw.get("DeletionProtectionEnabled")),
        scalable_targets=targets,
        scaling_policies=policies,
        alarms=read_alarms(aws, table),
    )


def _tags(aws: Aws, arn: str) -> list[dict[str, str]]:
    tags: list[dict[str, str]] = []
    kwargs: dict[str, Any] = {"ResourceArn": arn}
    while True:
        page = aws.dynamodb.list_tags_of_resource(**kwargs)
        tags.extend(page.get("Tags", []))
        if not page.get("NextToken"):
            return tags
        kwargs["NextToken"] = page["NextToken"]


def resource_id(table: str, scope: str) -> str:
    return f"table/{table}" if scope == "table" else f"table/{table}/{scope}"


def _scope(table: str, resource: str) -> str:
    rest = resource.removeprefix(f"table/{table}")
    return rest.lstrip("/") or "table"


def read_scaling(
    aws: Aws, table: str, indexes: list[str]
) -> tuple[tuple[ScalableTarget, ...], tuple[ScalingPolicy, ...]]:
    """The auto scaling targets and policies of ``table`` and its ``indexes``, by name."""
    resources = [resource_id(table, "table")] + [
        resource_id(table, f"index/{name}") for name in indexes
    ]
    client = aws.client("application-autoscaling")
    targets: list[ScalableTarget] = []
    policies: list[ScalingPolicy] = []
    try:
        pages = client.get_paginator("describe_scalable_targets").paginate(
            ServiceNamespace=NAMESPACE, ResourceIds=resources
        )
        for page in pages:
            for t in page.get("ScalableTargets", []):
                if t.get("ResourceId") not in resources:
                    continue
                targets.append(
                    ScalableTarget(
                        _scope(table, t["ResourceId"]),
                        t["ScalableDimension"],
                        int(t["MinCapacity"]),
                        int(t["MaxCapacity"]),
                    )
                )
        for resource in resources:
            pages = client.get_paginator("describe_scaling_policies").paginate(
                ServiceNamespace=NAMESPACE, ResourceId=resource
            )
            for page in pages:
                policies.extend(
                    _policy(table, p)
                    for p in page.get("ScalingPolicies", [])
                    if p.get("ResourceId") == resource  # moto's filter also matches others
                )
    except Exception as error:
        raise translate(error, f"read the auto scaling of {table}") from None
    return (
        tuple(sorted(targets, key=lambda t: (t.scope, t.dimension))),
        tuple(sorted(policies, key=lambda p: (p.scope, p.dimension, p.name))),
    )


def _policy(table: str, raw: dict[str, Any]) -> ScalingPolicy:
    config: Any = next((raw[key] for key in _POLICY_CONFIGS if key in raw), {})
    return ScalingPolicy(
        scope=_scope(table, raw["ResourceId"]),
        dimension=raw["ScalableDimension"],
        name=raw["PolicyName"],
        policy_type=raw.get("PolicyType", "TargetTrackingScaling"),
        configuration=canonical(config),
    )


def read_alarms(aws: Aws, table: str) -> tuple[Alarm, ...]:
    """The metric alarms whose dimensions name ``table``."""
    alarms: list[Alarm] = []
    try:
        pages = (
            aws.client("cloudwatch")
            .get_paginator("describe_alarms")
            .paginate(AlarmTypes=["MetricAlarm"])
        )
        for page in pages:
            for raw in page.get("MetricAlarms", []):
                spec = {k: raw[k] for k in _ALARM_KEYS if raw.get(k) not in (None, [], "")}
                if alarm_names_table(spec, table):
                    alarms.append(Alarm(name=raw["AlarmName"], spec=canonical(spec)))
    except Exception as error:
        raise translate(error, f"read the CloudWatch alarms on {table}") from None
    return tuple(sorted(alarms, key=lambda a: a.name))


def apply_settings(
    aws: Aws,
    source: TableSettings,
    restored: TableSettings,
    drifts: list[Drift],
    on_step: Callable[[Drift], None] | None = None,
    active_deadline: float = ACTIVE_DEADLINE_SECONDS,
) -> ApplyResult:
    """Make every drift with ``to_apply`` hold on the restored table, then re-read it. An error
    on one setting is recorded and the others go on; --read-only stops at the first change.
    Journals ``settings-applying`` (what it is about to apply) before the first change and
    ``settings-applied`` after the re-read, which also ends the applies to this table that a
    killed run left unfinished (core/settings_runs.py), naming what of them held."""
    applied = [d for d in drifts if d.to_apply]
    if applied and aws.settings.read_only:  # refused before a start is journaled
        raise refusal(f"Refused to apply {len(applied)} setting(s) to {restored.table}")
    journal = aws.journal
    earlier = interrupted_applies(journal.events(), restored.table) if journal else []
    run_id = uuid.uuid4().hex[:12]
    common: dict[str, Any] = {"run_id": run_id, "source": source.table, "target": restored.table}
    if source.backup:
        common["source_backup"] = source.backup.arn
    if journal is not None and applied:
        journal.append(
            Kind.SETTINGS_APPLYING,
            **common,
            settings=[d.setting for d in applied],
            **this_process(),
        )
    errors: dict[str, str] = {}
    for drift in applied:
        if on_step is not None:
            on_step(drift)
        try:
            _apply_one(aws, source, restored.table, drift.setting, active_deadline)
        except ReadOnlyRefused:
            raise
        except LeeError as error:
            errors[drift.setting] = error.message
    after = plan_drift(source, read_settings(aws, restored.table)) if applied else list(drifts)
    holds = holds_after(applied, after)
    result = ApplyResult(source.table, restored.table, applied, errors, after, holds)
    if journal is not None and (applied or earlier):
        journal.append(
            Kind.SETTINGS_APPLIED,
            **common,
            settings=[d.setting for d in applied],
            holds=result.all_hold,
            results={s: "holds" if ok else "does-not-hold" for s, ok in holds.items()},
            errors=errors,
            resumed=resumed_fields(earlier, drifts),
        )
    return result


def _apply_one(aws: Aws, source: TableSettings, target: str, setting: str, deadline: float) -> None:
    ddb = aws.dynamodb
    doing = f"apply {setting} to {target}"
    kind, _, rest = setting.partition(" ")
    try:
        if kind == "pitr":
            spec: dict[str, Any] = {"PointInTimeRecoveryEnabled": True}
            if source.recovery_period_days is not None:
                spec["RecoveryPeriodInDays"] = source.recovery_period_days
            ddb.update_continuous_backups(TableName=target, PointInTimeRecoverySpecification=spec)
        elif kind == "ttl":
            ddb.update_time_to_live(
                TableName=target,
                TimeToLiveSpecification={"Enabled": True, "AttributeName": source.ttl_attribute},
            )
        elif kind == "tags":
            arn = describe_table_raw(aws, target)["TableArn"]
            tags = [{"Key": k, "Value": v} for k, v in source.tags]
            ddb.tag_resource(ResourceArn=arn, Tags=tags)
        elif kind == "stream":
            wait_active(aws, target, deadline)
            stream = {"StreamEnabled": True, "StreamViewType": source.stream_view_type}
            ddb.update_table(TableName=target, StreamSpecification=stream)
            wait_active(aws, target, deadline)
        elif kind == "deletion-protection":
            wait_active(aws, target, deadline)
            ddb.update_table(TableName=target, DeletionProtectionEnabled=True)
        elif kind == "scaling-target":
            scope, dimension = rest.split(" ", 1)
            t = next(
                t for t in source.scalable_targets if (t.scope, t.dimension) == (scope, dimension)
            )
            aws.client("application-autoscaling").register_scalable_target(
                ServiceNamespace=NAMESPACE,
                ResourceId=resource_id(target, t.scope),
                ScalableDimension=t.dimension,
                MinCapacity=t.min_capacity,
                MaxCapacity=t.max_capacity,
            )
        elif kind == "scaling-policy":
            scope, name = rest.split(" ", 1)
            p = next(p for p in source.scaling_policies if (p.scope, p.name) == (scope, name))
            p = copied_policy(p, source.table, target)
            config_key = f"{p.policy_type}PolicyConfiguration"
            aws.client("application-autoscaling").put_scaling_policy(
                PolicyName=p.name,
                ServiceNamespace=NAMESPACE,
                ResourceId=resource_id(target, p.scope),
                ScalableDimension=p.dimension,
                PolicyType=p.policy_type,
                **{config_key: json.loads(p.configuration)},
            )
        elif kind == "alarm":
            alarm = next(a for a in source.alarms if a.name == rest)
            copy = copied_alarm(alarm, source.table, target)
            aws.client("cloudwatch").put_metric_alarm(AlarmName=copy.name, **json.loads(copy.spec))
        else:
            raise ValueError(f"unknown setting {setting!r}")
    except Exception as error:
        raise translate(error, doing) from None


def wait_active(aws: Aws, table: str, deadline_seconds: float) -> None:
    """UpdateTable on a table that is not ACTIVE fails (ResourceInUseException); wait for it."""
    end = time.monotonic() + deadline_seconds
    while True:
        status = describe_table_raw(aws, table).get("TableStatus")
        if status == "ACTIVE":
            return
        if time.monotonic() >= end:
            raise TableInUse(
                f"{table} is still {status} after {deadline_seconds:.0f} s; apply again when "
                "it is ACTIVE."
            )
        time.sleep(_POLL_SECONDS)
