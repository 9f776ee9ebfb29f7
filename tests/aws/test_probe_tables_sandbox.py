"""Leftover probes against the sandbox: only a restore of the journaled source, named as a
probe, whose run is over, is found and deleted (and the deletion journaled); a run that may
still be going, a table that is not that restore, and --read-only are left alone."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from lee_console.aws.probe_tables import (
    delete_leftover_probes,
    find_leftover_probes,
    running_search,
)
from lee_console.aws.session import Aws
from lee_console.core.errors import ReadOnlyRefused
from lee_console.core.findgood import probe_name
from lee_console.core.journal import Kind
from lee_console.core.timeparse import format_utc
from lee_console.store.journal_file import Journal

SOURCE = "lee-devices"


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def restore_probe(raw: Any, source: str = SOURCE) -> tuple[str, datetime]:
    """A probe-named restore of ``source`` (a unique second, so names never repeat)."""
    point = datetime.now(UTC).replace(microsecond=0) - timedelta(
        seconds=int(uuid.uuid4().int % 100_000) + 120
    )
    name = probe_name(source, point)
    raw.restore_table_to_point_in_time(
        SourceTableName=source, TargetTableName=name, UseLatestRestorableTime=True
    )
    return name, point


def journal_start(journal: Journal, raw: Any, target: str, point: datetime, **extra: Any) -> str:
    search_id = f"fg-test-{uuid.uuid4().hex[:6]}"
    arn = raw.describe_table(TableName=SOURCE)["Table"]["TableArn"]
    fields: dict[str, Any] = {
        "table": SOURCE,
        "target": target,
        "restore_point": format_utc(point),
        "round": 1,
        "search_id": search_id,
        "source_arn": arn,
        "pid": dead_pid(),
        "host": os.uname().nodename,
        **extra,
    }
    journal.append(Kind.PROBE_STARTING, **fields)
    return search_id


def exists(raw: Any, name: str) -> bool:
    return name in raw.list_tables()["TableNames"]


def drop(raw: Any, name: str) -> None:
    """Delete ``name`` once it is ACTIVE (a restore is not deletable before)."""
    deadline = time.monotonic() + 60
    while raw.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
        assert time.monotonic() < deadline, name
        time.sleep(0.1)
    raw.delete_table(TableName=name)


def test_a_dead_runs_probe_is_found_deleted_and_journaled(
    make_aws: Callable[..., Aws], raw: Any, journal: Journal
) -> None:
    name, point = restore_probe(raw)
    search_id = journal_start(journal, raw, name, point)
    aws = make_aws()
    scan = find_leftover_probes(aws, SOURCE)
    assert [p.target for p in scan.leftovers] == [name] and scan.maybe_running == []
    assert find_leftover_probes(aws, "lee-users").leftovers == []  # another table's
    said: list[tuple[str, bool, str | None]] = []
    left = delete_leftover_probes(
        aws, scan.leftovers, lambda p, ok, error: said.append((p.target, ok, error)),
        poll_seconds=0.2,
    )  # fmt: skip
    assert left == [] and said == [(name, True, None)]
    assert not exists(raw, name)
    events = journal.events()
    calls = [e for e in events if e.kind == "aws-call" and e.data["operation"] == "DeleteTable"]
    assert [c.data["params"]["TableName"] for c in calls] == [name]
    (outcome,) = [e for e in events if e.kind == Kind.PROBE]
    assert (outcome.data["search_id"], outcome.data["deleted"], outcome.data["leftover"]) == (
        search_id, True, True,
    )  # fmt: skip
    assert find_leftover_probes(aws, SOURCE).leftovers == []


def test_a_run_that_may_still_be_going_is_not_touched(
    make_aws: Callable[..., Aws], raw: Any, journal: Journal
) -> None:
    name, point = restore_probe(raw)
    alive = journal_start(journal, raw, name, point, pid=os.getppid())  # pytest's parent
    other_host = probe_name(SOURCE, point + timedelta(seconds=1))
    raw.restore_table_to_point_in_time(
        SourceTableName=SOURCE, TargetTableName=other_host, UseLatestRestorableTime=True
    )
    journal_start(journal, raw, other_host, point, host="another-bastion")
    mine, mine_point = restore_probe(raw)
    in_process = journal_start(journal, raw, mine, mine_point, pid=os.getpid())
    aws = make_aws()
    with running_search(in_process):
        scan = find_leftover_probes(aws, SOURCE)
    assert scan.leftovers == []
    assert {p.target for p in scan.maybe_running} == {name, other_host, mine}
    assert {p.search_id for p in scan.maybe_running} >= {alive, in_process}
    # The search of this process is over: its probe is a leftover now.
    assert [p.target for p in find_leftover_probes(aws, SOURCE).leftovers] == [mine]
    delete_leftover_probes(aws, find_leftover_probes(aws, SOURCE).leftovers, poll_seconds=0.2)
    for table in (name, other_host):
        drop(raw, table)


def test_never_a_table_that_is_not_that_restore(
    make_aws: Callable[..., Aws], raw: Any, journal: Journal
) -> None:
    point = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1, seconds=7)
    plain = probe_name(SOURCE, point)  # a probe's name, but created by hand
    raw.create_table(
        TableName=plain,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    journal_start(journal, raw, plain, point)
    users, users_point = restore_probe(raw, "lee-users")  # a restore of another table
    journal_start(journal, raw, users, users_point, table=SOURCE)
    renamed = f"{SOURCE}-copy-{uuid.uuid4().hex[:6]}"  # a restore, not named as a probe
    raw.restore_table_to_point_in_time(
        SourceTableName=SOURCE, TargetTableName=renamed, UseLatestRestorableTime=True
    )
    journal_start(journal, raw, renamed, point)
    scan = find_leftover_probes(make_aws(), SOURCE)
    assert scan.leftovers == [] and scan.maybe_running == []
    for table in (plain, users, renamed):
        assert exists(raw, table)
        drop(raw, table)


def test_read_only_refuses_the_delete_and_keeps_the_table(
    make_aws: Callable[..., Aws], raw: Any, journal: Journal
) -> None:
    name, point = restore_probe(raw)
    journal_start(journal, raw, name, point)
    aws = make_aws(read_only=True)
    leftovers = find_leftover_probes(aws, SOURCE).leftovers
    assert [p.target for p in leftovers] == [name]  # finding them only reads
    with pytest.raises(ReadOnlyRefused):
        delete_leftover_probes(aws, leftovers, poll_seconds=0.2)
    assert exists(raw, name)
    assert [e.data["operation"] for e in journal.events() if e.kind == "aws-refused"] == [
        "DeleteTable"
    ]
    delete_leftover_probes(make_aws(), leftovers, poll_seconds=0.2)
    assert not exists(raw, name)
