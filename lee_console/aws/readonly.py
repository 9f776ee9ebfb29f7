"""The read-only guard: a botocore before-call hook that refuses any operation not on the
read allow-list. It is the guarantee behind --read-only; the UI hiding buttons is a courtesy."""

from __future__ import annotations

from typing import Any

from lee_console.core.errors import ReadOnlyRefused

READ_OPERATIONS: dict[str, frozenset[str]] = {
    "dynamodb": frozenset(
        {
            "DescribeTable",
            "DescribeContinuousBackups",
            "DescribeTimeToLive",
            "DescribeBackup",
            "DescribeLimits",
            "DescribeEndpoints",
            "DescribeExport",
            "ListTables",
            "ListBackups",
            "ListTagsOfResource",
            "ListExports",
            "GetItem",
            "BatchGetItem",
            "TransactGetItems",
            "Query",
            "Scan",
        }
    ),
    "sts": frozenset({"GetCallerIdentity"}),
    "lambda": frozenset(
        {"ListFunctions", "GetFunction", "GetFunctionConfiguration", "ListVersionsByFunction"}
    ),
    "ssm": frozenset(
        {"GetParameter", "GetParameters", "GetParametersByPath", "DescribeParameters"}
    ),
    "cloudwatch": frozenset(
        {"GetMetricStatistics", "GetMetricData", "ListMetrics", "DescribeAlarms"}
    ),
    "application-autoscaling": frozenset({"DescribeScalableTargets", "DescribeScalingPolicies"}),
    # an export's manifests and data files (aws/exports.py)
    "s3": frozenset({"GetObject", "HeadObject", "ListObjectsV2", "HeadBucket"}),
}


def is_read_operation(service: str, operation: str) -> bool:
    return operation in READ_OPERATIONS.get(service, frozenset())


RESTART = "Restart without --read-only to make changes."


def refusal(what: str, then: str = RESTART) -> ReadOnlyRefused:
    """The one read-only refusal: ``what`` was refused ("Refused DeleteTable", "Not repairing
    T"), the reason, then what to do instead (``then``; "" for nothing)."""
    message = f"{what}: the console runs with --read-only, which allows no change in AWS."
    return ReadOnlyRefused(f"{message} {then}" if then else message)


def refuse_writes(model: Any, **_: Any) -> None:
    """botocore `before-call` handler installed on every client when read-only."""
    service = model.service_model.endpoint_prefix
    if service == "monitoring":
        service = "cloudwatch"
    if not is_read_operation(service, model.name):
        raise refusal(f"Refused {model.name}")
