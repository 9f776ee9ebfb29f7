"""aws.repoint against the bad-deployment sandbox: /lee/tables/devices and lee-engine's
DEVICES_TABLE are found by value, changed (other variables untouched), journaled, and rolled
back from the journal; a reference changed in the meantime is reported, never overwritten."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from sandbox_process import running_sandbox

from lee_console.aws.repoint import apply_changes, find_references, plan_cutover, repoint, rollback
from lee_console.aws.session import Aws, ConnectionSettings
from lee_console.core.errors import InvalidInput, ReadOnlyRefused, TableNotFound
from lee_console.core.journal import Kind
from lee_console.core.repoint import Reference, pending_rollbacks
from lee_console.store.journal_file import Journal

LIVE = "lee-devices"
PARAMETER, FUNCTION, VARIABLE = "/lee/tables/devices", "lee-engine", "DEVICES_TABLE"
ORIGINAL_ENV = {"DEVICES_TABLE": LIVE, "USERS_TABLE": "lee-users", "SESSIONS_TABLE": "lee-sessions"}


def client(url: str, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


@pytest.fixture(scope="module")
def sandbox() -> Iterator[tuple[str, str]]:
    """(url, restored table) with one restore of lee-devices, ACTIVE."""
    with running_sandbox("bad-deployment", restore_seconds=1, restore_lag=0, items=100) as (
        url,
        _,
    ):
        ddb = client(url, "dynamodb")
        target = f"{LIVE}-r{uuid.uuid4().hex[:6]}"
        ddb.restore_table_to_point_in_time(
            SourceTableName=LIVE, TargetTableName=target, UseLatestRestorableTime=True
        )
        while ddb.describe_table(TableName=target)["Table"]["TableStatus"] != "ACTIVE":
            time.sleep(0.2)
        yield url, target


@pytest.fixture
def url(sandbox: tuple[str, str]) -> Iterator[str]:
    """The sandbox, with the references put back to lee-devices after each test."""
    yield sandbox[0]
    client(sandbox[0], "ssm").put_parameter(Name=PARAMETER, Value=LIVE, Overwrite=True)
    client(sandbox[0], "lambda").update_function_configuration(
        FunctionName=FUNCTION, Environment={"Variables": ORIGINAL_ENV}
    )


@pytest.fixture
def restored(sandbox: tuple[str, str]) -> str:
    return sandbox[1]


@pytest.fixture
def make_aws(url: str, journal: Journal) -> Callable[..., Aws]:
    def make(read_only: bool = False) -> Aws:
        settings = ConnectionSettings(endpoint_url=url, region="us-east-1", read_only=read_only)
        return Aws(settings, journal)

    return make


def values(url: str) -> tuple[str, dict[str, str]]:
    parameter = client(url, "ssm").get_parameter(Name=PARAMETER)["Parameter"]["Value"]
    config = client(url, "lambda").get_function_configuration(FunctionName=FUNCTION)
    return parameter, config["Environment"]["Variables"]


def test_references_are_found_by_value(make_aws: Callable[..., Aws]) -> None:
    assert find_references(make_aws(), LIVE) == [
        Reference("ssm", PARAMETER, None, LIVE),
        Reference("lambda", FUNCTION, VARIABLE, LIVE),
    ]
    assert find_references(make_aws(), "no-such-table") == []


def test_cutover_needs_an_active_restored_table(make_aws: Callable[..., Aws]) -> None:
    with pytest.raises(TableNotFound):
        plan_cutover(make_aws(), LIVE, "lee-devices-missing")
    with pytest.raises(InvalidInput, match="same"):
        plan_cutover(make_aws(), LIVE, LIVE)


def test_repoint_then_rollback(
    url: str, restored: str, make_aws: Callable[..., Aws], journal: Journal
) -> None:
    aws = make_aws()
    changes = plan_cutover(aws, LIVE, restored)
    assert [(c.kind, c.name, c.variable, c.old, c.new) for c in changes] == [
        ("ssm", PARAMETER, None, LIVE, restored),
        ("lambda", FUNCTION, VARIABLE, LIVE, restored),
    ]
    seen: list[str] = []
    result = repoint(aws, LIVE, restored, changes, on_result=lambda r: seen.append(r.status))
    assert result.complete and seen == ["changed", "changed"]
    parameter, env = values(url)
    assert parameter == restored
    assert env == {**ORIGINAL_ENV, VARIABLE: restored}  # the other variables untouched

    kinds = [e.kind for e in journal.events() if not e.kind.startswith("aws-")]
    assert kinds == [Kind.CUTOVER_STARTED, Kind.CUTOVER]
    [cut] = [e for e in journal.events() if e.kind == Kind.CUTOVER]
    assert cut.data["strategy"] == "repoint" and cut.data["live"] == LIVE
    assert cut.data["changes"] == [c.to_json() for c in changes]
    assert cut.data["complete"] is True

    pending = pending_rollbacks(journal.events())
    assert [p.cutover_id for p in pending] == [result.cutover_id]
    undone = rollback(aws, pending)
    assert undone.complete and undone.cutover_ids == [result.cutover_id]
    assert values(url) == (LIVE, ORIGINAL_ENV)
    [back] = [e for e in journal.events() if e.kind == Kind.CUTOVER_ROLLED_BACK]
    assert back.data["complete"] is True and len(back.data["changes"]) == 2
    assert pending_rollbacks(journal.events()) == []


def test_rollback_never_overwrites_a_value_changed_since(
    url: str, restored: str, make_aws: Callable[..., Aws], journal: Journal
) -> None:
    aws = make_aws()
    repoint(aws, LIVE, restored, plan_cutover(aws, LIVE, restored))
    client(url, "ssm").put_parameter(Name=PARAMETER, Value="lee-devices-v2", Overwrite=True)
    result = rollback(aws, pending_rollbacks(journal.events()))
    statuses = {r.change.kind: (r.status, r.detail) for r in result.results}
    assert statuses["ssm"] == ("conflict", "holds 'lee-devices-v2'")
    assert statuses["lambda"] == ("changed", "")
    assert not result.complete and result.cutover_ids == []
    assert values(url) == ("lee-devices-v2", ORIGINAL_ENV)
    assert len(pending_rollbacks(journal.events())) == 1  # still pending: it is incomplete


def test_a_conflicting_value_is_not_journaled(
    url: str, restored: str, make_aws: Callable[..., Aws], journal: Journal
) -> None:
    """Whatever someone put in a reference since (a secret pasted by mistake) is shown to the
    operator, never written to the journal."""
    aws = make_aws()
    repoint(aws, LIVE, restored, plan_cutover(aws, LIVE, restored))
    client(url, "ssm").put_parameter(Name=PARAMETER, Value="FAKESECRET-pasted", Overwrite=True)
    result = rollback(aws, pending_rollbacks(journal.events()))
    assert [r.detail for r in result.results if r.status == "conflict"] == [
        "holds 'FAKESECRET-pasted'"
    ]
    assert "FAKESECRET" not in journal.path.read_text()


def test_read_only_refuses_and_changes_nothing(
    url: str, restored: str, make_aws: Callable[..., Aws], journal: Journal
) -> None:
    aws = make_aws(read_only=True)
    changes = plan_cutover(aws, LIVE, restored)  # reads are allowed
    with pytest.raises(ReadOnlyRefused):
        repoint(aws, LIVE, restored, changes)
    with pytest.raises(ReadOnlyRefused):  # the guard itself, below the up-front refusal
        apply_changes(aws, changes)
    assert values(url) == (LIVE, ORIGINAL_ENV)
    assert not [e for e in journal.events() if not e.kind.startswith("aws-")]
