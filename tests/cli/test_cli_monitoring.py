"""`status --emit-metrics` and `monitor install` against the sandbox: the metrics and alarms are
read back with plain boto3; --read-only refuses the writes in one line."""

from __future__ import annotations

import json
import os
import stat
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from cli_helpers import Run

from lee_console.core.drtest.result import DrTestResult, ReferenceCount
from lee_console.core.metrics import batches, metric_data, prometheus_text, table_signals
from lee_console.core.pitr import PitrWindow, TableSummary
from lee_console.store import dr_tests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from sandbox_process import running_sandbox

TABLES = ("lee-devices", "lee-sessions", "lee-users")


@pytest.fixture(autouse=True)
def data_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture
def url() -> Iterator[str]:  # each test its own sandbox: CloudWatch state is per process
    with running_sandbox("none", restore_seconds=1, restore_lag=0, items=10) as (found, _):
        yield found


def cloudwatch(url: str) -> Any:
    return boto3.client("cloudwatch", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="t", aws_secret_access_key="t")  # fmt: skip


def last_test(passed: bool, seconds: float) -> DrTestResult:
    now = datetime.now(UTC)
    return DrTestResult(
        run_id="dt-x", table="lee-devices", scratch_table="lee-devices-drtest-x",
        restore_point=now - timedelta(days=2), point_how="given (--at)", started_at=now,
        restore_seconds=seconds, items=10, violating_items=0 if passed else 3, rules="r",
        reference=ReferenceCount.unknown("none"), deleted=True,
    )  # fmt: skip


def latest_value(url: str, metric: str, table: str) -> float:
    now = datetime.now(UTC)
    points = cloudwatch(url).get_metric_statistics(
        Namespace="LEE/PITR", MetricName=metric,
        Dimensions=[{"Name": "TableName", "Value": table}],
        StartTime=now - timedelta(hours=1), EndTime=now + timedelta(minutes=5), Period=60,
        Statistics=["Maximum"],
    )["Datapoints"]  # fmt: skip
    assert points, f"no {metric} for {table}"
    return float(points[-1]["Maximum"])


def test_cloudwatch_metrics_per_table_with_the_last_dr_test(
    cli: Callable[..., Run], url: str
) -> None:
    dr_tests.save_result(last_test(False, 42.5), "# report\n")
    run = cli("status", "--emit-metrics", "cloudwatch", "--min-coverage-days", "40", url=url)
    assert run.code == 1, run.err  # coverage (35 days) below 40: an alert, as before
    assert "Published 11 metrics of 3 tables to CloudWatch (LEE/PITR, 1 PutMetricData" in run.err
    listed = cloudwatch(url).list_metrics(Namespace="LEE/PITR")["Metrics"]
    names = {(m["MetricName"], m["Dimensions"][0]["Value"]) for m in listed}
    for table in TABLES:
        assert {("CoverageDays", table), ("PitrDisabled", table), ("CoverageLow", table)} <= names
        assert 34 < latest_value(url, "CoverageDays", table) <= 35
        assert latest_value(url, "PitrDisabled", table) == 0
        assert latest_value(url, "CoverageLow", table) == 1
    assert latest_value(url, "DrTestPassed", "lee-devices") == 0
    assert latest_value(url, "DrTestRestoreSeconds", "lee-devices") == 42.5
    assert ("DrTestPassed", "lee-users") not in names  # no dr-test: left out


def test_read_only_refuses_cloudwatch_but_writes_prometheus(
    cli: Callable[..., Run], url: str, tmp_path: Path
) -> None:
    run = cli("status", "--emit-metrics", "cloudwatch", "--read-only", url=url)
    assert run.code == 2 and run.out == ""
    assert run.err_lines == [
        "lee-console: Not publishing metrics to CloudWatch (PutMetricData is a write): the "
        "console runs with --read-only, which allows no change in AWS. Use --emit-metrics "
        "prometheus, or run without --read-only."
    ]
    assert cloudwatch(url).list_metrics(Namespace="LEE/PITR")["Metrics"] == []
    dr_tests.save_result(last_test(True, 12.0), "# report\n")
    target = tmp_path / "collector" / "lee_pitr.prom"
    missing = cli("status", "--emit-metrics", "prometheus", "--metrics-file", str(target),
                  "--read-only", url=url)  # fmt: skip
    assert missing.code == 2 and missing.err_lines[-1].startswith(
        f"lee-console: Cannot write {target}: the folder {target.parent} does not exist"
    )
    target.parent.mkdir()
    run = cli("status", "--emit-metrics", "prometheus", "--metrics-file", str(target),
              "--read-only", "--json", url=url)  # fmt: skip
    assert run.code == 0 and json.loads(run.out)["healthy"] is True
    text = target.read_text()
    assert "# TYPE lee_pitr_coverage_days gauge" in text
    assert 'lee_pitr_disabled{table="lee-users"} 0' in text
    assert 'lee_pitr_drtest_passed{table="lee-devices"} 1' in text
    assert 'lee_pitr_drtest_restore_seconds{table="lee-devices"} 12' in text
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["lee_pitr.prom"]  # no temp left


