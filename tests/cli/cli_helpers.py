"""Helpers for the CLI tests (a module of its own: test files cannot import conftest)."""

from __future__ import annotations

import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any

import boto3


def boto_client(url: str) -> Any:
    return boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def run_subprocess(*args: str, timeout: float = 60) -> Run:
    done = subprocess.run(
        [sys.executable, "-m", "lee_console", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def make_table(client: Any, pitr: bool = True, name: str | None = None) -> str:
    name = name or f"t-{uuid.uuid4().hex[:10]}"
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    if pitr:
        client.update_continuous_backups(
            TableName=name,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
        )
    return name


def pitr_status(client: Any, table: str) -> str:
    description = client.describe_continuous_backups(TableName=table)
    status: str = description["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"][
        "PointInTimeRecoveryStatus"
    ]
    return status


def scan_all(client: Any, table: str) -> dict[str, dict[str, Any]]:
    """Every item of ``table``, keyed by its pk."""
    items: dict[str, dict[str, Any]] = {}
    for page in client.get_paginator("scan").paginate(TableName=table):
        for item in page["Items"]:
            items[item["pk"]["S"]] = item
    return items


def sleep_to_next_second(margin: float = 0.15) -> int:
    """Sleep into the next wall-clock second (plus a margin); return that second (epoch)."""
    now = time.time()
    second = int(now) + 1
    time.sleep(second + margin - now)
    return second
