"""The sandbox enforces AWS's own request limit on DescribeContinuousBackups (10 calls a second,
ThrottlingException beyond it) by default, as AWS does, so that a console that describes tables
too fast fails here before it fails in an account; and the console's `status` over 50 tables is
never throttled (its limiter keeps under the limit)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from many_tables import create_tables
from sandbox_process import running_sandbox


def burst(url: str, calls: int) -> list[str]:
    """``calls`` DescribeContinuousBackups at once, without retries: each call's error code."""
    client: Any = boto3.client(
        "dynamodb", endpoint_url=url, region_name="us-east-1", aws_access_key_id="test",
        aws_secret_access_key="test", config=Config(retries={"max_attempts": 1}),
    )  # fmt: skip

    def call(_: int) -> str:
        try:
            client.describe_continuous_backups(TableName="lee-devices")
        except client.exceptions.ClientError as error:
            return str(error.response["Error"]["Code"])
        return "ok"

    with ThreadPoolExecutor(max_workers=calls) as pool:
        return list(pool.map(call, range(calls)))


def test_beyond_ten_calls_a_second_is_throttled(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    with running_sandbox(items=30, extra_args=("--request-log", str(log))) as (url, _):
        codes = burst(url, 40)
    assert set(codes) == {"ok", "ThrottlingException"}
    # as the sandbox saw them: never more than 10 answered in any one second
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    answered = sorted(
        datetime.fromisoformat(line["at"]).timestamp()
        for line in lines
        if line["operation"] == "DescribeContinuousBackups" and not line["fault"]
    )
    assert len(answered) == codes.count("ok")
    assert all(later - answered[i] >= 1.0 for i, later in enumerate(answered[10:]))


def test_the_limit_can_be_switched_off() -> None:
    with running_sandbox(items=30, extra_args=("--no-api-limits",)) as (url, _):
        assert burst(url, 25) == ["ok"] * 25


def test_status_over_fifty_tables_is_never_throttled(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    with running_sandbox(items=30, extra_args=("--request-log", str(log))) as (url, _):
        create_tables(url, [f"t-{i:02d}" for i in range(47)])
        env = {**os.environ, "LEE_CONSOLE_STATE_DIR": str(tmp_path / "state"),
               "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "lee_console", "status", "--json", "--endpoint-url", url,
             "--region", "us-east-1"],
            capture_output=True, text=True, env=env, timeout=120,
        )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    assert len(json.loads(done.stdout)["tables"]) == 50
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    describes = [line for line in lines if line["operation"] == "DescribeContinuousBackups"]
    assert len(describes) >= 50
    assert [line for line in lines if line["fault"]] == []
