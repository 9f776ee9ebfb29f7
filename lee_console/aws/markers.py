"""What the timeline shows about a table besides its window: deployments (published versions
of Lambda functions whose environment names the table), backups, and write activity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from dateutil import parser as dateutil_parser

from lee_console.aws.backups import list_backups
from lee_console.aws.errors import translate
from lee_console.aws.session import Aws
from lee_console.core.timeline import Marker, MarkerKind, Sample

_FINE_SPAN = timedelta(days=1)  # per-minute activity for the last day, hourly before
_MAX_DATAPOINTS = 1440  # GetMetricStatistics returns at most 1,440 points per call


def deployment_markers(aws: Aws, table: str) -> list[Marker]:
    """Every published version of every function whose environment mentions ``table``."""
    client = aws.client("lambda")
    try:
        functions: list[dict[str, Any]] = []
        for page in client.get_paginator("list_functions").paginate():
            functions.extend(page.get("Functions", []))
        markers = []
        for function in functions:
            variables = function.get("Environment", {}).get("Variables", {})
            if not any(table == value for value in variables.values()):
                continue
            name = function["FunctionName"]
            for page in client.get_paginator("list_versions_by_function").paginate(
                FunctionName=name
            ):
                for version in page.get("Versions", []):
                    if version.get("Version") == "$LATEST":
                        continue
                    at = dateutil_parser.isoparse(version["LastModified"])
                    markers.append(
                        Marker(at, MarkerKind.DEPLOYMENT, f"{name}:{version['Version']}")
                    )
        return markers
    except Exception as error:
        raise translate(error, f"list the deployments that use {table}") from None


def backup_markers(aws: Aws, table: str) -> list[Marker]:
    markers = []
    for backup in list_backups(aws, table):
        kind = MarkerKind.SYSTEM_BACKUP if backup.backup_type == "SYSTEM" else MarkerKind.BACKUP
        markers.append(Marker(backup.created, kind, backup.name))
    return markers


def write_activity(aws: Aws, table: str, start: datetime, end: datetime) -> list[Sample]:
    """ConsumedWriteCapacityUnits (Sum): hourly over the window, per minute over its last day."""
    fine_start = max(start, end - _FINE_SPAN)
    samples = _metric_sums(aws, table, start, fine_start, period=3600) if start < fine_start else []
    samples += _metric_sums(aws, table, fine_start, end, period=60)
    return sorted(samples)


def _metric_sums(aws: Aws, table: str, start: datetime, end: datetime, period: int) -> list[Sample]:
    samples: list[Sample] = []
    chunk = timedelta(seconds=period * _MAX_DATAPOINTS)
    cursor = start
    try:
        while cursor < end:
            chunk_end = min(end, cursor + chunk)
            response = aws.client("cloudwatch").get_metric_statistics(
                Namespace="AWS/DynamoDB",
                MetricName="ConsumedWriteCapacityUnits",
                Dimensions=[{"Name": "TableName", "Value": table}],
                StartTime=cursor,
                EndTime=chunk_end,
                Period=period,
                Statistics=["Sum"],
            )
            for point in response.get("Datapoints", []):
                stamp = point["Timestamp"]
                if stamp.tzinfo is None:
                    stamp = stamp.replace(tzinfo=UTC)
                samples.append((stamp, float(point.get("Sum", 0.0))))
            cursor = chunk_end
    except Exception as error:
        raise translate(error, f"read the write activity of {table} from CloudWatch") from None
    return samples
