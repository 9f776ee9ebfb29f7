"""CloudWatch for the PITR monitor: PutMetricData of the signals (core/metrics.py), in batches
within its limits, and PutMetricAlarm for `monitor install`. Both are writes: the read-only
guard refuses them. PutMetricData is not journaled: `status` runs every few minutes outside any
incident and journals nothing (README, "Scheduling..."); PutMetricAlarm is, by the session's
hooks, into the journal the caller gave the session."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lee_console.aws.errors import translate
from lee_console.aws.session import Aws
from lee_console.core.metrics import NAMESPACE, AlarmPlan, Signal, batches, metric_data


def put_signals(aws: Aws, signals: Sequence[Signal], namespace: str = NAMESPACE) -> int:
    """Send every signal; returns how many PutMetricData requests it took."""
    requests = 0
    client = aws.client("cloudwatch")
    for batch in batches(metric_data(signals)):
        try:
            client.put_metric_data(Namespace=namespace, MetricData=batch)
        except Exception as error:
            raise translate(error, f"publish {len(batch)} metrics to CloudWatch") from None
        requests += 1
    return requests


def put_alarms(
    aws: Aws, plans: Sequence[AlarmPlan], on_created: Callable[[AlarmPlan], None]
) -> None:
    client = aws.client("cloudwatch")
    for plan in plans:
        try:
            client.put_metric_alarm(**plan.params())
        except Exception as error:
            raise translate(error, f"create the alarm {plan.name}") from None
        on_created(plan)
