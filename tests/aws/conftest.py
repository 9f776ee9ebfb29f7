"""Fixtures for the AWS layer: a hermetic environment and a sandbox server in a subprocess."""

from __future__ import annotations

import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.store.journal_file import Journal

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the shared helper
from sandbox_process import running_sandbox


def hermetic_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No real credentials, profiles, config or state may leak into (or out of) a test."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name)
    aws_dir = tmp_path / "aws-home"
    aws_dir.mkdir(exist_ok=True)
    (aws_dir / "config").write_text("")
    (aws_dir / "credentials").write_text("")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(aws_dir / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(aws_dir / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("LEE_CONSOLE_CONFIG", str(tmp_path / "lee-config.toml"))
    monkeypatch.setenv("LEE_CONSOLE_STATE_DIR", str(tmp_path / "lee-state"))


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_aws_env(monkeypatch, tmp_path)


@pytest.fixture(scope="session")
def sandbox_url() -> Iterator[str]:
    """Scenario none (the three LEE tables); restores take 2 s; no restore lag, so a test can
    restore the second it has just written."""
    with running_sandbox("none", restore_seconds=2, restore_lag=0, items=50) as (url, _):
        yield url


@pytest.fixture
def raw(sandbox_url: str) -> Any:
    """A plain boto3 client: the test's own eyes on the sandbox, outside the code under test."""
    return boto3.client(
        "dynamodb",
        endpoint_url=sandbox_url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    return Journal(tmp_path / "journals", "test-incident")


@pytest.fixture
def make_aws(sandbox_url: str, journal: Journal) -> Callable[..., Aws]:
    def make(read_only: bool = False, with_journal: bool = True) -> Aws:
        settings = ConnectionSettings(
            endpoint_url=sandbox_url, region="us-east-1", read_only=read_only
        )
        return Aws(settings, journal if with_journal else None)

    return make


@pytest.fixture
def new_table(raw: Any) -> Callable[..., str]:
    """Create a fresh table (unique name) with PITR on; returns its name."""

    def create(pitr: bool = True) -> str:
        name = f"t-{uuid.uuid4().hex[:10]}"
        raw.create_table(
            TableName=name,
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        if pitr:
            raw.update_continuous_backups(
                TableName=name,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
        return name

    return create


@pytest.fixture
def restorable_table(raw: Any, new_table: Callable[..., str]) -> Callable[[], str]:
    """A fresh PITR table holding one item, whose latest restorable time has passed the write."""

    def make() -> str:
        table = new_table()
        raw.put_item(TableName=table, Item={"pk": {"S": "a"}})
        wait_until_restorable(raw, table, time.time())
        return table

    return make


def wait_until_restorable(raw: Any, table: str, moment: float, timeout: float = 10) -> None:
    """Block until LatestRestorableDateTime has passed ``moment`` (epoch seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pitr = raw.describe_continuous_backups(TableName=table)["ContinuousBackupsDescription"][
            "PointInTimeRecoveryDescription"
        ]
        latest = pitr.get("LatestRestorableDateTime")
        if latest is not None and latest.timestamp() >= moment:
            return
        time.sleep(0.2)
    pytest.fail(f"{table}: the latest restorable time never reached {moment}")
