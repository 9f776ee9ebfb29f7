"""The runbook's calls on fixed sample data, for the screenshots of the screens after the
restore (verify, settings, cutover, find-good, report): the decision record's incident, the
restore of lee-devices to 11:22:00 finished at 12:27, then verified.

``RunbookSource`` adds to ``SampleSource`` what those screens ask: a verification (3,000 items
each side, 450 damaged in live, 182 changed legitimately), the settings AWS did not carry over,
the references a repoint changes, a repair's plan and the find-good estimate. Deterministic:
the same answers every run. ``recovery_journal`` writes the incident up to a step."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sample_source import CALLER, EARLIEST, LATEST, MB, SampleSource

from lee_console.aws.repoint import RepointResult
from lee_console.aws.settings import ApplyResult
from lee_console.core.diff import DiffBuilder, Key
from lee_console.core.drift import (
    Alarm,
    Drift,
    ScalableTarget,
    ScalingPolicy,
    TableSettings,
    plan_drift,
)
from lee_console.core.findgood import SearchEstimate, precision_step, window_length
from lee_console.core.findgood_plan import (
    DEFAULT_PROBE_BUDGET,
    choose_parallel,
    fixed_parallel,
    planned_probes,
)
from lee_console.core.journal import JournalEvent, Kind
from lee_console.core.repair import RepairPlan, RepairTarget, ResumeState
from lee_console.core.repoint import Change, ChangeResult
from lee_console.core.verify import RuleCount, TableCheck, VerifyReport
from lee_console.store.journal_file import Journal
from lee_console.store.private import private_dir, write_private

LIVE = "lee-devices"
RESTORED = "lee-devices-restored-20250214T112200Z"
INCIDENT = "adhoc-20250214T114900Z-7c2e"
DAMAGED = 450
LEGIT = 182
ITEMS = 3_000
VERIFIED_AT = datetime(2025, 2, 14, 12, 29, 40, tzinfo=UTC)
RULES = "shipped rules lee-devices.toml"


def _key(n: int) -> Key:
    return (f"dev-{n:05d}",)


def verify_report(restored: str = RESTORED, live: str | None = LIVE) -> VerifyReport:
    """Restored: 3,000 items, no violation. Live: 450 items break the brightness rule (the
    damage), 182 more changed legitimately since the restore point."""
    checked = TableCheck(restored, ("device_id",), ITEMS, 0, (), LIVE, RULES)
    if live is None:
        return VerifyReport(checked, None, None, None, VERIFIED_AT)
    broken = RuleCount(
        "state.brightness range",
        DAMAGED,
        tuple(_key(n) for n in (2, 4, 10, 11, 14)),
        "state.brightness is 340, outside [0, 100]",
    )
    against = TableCheck(live, ("device_id",), ITEMS, DAMAGED, (broken,), LIVE, RULES)
    diff = DiffBuilder(restored, live, ("device_id",))
    for n in range(1, ITEMS + 1):
        diff.add_restored(_key(n), b"r%d" % n, True)
    for n in range(1, ITEMS + 1):
        if n <= DAMAGED * 2 and n % 2 == 0:
            diff.add_live(_key(n), b"damaged%d" % n, False)
        elif n % 5 == 1 and n > DAMAGED * 2 and n <= DAMAGED * 2 + LEGIT * 5:
            diff.add_live(_key(n), b"legit%d" % n, True)
        else:
            diff.add_live(_key(n), b"r%d" % n, True)
    return VerifyReport(checked, against, (), diff.finish(), VERIFIED_AT)


def _alarm(table: str) -> Alarm:
    spec = {
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        "Dimensions": [{"Name": "TableName", "Value": table}],
        "MetricName": "ReadThrottleEvents",
        "Namespace": "AWS/DynamoDB",
        "Threshold": 10.0,
    }
    return Alarm(f"{table}-read-throttles", json.dumps(spec, sort_keys=True))


def _policy(name: str, metric: str) -> ScalingPolicy:
    config = {"PredefinedMetricSpecification": {"PredefinedMetricType": metric}, "TargetValue": 70}
    dimension = "ReadCapacityUnits" if "Read" in metric else "WriteCapacityUnits"
    return ScalingPolicy(
        "table",
        f"dynamodb:table:{dimension}",
        name,
        "TargetTrackingScaling",
        json.dumps(config, sort_keys=True, separators=(",", ":")),
    )


SOURCE_SETTINGS = TableSettings(
    table=LIVE,
    pitr_enabled=True,
    recovery_period_days=35,
    ttl_status="ENABLED",
    ttl_attribute="expires_at",
    tags=(("env", "prod"), ("project", "lee")),
    stream_enabled=True,
    stream_view_type="NEW_AND_OLD_IMAGES",
    deletion_protection=True,
    scalable_targets=(
        ScalableTarget("table", "dynamodb:table:ReadCapacityUnits", 5, 500),
        ScalableTarget("table", "dynamodb:table:WriteCapacityUnits", 5, 500),
    ),
    scaling_policies=(
        _policy("lee-devices-read-utilization", "DynamoDBReadCapacityUtilization"),
        _policy("lee-devices-write-utilization", "DynamoDBWriteCapacityUtilization"),
    ),
    alarms=(_alarm(LIVE),),
)
RESTORED_SETTINGS = TableSettings(table=RESTORED)


@dataclass
class RunbookSource(SampleSource):
    """The sample, with the runbook's calls answered (see the module's docstring)."""

    applied: bool = False

    def verify(self, table: str, against: str | None) -> VerifyReport:
        return verify_report(table, against)

    def drift(self, live: str, restored: str) -> tuple[TableSettings, TableSettings, list[Drift]]:
        now = self._restored_settings()
        return SOURCE_SETTINGS, now, plan_drift(SOURCE_SETTINGS, now)

    def _restored_settings(self) -> TableSettings:
        if not self.applied:
            return RESTORED_SETTINGS
        same = {
            name: getattr(SOURCE_SETTINGS, name)
            for name in ("pitr_enabled", "recovery_period_days", "ttl_status", "ttl_attribute")
        }
        return TableSettings(
            table=RESTORED,
            **same,
            stream_enabled=True,
            stream_view_type="NEW_AND_OLD_IMAGES",
            deletion_protection=True,
            scalable_targets=SOURCE_SETTINGS.scalable_targets,
            scaling_policies=SOURCE_SETTINGS.scaling_policies,
            alarms=(_alarm(RESTORED),),
            tags=SOURCE_SETTINGS.tags,
        )

    def apply_settings(
        self, source: TableSettings, restored: TableSettings, drifts: list[Drift]
    ) -> ApplyResult:
        self.applied = True
        after = plan_drift(SOURCE_SETTINGS, self._restored_settings())
        todo = [d for d in drifts if d.to_apply]
        holds = {d.setting: True for d in todo}
        return ApplyResult(LIVE, RESTORED, todo, after=after, holds=holds)

    def plan_repoint(self, live: str, restored: str) -> list[Change]:
        return [
            Change("ssm", "/lee/prod/devices-table", None, live, restored),
            Change("lambda", "lee-engine", "DEVICES_TABLE", live, restored),
            Change("lambda", "lee-api", "DEVICES_TABLE", live, restored),
        ]

    def repoint(self, live: str, restored: str, changes: list[Change]) -> RepointResult:
        results = [ChangeResult(change, "changed") for change in changes]
        return RepointResult("cutover-1", live, restored, results)

    def plan_repair(self, live: str, restored: str) -> RepairPlan:
        targets = tuple(RepairTarget(_key(n), b"damaged%d" % n) for n in range(2, 901, 2))
        counts = {"added": 0, "removed": 0, "changed": DAMAGED + LEGIT, "damaged": DAMAGED}
        return RepairPlan(
            live, restored, ("device_id",), targets, DAMAGED, (), False, ResumeState(), LEGIT,
            counts,
        )  # fmt: skip

    def estimate_search(
        self, table: str, precision: timedelta, parallel: int | None
    ) -> tuple[SearchEstimate, datetime, datetime]:
        length, step = window_length(EARLIEST, LATEST), precision_step(precision)
        choice = (
            choose_parallel(length, step, 0, DEFAULT_PROBE_BUDGET)
            if parallel is None
            else fixed_parallel(length, step, parallel)
        )
        basis = "the decision record's 35 min per 500 MB"
        estimate = SearchEstimate(
            table, 500 * MB, choice.rounds, choice.k, 2100.0, basis, probes=choice.probes,
            reason=choice.reason, adaptive=choice.adaptive,
            sequential=planned_probes(length, step, 1, adaptive=False),
        )  # fmt: skip
        return estimate, EARLIEST, LATEST

    def interrupted_repoints(self, live: str) -> list[object]:
        return []


STEPS = ("declared", "restored", "verified", "settings", "cut-over", "closed")


def recovery_journal(upto: str, *, restored: str = RESTORED) -> Journal:
    """The decision record's incident journaled up to ``upto`` (one of ``STEPS``), in a fresh
    folder, under a fixed id and with fixed times, so every screen built from it (the runbook,
    the report) reads the same every run."""
    start = datetime(2025, 2, 14, 11, 49, tzinfo=UTC)
    events: list[JournalEvent] = []

    def add(kind: str, minutes: float, **data: object) -> None:
        events.append(JournalEvent(kind, start + timedelta(minutes=minutes), dict(data)))

    add(
        Kind.INCIDENT_DECLARED, 0, table=LIVE, damage_start="2025-02-14T11:23:00Z",
        detected_at="2025-02-14T11:47:00Z",
    )  # fmt: skip
    if upto == "declared":
        return _written(events)
    point = "2025-02-14T11:22:00Z"
    call = f"aws dynamodb restore-table-to-point-in-time --source-table-name {LIVE} ..."
    params = {"SourceTableName": LIVE, "TargetTableName": restored}
    add(Kind.AWS_CALL, 3, service="dynamodb", operation="RestoreTableToPointInTime",
        params=params, cli=call, identity=CALLER)  # fmt: skip
    add(Kind.AWS_RESULT, 3, service="dynamodb", operation="RestoreTableToPointInTime", status=200)
    add(Kind.RESTORE_STARTED, 3, source=LIVE, target=restored, restore_point=point,
        restore_kind="point-in-time")  # fmt: skip
    add(Kind.RESTORE_FINISHED, 38, source=LIVE, target=restored, restore_point=point,
        duration_seconds=2100.0, item_count=ITEMS)  # fmt: skip
    if STEPS.index(upto) >= STEPS.index("verified"):
        add(Kind.VERIFIED, 40.67, **verify_report(restored).journal_data())
    if STEPS.index(upto) >= STEPS.index("settings"):
        names = [d.setting for d in plan_drift(SOURCE_SETTINGS, RESTORED_SETTINGS) if d.to_apply]
        add(Kind.SETTINGS_APPLIED, 43, target=restored, settings=names, holds=True)
    if STEPS.index(upto) >= STEPS.index("cut-over"):
        changes = ["ssm /lee/prod/devices-table", "lambda lee-engine DEVICES_TABLE"]
        add(Kind.CUTOVER, 46, strategy="repoint", live=LIVE, restored=restored, changes=changes)
        add(Kind.SERVICE_CONFIRMED, 49, table=LIVE)
    if upto == "closed":
        add(Kind.CLOSED, 50, table=LIVE)
    return _written(events)


def _written(events: list[JournalEvent]) -> Journal:
    folder = private_dir(Path(tempfile.mkdtemp(prefix="lee-snap-")) / "journals")
    text = "".join(event.to_line() + "\n" for event in events)
    write_private(folder / f"{INCIDENT}.jsonl", text)
    return Journal(folder, INCIDENT)
