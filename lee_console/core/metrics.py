"""The decision record's PITR health signals per table ("Monitoring PITR Health"), for
CloudWatch (PutMetricData) and for Prometheus (node_exporter's textfile collector), and the
CloudWatch alarms on them (`monitor install`). Pure: aws/metrics.py sends them,
store/prometheus_file.py writes the file.

Per table (dimension TableName / label table):
- CoverageDays (lee_pitr_coverage_days): days between the earliest and latest restorable
  second, 0 when PITR is disabled. Unit None (CloudWatch has no "Days").
- PitrDisabled (lee_pitr_disabled): 1 when PITR is disabled, else 0. Unit Count.
- CoverageLow (lee_pitr_coverage_low): 1 when coverage is below the threshold, else 0.
- DrTestPassed (lee_pitr_drtest_passed): the last dr-test's verdict, 1 passed, 0 failed.
- DrTestRestoreSeconds (lee_pitr_drtest_restore_seconds): its restore duration. Unit Seconds.
The last two are left out for a table with no dr-test in the history.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lee_console.core.drtest.result import DrTestResult
from lee_console.core.pitr import Alert, TableSummary, alerts

NAMESPACE = "LEE/PITR"
DIMENSION = "TableName"
PUT_BATCH = 500  # PutMetricData takes up to 1,000 values and 1 MB per request
_DERIVED = re.compile(r"-(?:restored|probe|drtest)-\d{8}T\d{6}Z", re.ASCII)


def is_derived_table(name: str) -> bool:
    """A table the console made: a restore, a find-good probe or a dr-test scratch table."""
    return _DERIVED.search(name) is not None


@dataclass(frozen=True)
class MetricKind:
    cloudwatch: str
    prometheus: str
    unit: str  # CloudWatch's StandardUnit
    help: str


COVERAGE_DAYS = MetricKind(
    "CoverageDays",
    "lee_pitr_coverage_days",
    "None",
    "PITR coverage: days between earliest and latest restorable second",
)
PITR_DISABLED = MetricKind(
    "PitrDisabled",
    "lee_pitr_disabled",
    "Count",
    "1 when point-in-time recovery is disabled on the table",
)
COVERAGE_LOW = MetricKind(
    "CoverageLow",
    "lee_pitr_coverage_low",
    "Count",
    "1 when PITR coverage is below the threshold (--min-coverage-days)",
)
DRTEST_PASSED = MetricKind(
    "DrTestPassed",
    "lee_pitr_drtest_passed",
    "Count",
    "the last dr-test of the table: 1 passed, 0 failed",
)
DRTEST_SECONDS = MetricKind(
    "DrTestRestoreSeconds",
    "lee_pitr_drtest_restore_seconds",
    "Seconds",
    "the last dr-test's restore duration in seconds",
)
KINDS = (COVERAGE_DAYS, PITR_DISABLED, COVERAGE_LOW, DRTEST_PASSED, DRTEST_SECONDS)  # fmt: skip


@dataclass(frozen=True)
class Signal:
    kind: MetricKind
    table: str
    value: float


def table_signals(
    table: TableSummary, min_coverage_days: float, last_test: DrTestResult | None
) -> list[Signal]:
    found = alerts(table, min_coverage_days)
    signals = [
        Signal(COVERAGE_DAYS, table.name, round(table.pitr.coverage_days or 0.0, 4)),
        Signal(PITR_DISABLED, table.name, float(Alert.PITR_DISABLED in found)),
        Signal(COVERAGE_LOW, table.name, float(Alert.LOW_COVERAGE in found)),
    ]
    if last_test is not None:
        signals.append(Signal(DRTEST_PASSED, table.name, float(last_test.passed)))
        signals.append(Signal(DRTEST_SECONDS, table.name, round(last_test.restore_seconds, 3)))
    return signals


def metric_data(signals: Iterable[Signal]) -> list[dict[str, object]]:
    """PutMetricData's MetricData entries."""
    return [
        {
            "MetricName": s.kind.cloudwatch,
            "Dimensions": [{"Name": DIMENSION, "Value": s.table}],
            "Value": s.value,
            "Unit": s.kind.unit,
        }
        for s in signals
    ]


def batches(
    entries: Sequence[dict[str, object]], size: int = PUT_BATCH
) -> list[list[dict[str, object]]]:
    return [list(entries[i : i + size]) for i in range(0, len(entries), size)]


def prometheus_text(signals: Sequence[Signal]) -> str:
    """The text exposition format: HELP and TYPE once per metric, then one sample per table."""
    lines: list[str] = []
    for kind in KINDS:
        samples = [s for s in signals if s.kind is kind]
        if not samples:
            continue
        lines += [f"# HELP {kind.prometheus} {kind.help}", f"# TYPE {kind.prometheus} gauge"]
        lines += [f'{kind.prometheus}{{table="{_label(s.table)}"}} {s.value:g}' for s in samples]
    return "\n".join(lines) + "\n" if lines else ""


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


@dataclass(frozen=True)
class AlarmPlan:
    """One CloudWatch alarm `monitor install` creates."""

    name: str
    table: str
    kind: MetricKind
    statistic: str
    comparison: str
    threshold: float
    treat_missing: str
    actions: tuple[str, ...]
    period_seconds: int = 900

    def describe(self) -> str:
        op = {"GreaterThanOrEqualToThreshold": ">=", "LessThanOrEqualToThreshold": "<="}
        action = ", ".join(self.actions) or "no action (state only)"
        return (
            f"{self.name}: {NAMESPACE} {self.kind.cloudwatch} {{TableName={self.table}}} "
            f"{self.statistic} {op.get(self.comparison, self.comparison)} {self.threshold:g} "
            f"over {self.period_seconds // 60} min, missing data {self.treat_missing}; "
            f"action {action}"
        )

    def params(self) -> dict[str, object]:
        """PutMetricAlarm's parameters."""
        params: dict[str, object] = {
            "AlarmName": self.name,
            "AlarmDescription": f"lee-console monitor: {self.kind.help} ({self.table})",
            "Namespace": NAMESPACE,
            "MetricName": self.kind.cloudwatch,
            "Dimensions": [{"Name": DIMENSION, "Value": self.table}],
            "Statistic": self.statistic,
            "Period": self.period_seconds,
            "EvaluationPeriods": 1,
            "Threshold": self.threshold,
            "ComparisonOperator": self.comparison,
            "TreatMissingData": self.treat_missing,
        }
        if self.actions:
            params["AlarmActions"] = list(self.actions)
        return params


def alarm_plans(tables: Iterable[str], sns_topic: str | None) -> list[AlarmPlan]:
    """Per table: PITR disabled (missing data breaches: a monitor that stopped publishing is
    noticed), coverage low, and the last dr-test failed."""
    actions = (sns_topic,) if sns_topic else ()
    plans = []
    for table in tables:
        plans += [
            AlarmPlan(f"lee-pitr-disabled-{table}", table, PITR_DISABLED, "Maximum",
                      "GreaterThanOrEqualToThreshold", 1, "breaching", actions),
            AlarmPlan(f"lee-pitr-coverage-low-{table}", table, COVERAGE_LOW, "Maximum",
                      "GreaterThanOrEqualToThreshold", 1, "notBreaching", actions),
            AlarmPlan(f"lee-pitr-drtest-failed-{table}", table, DRTEST_PASSED, "Minimum",
                      "LessThanOrEqualToThreshold", 0, "notBreaching", actions),
        ]  # fmt: skip
    return plans
