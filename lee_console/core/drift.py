"""Settings drift between a source table and the table restored from it.

A restore does not carry over PITR, TTL, tags, streams, deletion protection, auto scaling or
the table's CloudWatch alarms. ``plan_drift`` compares what each table has and says, setting by
setting, whether the restored one matches and what would make it match. Pure: the values come
from aws/settings.py, which also carries the plan out.

Setting names (``Drift.setting``): ``pitr``, ``ttl``, ``tags``, ``stream``,
``deletion-protection``, ``scaling-target SCOPE DIMENSION`` (SCOPE is ``table`` or
``index/NAME``), ``scaling-policy SCOPE NAME`` and ``alarm NAME`` (the source alarm's name).

A source whose table is gone (an accidental delete) comes from its backup
(core.drift_backup): ``TableSettings.backup`` says which, and the settings the backup does not
record show as unknown (by hand; in sync once the restored table has one, which is all the
console can check), PITR's recovery period as assumed, and deletion protection as off at
deletion with turning it on recommended.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lee_console.core.drift_backup import BackupSource

# Alarms that application auto scaling creates for its target-tracking policies: they belong to
# the policy (PutScalingPolicy makes them for the restored table) and must not be copied.
MANAGED_ALARM_PREFIX = "TargetTracking-"
TABLE_DIMENSION = "TableName"


@dataclass(frozen=True)
class ScalableTarget:
    scope: str  # "table" or "index/NAME"
    dimension: str  # dynamodb:table:ReadCapacityUnits, dynamodb:index:WriteCapacityUnits, ...
    min_capacity: int
    max_capacity: int


@dataclass(frozen=True)
class ScalingPolicy:
    scope: str
    dimension: str
    name: str
    policy_type: str  # TargetTrackingScaling | StepScaling
    configuration: str  # canonical JSON of the policy's configuration block


@dataclass(frozen=True)
class Alarm:
    name: str
    spec: str  # canonical JSON of the PutMetricAlarm parameters other than AlarmName


@dataclass(frozen=True)
class TableSettings:
    table: str
    pitr_enabled: bool = False
    recovery_period_days: int | None = None
    ttl_status: str = "DISABLED"  # ENABLED | ENABLING | DISABLING | DISABLED
    ttl_attribute: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    stream_enabled: bool = False
    stream_view_type: str | None = None
    deletion_protection: bool = False
    scalable_targets: tuple[ScalableTarget, ...] = ()
    scaling_policies: tuple[ScalingPolicy, ...] = ()
    alarms: tuple[Alarm, ...] = field(default=())
    backup: BackupSource | None = None  # the settings were taken from this backup

    def unknown(self, setting: str) -> bool:
        return self.backup is not None and setting in self.backup.unknown

    @property
    def ttl_on(self) -> bool:
        return self.ttl_status in ("ENABLED", "ENABLING")


@dataclass(frozen=True)
class Drift:
    setting: str
    source_value: str
    restored_value: str
    in_sync: bool
    action: str  # what apply does ("" when in sync), or what the operator must do by hand
    automatic: bool = True  # False: apply leaves it (it would need a destructive change)

    @property
    def to_apply(self) -> bool:
        return not self.in_sync and self.automatic

    def to_json(self) -> dict[str, Any]:
        return {
            "setting": self.setting,
            "source": self.source_value,
            "restored": self.restored_value,
            "in_sync": self.in_sync,
            "action": self.action,
            "automatic": self.automatic,
        }


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def retarget(value: Any, source: str, restored: str) -> Any:
    """``value`` with every {"Name": "TableName", "Value": source} dimension naming
    ``restored`` instead, at any depth (alarm Dimensions, metric queries, custom metrics)."""
    if isinstance(value, list):
        return [retarget(item, source, restored) for item in value]
    if isinstance(value, dict):
        if value.get("Name") == TABLE_DIMENSION and value.get("Value") == source:
            return {**value, "Value": restored}
        return {key: retarget(item, source, restored) for key, item in value.items()}
    return value


def alarm_names_table(spec: dict[str, Any], table: str) -> bool:
    """Whether an alarm's dimensions (or its metric queries' dimensions) name ``table``."""
    return bool(retarget(spec, table, "\0") != spec)


def copied_alarm(alarm: Alarm, source: str, restored: str) -> Alarm:
    """The alarm the restored table should have: the same definition with the restored table as
    its TableName dimension, named after the restored table (or suffixed with its name). A
    table restored under its own name keeps the alarm as it is."""
    if source == restored:
        return alarm
    name = (
        alarm.name.replace(source, restored) if source in alarm.name else f"{alarm.name}-{restored}"
    )
    return Alarm(name=name, spec=canonical(retarget(json.loads(alarm.spec), source, restored)))


def _onoff(on: bool) -> str:
    return "on" if on else "off"


_UNKNOWN = "unknown: not kept in the backup"


def _unknown(setting: str, dst: str, restored_has_it: bool) -> Drift:
    if restored_has_it:
        return Drift(setting, _UNKNOWN, dst, True, "")
    return Drift(setting, _UNKNOWN, dst, False, "set by hand", False)


def _pitr(source: TableSettings, restored: TableSettings) -> Drift:
    def show(s: TableSettings) -> str:
        return f"on, {s.recovery_period_days or 35} days" if s.pitr_enabled else "off"

    src, dst = show(source), show(restored)
    if source.unknown("pitr"):
        return _unknown("pitr", dst, restored.pitr_enabled)
    if source.backup is not None and "pitr" in source.backup.assumed:
        src += " (period assumed)"
    if not source.pitr_enabled:
        if restored.pitr_enabled:
            return Drift(
                "pitr", src, dst, False, "leave on (more protection than the source)", False
            )
        return Drift("pitr", src, dst, True, "")
    days = source.recovery_period_days or 35
    if restored.pitr_enabled and (restored.recovery_period_days or 35) > days:
        return Drift(
            "pitr",
            src,
            dst,
            False,
            f"lowering the recovery period to {days} days is destructive: use enable-pitr "
            "--recovery-period-days with --confirm",
            False,
        )
    if restored.pitr_enabled and (restored.recovery_period_days or 35) == days:
        return Drift("pitr", src, dst, True, "")
    return Drift("pitr", src, dst, False, f"UpdateContinuousBackups: PITR on, {days} days")


def _ttl(source: TableSettings, restored: TableSettings) -> Drift:
    def show(s: TableSettings) -> str:
        return f"{s.ttl_status.lower()} on {s.ttl_attribute}" if s.ttl_attribute else "off"

    src, dst = show(source), show(restored)
    if source.unknown("ttl"):
        return _unknown("ttl", dst, restored.ttl_on)
    if not source.ttl_on:
        if restored.ttl_on:
            return Drift("ttl", src, dst, False, "leave on, or disable it by hand", False)
        return Drift("ttl", src, dst, True, "")
    if restored.ttl_on and restored.ttl_attribute == source.ttl_attribute:
        return Drift("ttl", src, dst, True, "")
    if restored.ttl_status != "DISABLED":
        return Drift(
            "ttl",
            src,
            dst,
            False,
            "TTL is on another attribute or changing: disable it, wait, then enable "
            f"{source.ttl_attribute}",
            False,
        )
    return Drift("ttl", src, dst, False, f"UpdateTimeToLive: enable on {source.ttl_attribute}")


def _tags(source: TableSettings, restored: TableSettings) -> Drift:
    have = dict(restored.tags)
    missing = [(k, v) for k, v in source.tags if have.get(k) != v]

    def show(tags: tuple[tuple[str, str], ...]) -> str:
        return ", ".join(f"{k}={v}" for k, v in tags) or "none"

    src, dst = show(source.tags), show(restored.tags)
    if source.unknown("tags"):
        return _unknown("tags", dst, bool(restored.tags))
    if not missing:
        return Drift("tags", src, dst, True, "")
    return Drift("tags", src, dst, False, "TagResource: " + show(tuple(missing)))


def _stream(source: TableSettings, restored: TableSettings) -> Drift:
    def show(s: TableSettings) -> str:
        return f"on, {s.stream_view_type}" if s.stream_enabled else "off"

    src, dst = show(source), show(restored)
    if source.unknown("stream"):
        return _unknown("stream", dst, restored.stream_enabled)
    if src == dst:
        return Drift("stream", src, dst, True, "")
    if not source.stream_enabled:
        return Drift("stream", src, dst, False, "leave on, or disable it by hand", False)
    if restored.stream_enabled:
        return Drift(
            "stream",
            src,
            dst,
            False,
            f"the view type differs: disable the stream, then enable {source.stream_view_type}",
            False,
        )
    return Drift(
        "stream",
        src,
        dst,
        False,
        f"UpdateTable: enable a {source.stream_view_type} stream (a new stream ARN: point its "
        "consumers at it)",
    )


def _protection(source: TableSettings, restored: TableSettings) -> Drift:
    src, dst = _onoff(source.deletion_protection), _onoff(restored.deletion_protection)
    if source.backup is not None:
        # Not in a backup. The table could be deleted, so it was off; after an accidental
        # delete the restored table should have it on.
        src = "off at deletion" if source.backup.deleted_table else _UNKNOWN
        if restored.deletion_protection:
            return Drift("deletion-protection", src, dst, True, "")
        action = "turn on (recommended after an accidental delete)"
        return Drift("deletion-protection", src, dst, False, action)
    if src == dst:
        return Drift("deletion-protection", src, dst, True, "")
    if not source.deletion_protection:
        return Drift("deletion-protection", src, dst, False, "leave on", False)
    return Drift("deletion-protection", src, dst, False, "UpdateTable: deletion protection on")


def _targets(source: TableSettings, restored: TableSettings) -> list[Drift]:
    have = {(t.scope, t.dimension): t for t in restored.scalable_targets}
    out = []
    for target in source.scalable_targets:
        now = have.get((target.scope, target.dimension))
        src = f"{target.min_capacity}-{target.max_capacity}"
        dst = f"{now.min_capacity}-{now.max_capacity}" if now else "none"
        setting = f"scaling-target {target.scope} {target.dimension}"
        if src == dst:
            out.append(Drift(setting, src, dst, True, ""))
        else:
            out.append(Drift(setting, src, dst, False, f"RegisterScalableTarget: {src}"))
    return out


def copied_policy(policy: ScalingPolicy, source: str, restored: str) -> ScalingPolicy:
    """The policy for the restored table: a custom metric's TableName dimension retargeted."""
    config = canonical(retarget(json.loads(policy.configuration), source, restored))
    return ScalingPolicy(policy.scope, policy.dimension, policy.name, policy.policy_type, config)


