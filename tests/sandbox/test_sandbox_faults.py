"""Faults injected by a real sandbox (`--faults`), seen through plain boto3 as AWS's own errors:
botocore retries what it retries against AWS, and the request log names every operation."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError
from sandbox_helpers import client
from sandbox_process import running_sandbox

ONE_TRY = Config(retries={"mode": "standard", "total_max_attempts": 1}, read_timeout=10)


def _client(url: str, service: str, config: Config = ONE_TRY) -> Any:
    return client(url, service, config)


def _set_faults(url: str, spec: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{url}/_lee/faults", data=spec.encode(), method="PUT")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return dict(json.loads(answer.read()))


@pytest.fixture(scope="module")
def faulty(tmp_path_factory: pytest.TempPathFactory) -> Any:
    log = tmp_path_factory.mktemp("requests") / "requests.jsonl"
    with running_sandbox(
        items=20, extra_args=("--faults", "throttle@DescribeTable", "--request-log", str(log))
    ) as (url, _):
        yield url, log


def test_errors_arrive_as_aws_errors_in_each_protocol(faulty: tuple[str, Path]) -> None:
    url, _ = faulty
    with pytest.raises(ClientError) as throttled:
        _client(url, "dynamodb").describe_table(TableName="lee-devices")
    assert throttled.value.response["Error"]["Code"] == "ThrottlingException"
    _set_faults(url, "expired@GetCallerIdentity+ListFunctions+ListMetrics; 5xx@GetParameter")
    for service, call, code in (
        ("sts", lambda c: c.get_caller_identity(), "ExpiredTokenException"),
        ("lambda", lambda c: c.list_functions(), "ExpiredTokenException"),
        ("cloudwatch", lambda c: c.list_metrics(), "ExpiredTokenException"),
        ("ssm", lambda c: c.get_parameter(Name="/lee/x"), "InternalServerError"),
    ):
        with pytest.raises(ClientError) as error:
            call(_client(url, service))
        assert error.value.response["Error"]["Code"] == code, service
    _set_faults(url, "")


def test_botocore_retries_a_throttle_until_it_ends(faulty: tuple[str, Path]) -> None:
    url, _ = faulty
    _set_faults(url, "throttle@ListTables,count=2")
    retrying = Config(retries={"mode": "standard", "max_attempts": 5})
    answer = _client(url, "dynamodb", retrying).list_tables()
    assert answer["ResponseMetadata"]["RetryAttempts"] == 2
    _set_faults(url, "")


def test_a_dropped_connection_and_a_late_answer(faulty: tuple[str, Path]) -> None:
    url, _ = faulty
    _set_faults(url, "drop@ListTables,count=1; latency@DescribeTable,ms=600")
    with pytest.raises(ConnectionClosedError):
        _client(url, "dynamodb").list_tables()
    assert _client(url, "dynamodb").list_tables()["TableNames"]
    began = time.monotonic()
    _client(url, "dynamodb").describe_table(TableName="lee-devices")
    assert time.monotonic() - began >= 0.6
    _set_faults(url, "")


def test_a_bad_spec_is_refused_and_the_rules_stay(faulty: tuple[str, Path]) -> None:
    url, _ = faulty
    _set_faults(url, "5xx@Scan")
    with pytest.raises(urllib.error.HTTPError) as refused:
        _set_faults(url, "meteor")
    assert refused.value.code == 400
    assert "Unknown fault 'meteor'" in json.loads(refused.value.read())["error"]
    assert _set_faults(url, "5xx@Scan")["faults"] == ["5xx@Scan"]
    _set_faults(url, "")


def test_the_request_log_names_every_operation(faulty: tuple[str, Path]) -> None:
    url, log = faulty
    _client(url, "dynamodb").put_item(TableName="lee-devices", Item={"device_id": {"S": "x"}})
    _client(url, "lambda").list_functions()
    _client(url, "sts").get_caller_identity()
    _client(url, "cloudwatch").list_metrics()
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    seen = {(line["service"], line["operation"]) for line in lines}
    assert {
        ("dynamodb", "PutItem"),
        ("lambda", "ListFunctions"),
        ("sts", "GetCallerIdentity"),
        ("cloudwatch", "ListMetrics"),
    } <= seen
    assert {"service": "dynamodb", "operation": "DescribeTable", "fault": "throttle"} in [
        {k: line[k] for k in ("service", "operation", "fault")} for line in lines
    ]
    assert log.stat().st_mode & 0o777 == 0o600
    assert "device_id" not in log.read_text()  # operations only, never a body
