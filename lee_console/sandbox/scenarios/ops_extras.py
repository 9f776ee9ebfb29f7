"""Operational settings a restore does not carry over, beyond what the tables themselves hold:
application auto scaling on lee-devices (a scalable target and a target-tracking policy for
reads and for writes) and a CloudWatch alarm on lee-devices' read throttle events.

AWS does not auto-scale an on-demand table; moto accepts a scalable target on one (it does not
look at the table), so the sandbox's lee-devices (PAY_PER_REQUEST) carries them to give the
settings re-apply something to copy. moto's target-tracking policy also creates the
`TargetTracking-table/lee-devices-...` alarms, as AWS does; those belong to the policy."""

from __future__ import annotations

from typing import Any

from moto.applicationautoscaling.models import applicationautoscaling_backends
from moto.cloudwatch.models import cloudwatch_backends

from lee_console.sandbox.install import ACCOUNT_ID, REGION
from lee_console.sandbox.scenarios.schema import DEVICES

THROTTLE_ALARM = f"{DEVICES}-read-throttles"
_DIMENSIONS = (
    ("ReadCapacityUnits", "DynamoDBReadCapacityUtilization"),
    ("WriteCapacityUnits", "DynamoDBWriteCapacityUtilization"),
)


def seed_ops() -> None:
    seed_autoscaling(DEVICES)
    seed_alarm(DEVICES)


def seed_autoscaling(table: str) -> None:
    scaling: Any = applicationautoscaling_backends[ACCOUNT_ID][REGION]
    resource = f"table/{table}"
    for unit, metric in _DIMENSIONS:
        dimension = f"dynamodb:table:{unit}"
        scaling.register_scalable_target(
            namespace="dynamodb",
            r_id=resource,
            dimension=dimension,
            min_capacity=5,
            max_capacity=500,
            role_arn=(
                f"arn:aws:iam::{ACCOUNT_ID}:role/aws-service-role/dynamodb.application-"
                "autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_DynamoDBTable"
            ),
            suspended_state=None,
        )
        scaling.put_scaling_policy(
            policy_name=f"{table}-{unit.removesuffix('CapacityUnits').lower()}-utilization",
            service_namespace="dynamodb",
            resource_id=resource,
            scalable_dimension=dimension,
            policy_body={
                "TargetValue": 70.0,
                "PredefinedMetricSpecification": {"PredefinedMetricType": metric},
                "ScaleInCooldown": 60,
                "ScaleOutCooldown": 60,
            },
            policy_type="TargetTrackingScaling",
        )


def seed_alarm(table: str) -> None:
    cloudwatch: Any = cloudwatch_backends[ACCOUNT_ID][REGION]
    cloudwatch.put_metric_alarm(
        name=THROTTLE_ALARM,
        namespace="AWS/DynamoDB",
        metric_name="ReadThrottleEvents",
        comparison_operator="GreaterThanOrEqualToThreshold",
        evaluation_periods=3,
        period=60,
        threshold=10.0,
        statistic="Sum",
        description=f"Reads of {table} are being throttled",
        dimensions=[{"Name": "TableName", "Value": table}],
        alarm_actions=[f"arn:aws:sns:{REGION}:{ACCOUNT_ID}:lee-oncall"],
        treat_missing_data="notBreaching",
    )
