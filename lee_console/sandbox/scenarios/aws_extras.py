"""What the console reads besides DynamoDB: CloudWatch write metrics, the lee-engine Lambda's
versions (deployment markers), SSM parameters, and daily on-demand backups, all backdated."""

from __future__ import annotations

import base64
import bisect
import io
import json
import time
import zipfile
from collections.abc import Iterable, Sequence
from typing import Any

from moto.awslambda.models import lambda_backends
from moto.cloudwatch.models import cloudwatch_backends
from moto.iam.models import iam_backends
from moto.ssm.models import ssm_backends

from lee_console.sandbox import clock
from lee_console.sandbox.backend import SandboxBackend
from lee_console.sandbox.install import ACCOUNT_ID, REGION
from lee_console.sandbox.scenarios.schema import DEVICES, SESSIONS, USERS
from lee_console.sandbox.scenarios.timeline import DAY, HOUR, MINUTE, Timeline

FUNCTION = "lee-engine"
_ROLE = "lee-engine-role"


def seed_write_metrics(
    timestamps_by_table: dict[str, Sequence[float]], now: float, ends: dict[str, float]
) -> None:
    """AWS/DynamoDB ConsumedWriteCapacityUnits per table: one datapoint per minute for the
    last 24 hours, hourly before that (back 35 days), counting the seeded writes (1 WCU each).
    ``timestamps`` are sorted (a table history's), so each bucket is two bisections."""
    cloudwatch: Any = cloudwatch_backends[ACCOUNT_ID][REGION]
    for table, timestamps in timestamps_by_table.items():
        end = ends.get(table, now)
        boundary = int((now - DAY) // HOUR) * 3600
        buckets = [
            (hour * HOUR, HOUR) for hour in range(int((now - 35 * DAY) // HOUR), boundary // 3600)
        ]
        buckets += [
            (minute * MINUTE, MINUTE) for minute in range(boundary // 60, int(end // MINUTE))
        ]
        data = [
            _datum(
                table,
                start,
                bisect.bisect_left(timestamps, start + width)
                - bisect.bisect_left(timestamps, start),
            )
            for start, width in buckets
        ]
        cloudwatch.put_metric_data("AWS/DynamoDB", data)


def _datum(table: str, ts: float, count: int) -> dict[str, Any]:
    return {
        "MetricName": "ConsumedWriteCapacityUnits",
        "Dimensions": [{"Name": "TableName", "Value": table}],
        "Timestamp": clock.naive_utc(ts),
        "Unit": "Count",
        "StatisticValues": {
            "Sum": float(count),
            "SampleCount": float(max(count, 1)),
            "Minimum": 1.0 if count else 0.0,
            "Maximum": 1.0 if count else 0.0,
        },
    }


def _zip(release: str) -> str:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "app.py",
            f'RELEASE = "{release}"\n\n\ndef handler(event, context):\n    return {{"ok": True}}\n',
        )
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _lambda_time(ts: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ts)) + f".{int(ts % 1 * 1e6):06d}+0000"


def seed_lambda(deployments: list[tuple[float, str]], timeline: Timeline) -> None:
    """``lee-engine`` (python3.12) with its table env vars; one published version per
    deployment (ts, description), LastModified backdated. Never invoked, so no Docker."""
    iam: Any = iam_backends[ACCOUNT_ID]["aws"]
    role = iam.create_role(
        role_name=_ROLE,
        assume_role_policy_document=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Principal": {"Service": "lambda.amazonaws.com"},
                    }
                ],
            }
        ),
        path="/",
        permissions_boundary=None,
        description="lee-engine execution role",
        tags=[],
        max_session_duration=None,
    )
    backend: Any = lambda_backends[ACCOUNT_ID][REGION]
    function = backend.create_function(
        {
            "FunctionName": FUNCTION,
            "Runtime": "python3.12",
            "Role": role.arn,
            "Handler": "app.handler",
            "Code": {"ZipFile": _zip("initial")},
            "Description": "LEE home-automation engine",
            "Timeout": 30,
            "MemorySize": 512,
            "Environment": {
                "Variables": {
                    "DEVICES_TABLE": DEVICES,
                    "USERS_TABLE": USERS,
                    "SESSIONS_TABLE": SESSIONS,
                }
            },
            "Tags": {"project": "lee", "env": "prod"},
        }
    )
    function.last_modified = _lambda_time(timeline.created)
    for ts, description in sorted(deployments):
        function.update_function_code({"ZipFile": _zip(description)})
        version = backend.publish_version(FUNCTION, description)
        version.last_modified = _lambda_time(ts)
        function.last_modified = _lambda_time(ts)


def seed_ssm(timeline: Timeline) -> None:
    ssm: Any = ssm_backends[ACCOUNT_ID][REGION]
    for short, table in (("devices", DEVICES), ("users", USERS), ("sessions", SESSIONS)):
        parameter = ssm.put_parameter(
            name=f"/lee/tables/{short}",
            description=f"DynamoDB table the engine uses for {short}",
            value=table,
            parameter_type="String",
            allowed_pattern=None,
            keyid=None,
            overwrite=False,
            tags=[],
            data_type="text",
            tier=None,
            policies=None,
        )
        parameter.last_modified_date = timeline.created


def daily_backup_times(now: float, days: int = 3) -> list[float]:
    """03:00 UTC on each of the last ``days`` days (at least an hour in the past)."""
    latest = (now // DAY) * DAY + 3 * HOUR
    if latest > now - HOUR:
        latest -= DAY
    return [latest - i * DAY for i in range(days)][::-1]


def seed_backups(backend: SandboxBackend, tables: Iterable[str], times: list[float]) -> None:
    """On-demand USER backups at backdated times, each holding the items as of its time."""
    for ts in times:
        stamp = time.strftime("%Y%m%d", time.gmtime(ts))
        for table in tables:
            with clock.frozen_at(ts):
                backend.create_backup(table, f"{table}-daily-{stamp}")
