"""Fixtures for the sandbox's own tests: sandboxes in subprocesses, boto3 clients for them."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: sandbox_process

from sandbox_helpers import client
from sandbox_process import running_sandbox


@pytest.fixture(scope="session")
def fast_url() -> Iterator[str]:
    """Scenario none, small; restore lag 0 and 1 s restores, for time-dependent tests. Tests
    create their own tables (unique names); only test_window lowers lee-devices' period."""
    with running_sandbox(scenario="none", items=200, restore_seconds=1, restore_lag=0) as (
        url,
        _,
    ):
        yield url


@pytest.fixture
def ddb(fast_url: str) -> Any:
    return client(fast_url)


@pytest.fixture
def make_table(ddb: Any) -> Callable[..., str]:
    """Create a uniquely named table (hash ``pk`` S, optional range ``sk`` N) and return its
    name; ``pitr=True`` enables point-in-time recovery."""

    def make(range_key: bool = False, pitr: bool = True, **extra: Any) -> str:
        name = f"t-{uuid.uuid4().hex[:10]}"
        schema = [{"AttributeName": "pk", "KeyType": "HASH"}]
        attrs = [{"AttributeName": "pk", "AttributeType": "S"}]
        if range_key:
            schema.append({"AttributeName": "sk", "KeyType": "RANGE"})
            attrs.append({"AttributeName": "sk", "AttributeType": "N"})
        attrs += extra.pop("extra_attrs", [])
        ddb.create_table(
            TableName=name,
            KeySchema=schema,
            AttributeDefinitions=attrs,
            BillingMode=extra.pop("BillingMode", "PAY_PER_REQUEST"),
            **extra,
        )
        if pitr:
            ddb.update_continuous_backups(
                TableName=name,
                PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
            )
        return name

    return make