def alarms(url: str) -> dict[str, Any]:
    found = cloudwatch(url).describe_alarms(AlarmNamePrefix="lee-pitr-")["MetricAlarms"]
    return {a["AlarmName"]: a for a in found}


def test_monitor_install_dry_run_then_confirm(cli: Callable[..., Run], url: str) -> None:
    topic = "arn:aws:sns:us-east-1:123456789012:lee-oncall"
    dry = cli("monitor", "install", "--dry-run", "--sns-topic", topic, url=url)
    assert dry.code == 0, dry.err
    assert len(dry.out.splitlines()) == 9 and alarms(url) == {}
    assert (
        "lee-pitr-disabled-lee-devices: LEE/PITR PitrDisabled {TableName=lee-devices} Maximum "
        f">= 1 over 15 min, missing data breaching; action {topic}" in dry.out
    )
    refused = cli("monitor", "install", "--confirm", "--read-only", url=url)
    assert refused.code == 2 and refused.err_lines == [
        "lee-console: Not creating the PITR alarms (PutMetricAlarm is a write): the console "
        "runs with --read-only, which allows no change in AWS."
    ]
    assert alarms(url) == {}
    bad = cli("monitor", "install", "--dry-run", "--sns-topic", "oncall", url=url)
    assert bad.code == 2 and bad.err_lines == [
        "lee-console: --sns-topic 'oncall' is not an SNS topic ARN "
        "(arn:aws:sns:REGION:ACCOUNT:NAME)."
    ]
    run = cli("monitor", "install", "--confirm", "--sns-topic", topic, url=url)
    assert run.code == 0, run.err
    made = alarms(url)
    assert len(made) == 9
    disabled = made["lee-pitr-disabled-lee-users"]
    assert (disabled["MetricName"], disabled["Threshold"], disabled["Namespace"]) == (
        "PitrDisabled",
        1.0,
        "LEE/PITR",
    )
    assert disabled["ComparisonOperator"] == "GreaterThanOrEqualToThreshold"
    assert disabled["AlarmActions"] == [topic]
    failed = made["lee-pitr-drtest-failed-lee-devices"]
    assert (failed["MetricName"], failed["ComparisonOperator"], failed["Threshold"]) == (
        "DrTestPassed",
        "LessThanOrEqualToThreshold",
        0.0,
    )
    journals = Path(os.environ["LEE_CONSOLE_STATE_DIR"]) / "journals"
    (journal,) = journals.glob("monitor-*.jsonl")
    events = [json.loads(line) for line in journal.read_text().splitlines()]
    calls = [e for e in events if e["kind"] == "aws-call" and e["operation"] == "PutMetricAlarm"]
    results = [e for e in events if e["kind"] == "aws-result"]
    assert len(calls) == 9 and len(results) == 9 and events[-1]["kind"] == "closed"


def test_signals_and_batches() -> None:
    window = PitrWindow(False)
    table = TableSummary('t"x', "ACTIVE", 1, 1, True, "PAY_PER_REQUEST", window)
    signals = table_signals(table, 30, None)
    assert [(s.kind.cloudwatch, s.value) for s in signals] == [
        ("CoverageDays", 0.0), ("PitrDisabled", 1.0), ("CoverageLow", 0.0),
    ]  # fmt: skip
    assert 'lee_pitr_disabled{table="t\\"x"} 1' in prometheus_text(signals)
    entries = metric_data(signals * 400)
    assert [len(b) for b in batches(entries)] == [500, 500, 200]