def _policies(source: TableSettings, restored: TableSettings) -> list[Drift]:
    have = {(p.scope, p.dimension, p.name): p for p in restored.scaling_policies}
    out = []
    for policy in source.scaling_policies:
        now = have.get((policy.scope, policy.dimension, policy.name))
        setting = f"scaling-policy {policy.scope} {policy.name}"
        src = policy_summary(policy)
        want = copied_policy(policy, source.table, restored.table)
        same = now is not None and (now.policy_type, now.configuration) == (
            want.policy_type,
            want.configuration,
        )
        dst = policy_summary(now) if now else "none"
        action = "" if same else f"PutScalingPolicy: {policy.name}"
        out.append(Drift(setting, src, dst, same, action))
    return out


def policy_summary(policy: ScalingPolicy) -> str:
    config = json.loads(policy.configuration)
    if not isinstance(config, dict) or "TargetValue" not in config:
        return policy.policy_type
    metric = config.get("PredefinedMetricSpecification", {}).get("PredefinedMetricType", "custom")
    return f"target {config['TargetValue']:g} {metric}"


def _alarms(source: TableSettings, restored: TableSettings) -> list[Drift]:
    have = {a.name: a for a in restored.alarms}
    out = []
    for alarm in source.alarms:
        if alarm.name.startswith(MANAGED_ALARM_PREFIX):
            continue
        want = copied_alarm(alarm, source.table, restored.table)
        now = have.get(want.name)
        same = now is not None and now.spec == want.spec
        dst = want.name if same else ("differs" if now else "none")
        action = "" if same else f"PutMetricAlarm: {want.name}"
        out.append(Drift(f"alarm {alarm.name}", alarm.name, dst, same, action))
    return out


def plan_drift(source: TableSettings, restored: TableSettings) -> list[Drift]:
    """Every setting of ``source`` compared with ``restored``, in a fixed order."""
    return [
        _pitr(source, restored),
        _ttl(source, restored),
        _tags(source, restored),
        _stream(source, restored),
        _protection(source, restored),
        *_targets(source, restored),
        *_policies(source, restored),
        *_alarms(source, restored),
    ]


def holds_after(applied: list[Drift], after: list[Drift]) -> dict[str, bool]:
    """For each setting apply changed, whether the re-read restored table now matches."""
    now = {d.setting: d.in_sync for d in after}
    return {d.setting: now.get(d.setting, False) for d in applied}
