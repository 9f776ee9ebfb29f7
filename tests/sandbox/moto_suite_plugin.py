"""A pytest plugin for running moto's own DynamoDB tests against servers (docs/sandbox-vs-moto.md).

Not a test module: load it into a run of moto's test suite with ``-p moto_suite_plugin`` and
this folder on PYTHONPATH.

- ``MOTO_SUITE_ENDPOINTS=URL,URL,...``: each pytest-xdist worker (gw0, gw1, ...) talks to its own
  server. moto's tests reset the whole server (POST /moto-api/reset) at the start and end of
  every test, so two workers sharing one server wipe each other's tables, buckets and imports
  mid-test (an export or import waited on then never finishes).
- ``MOTO_SUITE_SANDBOX=1``: the tests in ``EXPECTED_DIFFERENCES`` are marked xfail (strict),
  with the reason, because there the sandbox follows AWS rather than moto.
"""

from __future__ import annotations

import os
from typing import Any

import pytest

_D = "tests/test_dynamodb/test_dynamodb.py::"

# moto test -> why it fails against the sandbox on purpose (it passes against plain moto).
EXPECTED_DIFFERENCES: dict[str, str] = {
    _D + "test_restore_table_to_point_in_time": (
        "restores a table that never had PITR enabled; AWS (and the sandbox) refuse with "
        "PointInTimeRecoveryUnavailableException"
    ),
    _D + "test_update_continuous_backups": (
        "expects LatestRestorableDateTime to be equal in two calls; in AWS (and the sandbox) "
        "it is now minus the restore lag, so it moves with the clock"
    ),
    _D + "test_restore_table_from_backup": (
        "expects RestoreInProgress False right after the restore; in AWS (and the sandbox) a "
        "restored table is CREATING with RestoreInProgress true for a while (--restore-seconds)"
    ),
}


def pytest_configure(config: Any) -> None:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    endpoints = [u for u in os.environ.get("MOTO_SUITE_ENDPOINTS", "").split(",") if u]
    if endpoints:
        index = int(worker[2:]) if worker.startswith("gw") else 0
        os.environ["TEST_SERVER_MODE_ENDPOINT"] = endpoints[index % len(endpoints)]


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    if os.environ.get("MOTO_SUITE_SANDBOX") != "1":
        return
    for item in items:
        reason = EXPECTED_DIFFERENCES.get(item.nodeid)
        if reason is not None:
            item.add_marker(pytest.mark.xfail(reason=f"sandbox follows AWS: {reason}", strict=True))
